/** Answers of the auth endpoints, as JSON Schema for the OpenAPI document (see services/auth.service.ts). */
import type { JsonSchema } from "../openapi/fastest-validator";
import { pageSchema } from "../pagination";
import { ROLES } from "./principal";

const ROLE_LIST: JsonSchema = { type: "array", items: { type: "string", enum: [...ROLES] } };
const TIME: JsonSchema = { type: "string", format: "date-time" };
const TIME_OR_NULL: JsonSchema = { type: ["string", "null"], format: "date-time" };
const SCOPES: JsonSchema = { type: ["array", "null"], items: { type: "string", enum: ["read", "write", "admin"] }, description: "null: everything the key's user may do" };

export const REGISTERED_USER: JsonSchema = {
	title: "RegisteredUser",
	type: "object",
	required: ["user_id", "email", "roles", "full_name"],
	properties: { user_id: { type: "string", format: "uuid" }, email: { type: "string", format: "email" }, roles: ROLE_LIST, full_name: { type: ["string", "null"] } },
	additionalProperties: false
};

export const TOKEN_PAIR: JsonSchema = {
	title: "TokenPair",
	type: "object",
	required: ["access_token", "refresh_token", "token_type", "expires_in"],
	properties: {
		access_token: { type: "string", description: "JWT for `Authorization: Bearer …`" },
		refresh_token: { type: "string", description: "Spend once at POST /api/v3/auth/refresh; reuse revokes the session" },
		token_type: { const: "bearer" },
		expires_in: { type: "integer", description: "Seconds the access token is valid" }
	},
	additionalProperties: false
};

export const USER_PROFILE: JsonSchema = {
	title: "UserProfile",
	type: "object",
	required: ["user_id", "email", "full_name", "roles", "is_active", "created_at", "updated_at"],
	properties: {
		user_id: { type: "string", format: "uuid" },
		email: { type: "string", format: "email" },
		full_name: { type: ["string", "null"] },
		roles: ROLE_LIST,
		is_active: { type: "boolean" },
		created_at: TIME,
		updated_at: TIME
	},
	additionalProperties: false
};

export const USER_PAGE = pageSchema("UserPage", "users", USER_PROFILE);

export const NEW_API_KEY: JsonSchema = {
	title: "NewApiKey",
	type: "object",
	required: ["id", "name", "prefix", "key", "scopes", "created_at", "expires_at"],
	properties: {
		id: { type: "string", format: "uuid" },
		name: { type: "string" },
		prefix: { type: "string" },
		key: { type: "string", description: "The key itself: shown this once, never again" },
		scopes: SCOPES,
		created_at: TIME,
		expires_at: TIME_OR_NULL
	},
	additionalProperties: false
};

export const API_KEY_LIST: JsonSchema = {
	title: "ApiKeyList",
	type: "object",
	required: ["api_keys"],
	properties: {
		api_keys: {
			type: "array",
			items: {
				title: "ApiKey",
				type: "object",
				required: ["id", "name", "prefix", "scopes", "created_at", "last_used_at", "expires_at", "revoked_at"],
				properties: {
					id: { type: "string", format: "uuid" },
					name: { type: "string" },
					prefix: { type: "string" },
					scopes: SCOPES,
					created_at: TIME,
					last_used_at: TIME_OR_NULL,
					expires_at: TIME_OR_NULL,
					revoked_at: TIME_OR_NULL
				},
				additionalProperties: false
			}
		}
	},
	additionalProperties: false
};
