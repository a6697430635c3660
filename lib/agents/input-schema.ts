/** A workflow's declared inputs as the JSON Schema of a tool's arguments (agent workflow tools, MCP tools). */
import type { InputDeclaration, InputType } from "../dsl/model";

const TYPES: Record<InputType, Record<string, unknown>> = {
	string: { type: "string" },
	integer: { type: "integer" },
	float: { type: "number" },
	boolean: { type: "boolean" },
	enum: { type: "string" },
	json: {}
};

export function inputsSchema(inputs: readonly InputDeclaration[]): { type: "object"; properties: Record<string, unknown>; required?: string[] } {
	const properties: Record<string, unknown> = {};
	const required: string[] = [];
	for (const input of inputs) {
		properties[input.name] = {
			...TYPES[input.type],
			...(input.values ? { enum: input.values } : {}),
			...(input.description ? { description: input.description } : {}),
			...(input.default !== null ? { default: input.default } : {})
		};
		if (input.required && input.default === null) required.push(input.name);
	}
	return { type: "object", properties, ...(required.length ? { required } : {}) };
}
