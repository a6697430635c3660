import { STEP_TYPE_NAMES, STEP_TYPES, stepType } from "../../../../lib/steps";
import { stepParamsProblems } from "../../../../lib/steps/params";
import type { ParamsCheckContext } from "../../../../lib/steps/types";

const context: ParamsCheckContext = { path: "params", workflowId: "wf", referenceProblem: () => null };
const problems = (type: string, params: Record<string, unknown>) => stepParamsProblems(type, params, context);

describe("step types", () => {
	it("are the engine's eight, each in its own module with a description and a params schema", () => {
		expect(STEP_TYPE_NAMES).toEqual(["transform", "http_request", "ai_generate", "delay", "approval", "sub_workflow", "map", "agent", "wait_for_event"]);
		for (const name of STEP_TYPE_NAMES) {
			const definition = STEP_TYPES[name];
			expect(definition.type).toBe(name);
			expect(definition.description).toMatch(/\.$/);
			expect(definition.paramsSchema).toMatchObject({ type: "object", additionalProperties: false });
		}
	});

	it("are looked up by own name only", () => {
		expect(stepType("delay")?.type).toBe("delay");
		expect(stepType("constructor")).toBeUndefined();
		expect(stepType("toString")).toBeUndefined();
	});

	it.each([
		["transform", { expression: "$sum(steps.a.output.values)" }],
		["http_request", { url: "https://x.example/a", method: "PATCH", headers: { Authorization: "Bearer ${{ inputs.token }}", "X-Retry": 1 }, body: [1, { a: null }], expected_status: [200, 204], timeout: "5s" }],
		["http_request", { url: "${{ inputs.base }}/health", expected_status: "${{ inputs.code }}", method: "${{ inputs.method }}" }],
		["ai_generate", { prompt: "Hi", system: "", model: "gpt-4o-mini", agent_role: "writer", temperature: 0, max_tokens: 1, json_schema: { type: "object", required: ["a"] }, stream: true }],
		["delay", { duration: 0 }],
		["delay", { duration: "1.5h" }],
		["approval", {}],
		["approval", { message: "Ship ${{ inputs.version }}?" }],
		["sub_workflow", { workflow_id: "child-flow", version: "2.0.0-rc.1", inputs: { a: 1 } }],
		["sub_workflow", { workflow_id: "child-flow", inputs: "${{ steps.prepare.output }}" }],
		["map", { items: ["a", "b"], concurrency: 3, step: { type: "ai_generate", name: "each", params: { prompt: "${{ item }}" }, timeout: "30s", retry: 2, retry_delay: 1 } }]
	])("%s accepts %j", (type, params) => expect(problems(type, params)).toEqual([]));

	it.each([
		["transform", {}, [{ path: "params.expression", message: "is required" }]],
		["transform", { expression: "" }, [{ path: "params.expression", message: "must not be empty" }]],
		["http_request", { url: "example.com" }, [{ path: "params.url", message: "must be an http:// or https:// URL (templates allowed)" }]],
		["http_request", { url: "https://x", body: undefined, expected_status: [] }, [{ path: "params.expected_status", message: "must NOT have fewer than 1 items" }]],
		["ai_generate", { prompt: "x", temperature: 3 }, [{ path: "params.temperature", message: "must be <= 2" }]],
		["ai_generate", { prompt: "x", max_tokens: "lots" }, [{ path: "params.max_tokens", message: "must be a whole number from 1 to 1000000, or a ${{ … }} template" }]],
		["ai_generate", { prompt: "x", stream: "yes" }, [{ path: "params.stream", message: "must be true or false, or a ${{ … }} template" }]],
		["delay", { duration: -1 }, [{ path: "params.duration", message: "must be >= 0" }]],
		["delay", { duration: "1w" }, [{ path: "params.duration", message: 'must be a duration such as "500ms", "30s", "5m", "1h" or a number of seconds, or a ${{ … }} template' }]],
		["approval", { message: 5, timeout: "1h" }, [
			{ path: "params.timeout", message: "is not a field of approval params (message)" },
			{ path: "params.message", message: "must be a string" }
		]],
		["sub_workflow", { workflow_id: "x y", version: "1" }, [
			{ path: "params.workflow_id", message: "must be a workflow id (letters, digits, _ and -)" },
			{ path: "params.version", message: 'must be a semantic version such as "1.0.0"' }
		]],
		["map", { items: "not a template", step: {} }, [
			{ path: "params.items", message: "must be a list, or a ${{ … }} template" },
			{ path: "params.step.type", message: "is required" }
		]],
		["map", { items: [], step: { type: "delay", params: { duration: 1 } }, concurrency: 0 }, [{ path: "params.concurrency", message: "must be >= 1" }]]
	])("%s refuses %j", (type, params, expected) => expect(problems(type, params as Record<string, unknown>)).toEqual(expected));
});
