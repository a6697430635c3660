import type { JsonSchema } from "./fastest-validator";

export type { JsonSchema };

/** One answer of an operation. Error statuses need only a description: their body is the API's Error. */
export interface OpenApiAnswer {
	description: string;
	/** JSON Schema of the body; `null` for no body (204). */
	schema?: JsonSchema | null;
	/** `application/json` unless said. */
	contentType?: string;
}

/**
 * What an action says about itself in the OpenAPI document, beside its `params` (the
 * request schema, read from the validator's rules) and `auth` (the security requirement).
 * Put it on every REST-exposed action as `openapi: { … }`.
 *
 *     openapi: {
 *       summary: "Register a user",
 *       responses: { 201: { description: "The new user", schema: USER }, 409: "The email is taken" },
 *       example: { email: "ada@example.com", password: "correct-horse-battery" }
 *     }
 */
export interface ActionOpenApi {
	summary: string;
	description?: string;
	/** Groups in the docs; the service's name when absent. */
	tags?: string[];
	/** Answers by HTTP status. 401/403 (for non-public actions), 422 (with params), 400 (with a body) and a default 5xx are added. */
	responses: Record<number, OpenApiAnswer | string>;
	/** A request that succeeds (body or query fields, and path parameters by name): the docs' example and the contract test's valid request. */
	example?: Record<string, unknown>;
	/** Request bodies in media types besides JSON, e.g. `{"application/yaml": {schema: {type: "string"}, example: "…"}}`. */
	requestBodies?: Record<string, { schema: JsonSchema; example?: unknown }>;
	deprecated?: boolean;
}
