import { compileCondition, ConditionError, evaluateCondition, type TemplateScope } from "../../../../lib/dsl";

const scope: TemplateScope = {
	inputs: { environment: "prod", run_tests: true, replicas: 3, tags: ["a", "b"], empty: null },
	steps: { "health-check": { output: { status: 200, body: { ok: true } } } }
};

describe("conditions", () => {
	it.each([
		["${{ inputs.run_tests }} == true", true],
		["${{inputs.run_tests}} == false", false],
		["${{ inputs.environment }} == 'prod'", true],
		["${{ inputs.environment }} != 'prod'", false],
		['${{ inputs.environment }} == "dev" || ${{ inputs.replicas }} > 2', true],
		["${{ inputs.environment }} == 'prod' && !${{ inputs.run_tests }}", false],
		["!(${{ inputs.replicas }} >= 3)", false],
		["${{ steps.health-check.output.status }} == 200 && ${{ steps.health-check.output.body.ok }}", true],
		["'b' in ${{ inputs.tags }}", true],
		["${{ inputs.missing }} == null", true],
		["${{ inputs.empty }}", false],
		["${{ inputs.replicas }} > 2 ? true : false", true],
		["true", true]
	])("%s is %p", (condition, expected) => expect(evaluateCondition(condition, scope)).toBe(expected));

	it("compile once, listing the templates they read", () => {
		const compiled = compileCondition("${{ inputs.a }} == ${{ steps.b.output.c }}");
		expect(compiled.refs.map(r => r.path)).toEqual([
			["inputs", "a"],
			["steps", "b", "output", "c"]
		]);
		expect(compileCondition("${{ inputs.a }} == ${{ steps.b.output.c }}")).toBe(compiled);
	});

	it.each([
		["", "is empty"],
		["${{ inputs.x }} ==", "does not parse: Unexpected end of expression: ${{ inputs.x }} =="],
		["${{ inputs.x }} === 1", expect.stringMatching(/^does not parse: /)],
		["environment == 'prod'", 'reads "environment": refer to data with a template such as ${{ inputs.environment }}'],
		["${{ inputs.x }}|upper", 'calls "upper": conditions have no functions or transforms'],
		["process(1)", 'calls "process": conditions have no functions or transforms'],
		["${{ inputs.x + 1 }} > 2", expect.stringMatching(/is not a template path/)]
	])("refuse %p", (condition, message) => {
		expect(() => compileCondition(condition)).toThrow(ConditionError);
		try {
			compileCondition(condition);
		} catch (err) {
			expect((err as Error).message).toEqual(message);
		}
	});

	it("cannot reach JavaScript: a property chain reads data, nothing is called", () => {
		expect(evaluateCondition("${{ inputs.environment }}.length == 4", scope)).toBe(true);
		expect(() => compileCondition("${{ inputs.environment }}.constructor == 1")).toThrow(ConditionError);
		expect(() => compileCondition("${{ inputs.environment }}.toString()")).toThrow(ConditionError);
	});
});
