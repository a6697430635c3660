/** Answers of the secrets endpoints, as JSON Schema for the OpenAPI document. */
import type { JsonSchema } from "../openapi/fastest-validator";

export const SECRET: JsonSchema = {
	title: "Secret",
	description: "A secret's name and dates; its value is never answered",
	type: "object",
	required: ["name", "shared", "key_id", "created_by", "created_at", "updated_at"],
	properties: {
		name: { type: "string" },
		shared: { type: "boolean", description: "An admin's secret every user's steps may read (a user's own of the same name wins)" },
		key_id: { type: "string", description: "Id of the encryption key it is stored under (see SECRETS_ENCRYPTION_KEY rotation)" },
		created_by: { type: ["string", "null"] },
		created_at: { type: "string", format: "date-time" },
		updated_at: { type: "string", format: "date-time" }
	},
	additionalProperties: false
};

export const SECRET_LIST: JsonSchema = {
	title: "SecretList",
	type: "object",
	required: ["secrets"],
	properties: { secrets: { type: "array", items: SECRET } },
	additionalProperties: false
};

export const WORKFLOW_WARNINGS: JsonSchema = {
	type: "array",
	description: "What will fail at run time unless fixed first (a secret the steps read that does not exist yet)",
	items: { type: "object", required: ["path", "message"], properties: { path: { type: "string" }, message: { type: "string" } }, additionalProperties: false }
};
