import { isPlainObject } from "../dsl/paths";
import { jsonSchemaProblems } from "./ajv";
import { nonEmptyString, templated } from "./schema";
import type { StepTypeDefinition } from "./types";

/**
 * `{prompt, system?, model?, agent_role?, temperature?, max_tokens?, json_schema?, stream?}`.
 * With `json_schema` the reply must be JSON matching it, and the output is that JSON.
 */
export const aiGenerate: StepTypeDefinition = {
	type: "ai_generate",
	description: "Asks a language model for text, or for JSON matching a schema.",
	paramsSchema: {
		type: "object",
		required: ["prompt"],
		additionalProperties: false,
		properties: {
			prompt: nonEmptyString,
			system: { type: "string" },
			model: nonEmptyString,
			agent_role: nonEmptyString,
			temperature: templated({ type: "number", minimum: 0, maximum: 2 }, "a number from 0 to 2"),
			max_tokens: templated({ type: "integer", minimum: 1, maximum: 1_000_000 }, "a whole number from 1 to 1000000"),
			json_schema: { type: "object" },
			stream: templated({ type: "boolean" }, "true or false")
		}
	},
	check(params, context) {
		return isPlainObject(params.json_schema) ? jsonSchemaProblems(params.json_schema, `${context.path}.json_schema`) : [];
	}
};
