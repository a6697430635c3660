import { isOptional, objectSchema, parseShorthand, toJsonSchema } from "../../../../lib/openapi/fastest-validator";

describe("fastest-validator rules as JSON Schema", () => {
	it("reads shorthand rules", () => {
		expect(parseShorthand("string|optional|max:20")).toEqual({ type: "string", optional: true, max: 20 });
		expect(toJsonSchema("number|integer|positive")).toEqual({ type: "integer", exclusiveMinimum: 0 });
		expect(toJsonSchema("string[]")).toEqual({ type: "array", items: { type: "string" } });
		expect(isOptional("string|optional")).toBe(true);
	});

	it("converts strings, numbers and booleans with their limits", () => {
		expect(toJsonSchema({ type: "string", min: 1, max: 100, trim: true })).toEqual({ type: "string", minLength: 1, maxLength: 100 });
		expect(toJsonSchema({ type: "string", empty: false })).toEqual({ type: "string", minLength: 1 });
		expect(toJsonSchema({ type: "string", pattern: /^[a-z]+$/ })).toEqual({ type: "string", pattern: "^[a-z]+$" });
		expect(toJsonSchema({ type: "string", max: 200, optional: true, nullable: true })).toEqual({ type: ["string", "null"], maxLength: 200 });
		expect(toJsonSchema({ type: "number", integer: true, positive: true, max: 3650 })).toEqual({ type: "integer", exclusiveMinimum: 0, maximum: 3650 });
		expect(toJsonSchema({ type: "number", min: 0, max: 2 })).toEqual({ type: "number", minimum: 0, maximum: 2 });
		expect(toJsonSchema({ type: "boolean" })).toEqual({ type: "boolean" });
		expect(toJsonSchema({ type: "email" })).toEqual({ type: "string", format: "email" });
		expect(toJsonSchema({ type: "uuid" })).toEqual({ type: "string", format: "uuid" });
	});

	it("converts enums, arrays, objects, records and alternatives", () => {
		expect(toJsonSchema({ type: "enum", values: ["a", "b"] })).toEqual({ enum: ["a", "b"] });
		expect(toJsonSchema({ type: "array", min: 1, unique: true, items: { type: "enum", values: ["read", "write"] } })).toEqual({
			type: "array",
			minItems: 1,
			uniqueItems: true,
			items: { enum: ["read", "write"] }
		});
		expect(toJsonSchema({ type: "object", strict: true, props: { role: { type: "enum", values: ["user"] }, content: "string", note: "string|optional" } })).toEqual({
			type: "object",
			properties: { role: { enum: ["user"] }, content: { type: "string" }, note: { type: "string" } },
			required: ["role", "content"],
			additionalProperties: false
		});
		expect(toJsonSchema({ type: "record", key: "string", value: { type: "number" } })).toEqual({ type: "object", additionalProperties: { type: "number" } });
		expect(toJsonSchema({ type: "multi", rules: [{ type: "string" }, { type: "array", items: "string", max: 4 }] })).toEqual({
			anyOf: [{ type: "string" }, { type: "array", items: { type: "string" }, maxItems: 4 }]
		});
		expect(toJsonSchema({ type: "any" })).toEqual({});
	});

	it("builds an action's params as an object: required unless optional or defaulted, $$ keys left out", () => {
		expect(objectSchema({ a: "string", b: { type: "number", default: 3 }, c: { type: "string", optional: true }, $$strict: true })).toEqual({
			type: "object",
			properties: { a: { type: "string" }, b: { type: "number", default: 3 }, c: { type: "string" } },
			required: ["a"],
			additionalProperties: false
		});
	});

	it("says so rather than guess for a rule type it does not know", () => {
		expect(toJsonSchema({ type: "luhn" })).toEqual({ description: 'validated as fastest-validator "luhn"' });
	});
});
