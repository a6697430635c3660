import { parseTemplatePath, resolveStepParams, resolveTemplates, scanTemplates, type TemplateScope } from "../../../../lib/dsl";

const scope: TemplateScope = {
	inputs: { env: "prod", count: 3, flags: { dry: false }, empty: null },
	steps: { fetch: { output: { body: { items: [{ id: "a1" }, { id: "a2" }] }, status: 200 } }, "load-data": { output: "raw" } }
};

describe("templates", () => {
	it("parse paths with dots, dashes and indices", () => {
		expect(parseTemplatePath("steps.load-data.output.items[1].id")).toEqual(["steps", "load-data", "output", "items", "1", "id"]);
		expect(parseTemplatePath("inputs.x")).toEqual(["inputs", "x"]);
		expect(parseTemplatePath("inputs.x + 1")).toBeNull();
		expect(parseTemplatePath("")).toBeNull();
	});

	it("find every template with or without inner spaces", () => {
		const { refs, errors } = scanTemplates("${{inputs.a}} and ${{   steps.b.output  }}");
		expect(refs).toEqual([
			{ text: "${{inputs.a}}", path: ["inputs", "a"] },
			{ text: "${{   steps.b.output  }}", path: ["steps", "b", "output"] }
		]);
		expect(errors).toEqual([]);
	});

	it("give the raw value when a string is exactly one template", () => {
		expect(resolveTemplates("${{ steps.fetch.output.body }}", scope)).toEqual({ items: [{ id: "a1" }, { id: "a2" }] });
		expect(resolveTemplates("${{inputs.count}}", scope)).toBe(3);
		expect(resolveTemplates("${{ inputs.flags.dry }}", scope)).toBe(false);
		expect(resolveTemplates("${{ steps.fetch.output.body.items[1].id }}", scope)).toBe("a2");
		expect(resolveTemplates("${{ steps.fetch.output.body.items.0.id }}", scope)).toBe("a1");
	});

	it("interpolate inside longer strings, non-strings as JSON", () => {
		expect(resolveTemplates("deploy to ${{ inputs.env }} (${{ inputs.count }} replicas, ${{inputs.flags}})", scope)).toBe(
			'deploy to prod (3 replicas, {"dry":false})'
		);
		expect(resolveTemplates("data: ${{ steps.load-data.output }}", scope)).toBe("data: raw");
	});

	it("give null for missing paths", () => {
		expect(resolveTemplates("${{ inputs.nope }}", scope)).toBeNull();
		expect(resolveTemplates("${{ inputs.empty }}", scope)).toBeNull();
		expect(resolveTemplates("${{ steps.ghost.output.x }}", scope)).toBeNull();
		expect(resolveTemplates("${{ steps.fetch.output.body.items[9] }}", scope)).toBeNull();
		expect(resolveTemplates("value: ${{ inputs.nope }}", scope)).toBe("value: null");
	});

	it("read own properties only", () => {
		expect(resolveTemplates("${{ inputs.constructor }}", scope)).toBeNull();
		expect(resolveTemplates("${{ inputs.env.length }}", scope)).toBeNull();
	});

	it("resolve deeply in objects and lists, leaving other values alone", () => {
		const value = { url: "https://x/${{ inputs.env }}", body: { n: "${{ inputs.count }}", list: ["${{ item }}", 7, true, null] } };
		expect(resolveTemplates(value, { ...scope, item: { id: 1 } })).toEqual({ url: "https://x/prod", body: { n: 3, list: [{ id: 1 }, 7, true, null] } });
	});

	it("leave text that is not a template path as written", () => {
		expect(resolveTemplates("cost: ${{ inputs.count * 2 }}", scope)).toBe("cost: ${{ inputs.count * 2 }}");
	});

	it("are resolved in step params except a transform's expression and a map's step template", () => {
		expect(resolveStepParams({ type: "transform", params: { expression: "inputs.env" } }, scope)).toEqual({ expression: "inputs.env" });
		const map = { items: "${{ steps.fetch.output.body.items }}", step: { type: "delay", params: { duration: "${{ item.id }}" } }, concurrency: "${{ inputs.count }}" };
		expect(resolveStepParams({ type: "map", params: map }, scope)).toEqual({
			items: [{ id: "a1" }, { id: "a2" }],
			step: map.step,
			concurrency: 3
		});
	});
});
