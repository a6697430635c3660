import { coerceInputs, coerceValue, type InputDeclaration } from "../../../../lib/dsl";
import { thrown } from "./definitions";

const declare = (name: string, type: InputDeclaration["type"], more: Partial<InputDeclaration> = {}): InputDeclaration => ({
	name,
	type,
	required: false,
	default: null,
	values: null,
	description: null,
	...more
});

const declarations = [
	declare("repo_url", "string", { required: true }),
	declare("environment", "enum", { values: ["dev", "staging", "prod"], default: "dev" }),
	declare("run_tests", "boolean", { default: true }),
	declare("replicas", "integer"),
	declare("ratio", "float"),
	declare("extra", "json")
];

describe("execute-time inputs", () => {
	it("apply defaults, coerce strictly, and set optional inputs without default to null", () => {
		expect(coerceInputs(declarations, { repo_url: "https://git/x", run_tests: "false", replicas: "5", ratio: "0.25", extra: { a: [1] } })).toEqual({
			repo_url: "https://git/x",
			environment: "dev",
			run_tests: false,
			replicas: 5,
			ratio: 0.25,
			extra: { a: [1] }
		});
		expect(coerceInputs(declarations, { repo_url: "u" })).toEqual({
			repo_url: "u",
			environment: "dev",
			run_tests: true,
			replicas: null,
			ratio: null,
			extra: null
		});
	});

	it("refuse, naming each input: missing required, wrong types, enum outside its values, undeclared names", () => {
		const err = thrown(() => coerceInputs(declarations, { replicas: "five", environment: "qa", run_tests: "yes", ratio: "1/2", colour: "red" }));
		expect(err.code).toBe(422);
		expect(err.data).toEqual([
			{ path: "inputs.repo_url", message: "is required" },
			{ path: "inputs.environment", message: "must be one of dev, staging, prod" },
			{ path: "inputs.run_tests", message: "must be a boolean (true or false)" },
			{ path: "inputs.replicas", message: "must be an integer" },
			{ path: "inputs.ratio", message: "must be a number" },
			{ path: "inputs.colour", message: "is not an input of this workflow (declared: repo_url, environment, run_tests, replicas, ratio, extra)" }
		]);
		expect(err.message).toBe("Invalid inputs: inputs.repo_url, inputs.environment, inputs.run_tests, inputs.replicas, inputs.ratio, inputs.colour");
	});

	it("pass inputs through unchanged when the workflow declares none", () => {
		const given = { anything: { goes: [1, "two"] } };
		expect(coerceInputs([], given)).toBe(given);
		expect(coerceInputs([], undefined)).toEqual({});
	});

	it("must be an object", () => {
		expect(thrown(() => coerceInputs(declarations, ["x"])).data).toEqual([{ path: "inputs", message: "must be an object" }]);
	});

	it.each([
		["integer", 7, 7],
		["integer", "-12", -12],
		["integer", " 42 ", 42],
		["float", "1e3", 1000],
		["float", 2, 2],
		["boolean", "true", true],
		["boolean", false, false],
		["string", 5, "5"],
		["string", true, "true"],
		["json", "text", "text"]
	] as const)("coerce %s %p to %p", (type, value, expected) => {
		expect(coerceValue(type, value)).toEqual({ ok: true, value: expected });
	});

	it.each([
		["integer", 1.5],
		["integer", "1.0"],
		["integer", "9007199254740993"],
		["integer", true],
		["float", "NaN"],
		["float", ""],
		["boolean", "TRUE"],
		["boolean", 1],
		["string", { a: 1 }],
		["enum", "x"]
	] as const)("refuse %s %p", (type, value) => {
		expect(coerceValue(type, value, ["a"]).ok).toBe(false);
	});

	it("take enum values given as numbers by their text", () => {
		expect(coerceValue("enum", 2, ["1", "2"])).toEqual({ ok: true, value: "2" });
	});
});
