/**
 * The OpenAPI 3.1 document of the API, built from the gateway's route table: each route's
 * action, the validator rules of its `params`, its `auth` requirement and its `openapi`
 * annotation. Nothing here is written by hand per endpoint.
 */
import type { AuthRequirement } from "../auth/principal";
import { isOptional, objectSchema, toJsonSchema, type JsonSchema } from "./fastest-validator";
import type { ActionOpenApi, OpenApiAnswer } from "./types";

export interface RouteOperation {
	/** HTTP method as the route declares it (GET, POST, …). */
	method: string;
	/** Full path in the gateway's form: `/api/v3/auth/users/:id`. */
	path: string;
	/** The action that answers. */
	action: string;
	auth: AuthRequirement;
	params?: Record<string, unknown>;
	openapi?: ActionOpenApi;
	/** The action takes the body as sent (`params.body`): its media types come from `openapi.requestBodies` only. */
	rawBody?: boolean;
}

export interface DocumentInfo {
	title: string;
	version: string;
	description?: string;
}

type OpenApiObject = Record<string, unknown>;

const BODY_METHODS = new Set(["post", "put", "patch"]);
const PATH_PARAM = /:([A-Za-z_][A-Za-z0-9_]*)(\([^)]*\))?([?*+])?/g;

/** `/users/:id` → `/users/{id}`: the route template as OpenAPI (and the metrics' `endpoint` label) writes it. */
export function openApiPath(path: string): string {
	return path.replace(PATH_PARAM, "{$1}");
}

function pathParamNames(path: string): string[] {
	return [...path.matchAll(PATH_PARAM)].map(m => m[1]);
}

const ERROR_REF = { $ref: "#/components/schemas/Error" };
const REQUEST_ID_HEADER = { "X-Request-ID": { $ref: "#/components/headers/RequestId" } };

function errorAnswer(description: string, extraHeaders: Record<string, unknown> = {}): OpenApiObject {
	return { description, headers: { ...REQUEST_ID_HEADER, ...extraHeaders }, content: { "application/json": { schema: ERROR_REF } } };
}

/** Headers an error answer carries besides X-Request-ID: the auth challenge, or when to come back. */
function errorHeaders(code: number): Record<string, unknown> {
	if (code === 401) return { "WWW-Authenticate": { $ref: "#/components/headers/WwwAuthenticate" } };
	if (code === 429 || code === 503 || code === 507) return { "Retry-After": { $ref: "#/components/headers/RetryAfter" } };
	return {};
}

function successAnswer(answer: OpenApiAnswer): OpenApiObject {
	const out: OpenApiObject = { description: answer.description, headers: { ...REQUEST_ID_HEADER } };
	if (answer.schema !== null && answer.schema !== undefined) out.content = { [answer.contentType ?? "application/json"]: { schema: answer.schema } };
	return out;
}

const AUTH_NOTE: Record<AuthRequirement, string> = {
	public: "No credentials needed.",
	read: "Needs a signed-in user or an API key with the `read` scope (any role).",
	write: "Needs the `user` or `admin` role (an API key needs the `write` scope).",
	admin: "Needs the `admin` role (an API key needs the `admin` scope)."
};

function buildOperation(op: RouteOperation, operationId: string): OpenApiObject {
	const method = op.method.toLowerCase();
	const doc = op.openapi;
	const params = op.params ?? {};
	const example = doc?.example ?? {};
	const pathNames = pathParamNames(op.path);
	const parameters: OpenApiObject[] = pathNames.map(name => ({
		name,
		in: "path",
		required: true,
		schema: params[name] === undefined ? { type: "string" } : toJsonSchema(params[name]),
		...(example[name] !== undefined ? { example: example[name] } : {})
	}));
	const fieldNames = Object.keys(params).filter(n => !n.startsWith("$$") && !pathNames.includes(n) && !(op.rawBody && n === "body"));
	const operation: OpenApiObject = {
		operationId,
		summary: doc?.summary ?? op.action,
		description: [doc?.description, AUTH_NOTE[op.auth]].filter(Boolean).join("\n\n"),
		tags: doc?.tags ?? [op.action.split(".")[0]],
		"x-cognitionos-action": op.action,
		"x-cognitionos-auth": op.auth,
		security: op.auth === "public" ? [] : [{ bearerAuth: [] }, { apiKeyAuth: [] }]
	};
	if (doc?.deprecated) operation.deprecated = true;

	let hasBody = false;
	if (BODY_METHODS.has(method)) {
		const content: OpenApiObject = {};
		if (fieldNames.length && !op.rawBody) {
			const fields = Object.fromEntries(fieldNames.map(n => [n, params[n]]));
			const bodyExample = Object.fromEntries(Object.entries(example).filter(([k]) => !pathNames.includes(k)));
			content["application/json"] = { schema: objectSchema(fields), ...(Object.keys(bodyExample).length ? { example: bodyExample } : {}) };
		}
		for (const [type, body] of Object.entries(doc?.requestBodies ?? {})) content[type] = { schema: body.schema, ...(body.example !== undefined ? { example: body.example } : {}) };
		if (Object.keys(content).length) {
			hasBody = true;
			operation.requestBody = { required: op.rawBody ? true : fieldNames.some(n => !isOptional(params[n])), content };
		}
	} else {
		for (const name of fieldNames) {
			parameters.push({
				name,
				in: "query",
				required: !isOptional(params[name]),
				schema: toJsonSchema(params[name]),
				...(example[name] !== undefined ? { example: example[name] } : {})
			});
		}
	}
	if (parameters.length) operation.parameters = parameters;

	const responses: OpenApiObject = {};
	for (const [status, answer] of Object.entries(doc?.responses ?? { 200: { description: "Done" } })) {
		const code = Number(status);
		if (typeof answer === "string") responses[status] = code >= 400 ? errorAnswer(answer, errorHeaders(code)) : successAnswer({ description: answer });
		else responses[status] = code >= 400 ? errorAnswer(answer.description, errorHeaders(code)) : successAnswer(answer);
	}
	if (hasBody) responses["400"] ??= errorAnswer("The body is not valid JSON");
	if (op.auth !== "public") {
		responses["401"] ??= errorAnswer("No credentials, or they are not valid (expired, revoked, deactivated account)", { "WWW-Authenticate": { $ref: "#/components/headers/WwwAuthenticate" } });
		responses["403"] ??= errorAnswer("The caller's role or API key scopes do not allow this");
	}
	if (fieldNames.length || pathNames.some(n => params[n] !== undefined)) responses["422"] ??= errorAnswer("The request is not valid; `detail` names each field and what is wrong with it");
	responses["503"] ??= errorAnswer("A service no node offers right now, or a dependency that cannot serve (the database, Redis): `detail.service` names it; ask again after Retry-After", errorHeaders(503));
	responses.default = errorAnswer("Unexpected answer: 5xx (internal_error, timeout) or 413 (payload_too_large)");
	operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => (a === "default" ? 1 : b === "default" ? -1 : Number(a) - Number(b))));
	return operation;
}

/** Moves every schema with a `title` into `components.schemas`, replacing it by a `$ref`. */
function hoistTitledSchemas(node: unknown, components: Record<string, JsonSchema>, top = true): unknown {
	if (Array.isArray(node)) return node.map(n => hoistTitledSchemas(n, components, false));
	if (!node || typeof node !== "object") return node;
	const obj = node as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(obj)) out[k] = hoistTitledSchemas(v, components, false);
	if (!top && typeof obj.title === "string" && (obj.type === "object" || obj.properties)) {
		const name = obj.title.replace(/[^A-Za-z0-9._-]/g, "");
		components[name] ??= out;
		return { $ref: `#/components/schemas/${name}` };
	}
	return out;
}

export const ERROR_SCHEMA: JsonSchema = {
	type: "object",
	description: "Every error answer of the API",
	required: ["error", "message", "trace_id"],
	properties: {
		error: { type: "string", description: "Stable, machine-readable kind (validation_error, not_found, invalid_token, …)", pattern: "^[a-z][a-z0-9_.]*$" },
		message: { type: "string", description: "What went wrong, for people" },
		detail: {
			description: "For validation errors, the problems by field; otherwise what the error carries",
			anyOf: [{ type: "array", items: { $ref: "#/components/schemas/FieldProblem" } }, { type: "object" }]
		},
		trace_id: { type: "string", pattern: "^[0-9a-f]{32}$", description: "Finds this request in the logs and traces" },
		debug: { type: "object", description: "Only with API_DEBUG: the internal error of a 5xx" }
	},
	additionalProperties: false
};

export function buildOpenApiDocument(info: DocumentInfo, routes: RouteOperation[]): OpenApiObject {
	const paths: Record<string, OpenApiObject> = {};
	const ids = new Map<string, number>();
	const sorted = [...routes].sort((a, b) => openApiPath(a.path).localeCompare(openApiPath(b.path)) || a.method.localeCompare(b.method));
	for (const route of sorted) {
		if (route.method === "*") continue;
		const n = (ids.get(route.action) ?? 0) + 1;
		ids.set(route.action, n);
		const path = openApiPath(route.path);
		paths[path] ??= {};
		paths[path][route.method.toLowerCase()] = buildOperation(route, n === 1 ? route.action : `${route.action}.${route.method.toLowerCase()}`);
	}
	const schemas: Record<string, JsonSchema> = {
		Error: ERROR_SCHEMA,
		FieldProblem: {
			type: "object",
			required: ["path", "message"],
			properties: { path: { type: "string", description: "The field, e.g. steps[3].params.url" }, message: { type: "string" } },
			additionalProperties: false
		}
	};
	const hoisted = hoistTitledSchemas(paths, schemas) as Record<string, OpenApiObject>;
	return {
		openapi: "3.1.0",
		info: { title: info.title, version: info.version, ...(info.description ? { description: info.description } : {}) },
		servers: [{ url: "/" }],
		security: [{ bearerAuth: [] }, { apiKeyAuth: [] }],
		paths: hoisted,
		components: {
			schemas,
			securitySchemes: {
				bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "An access token from POST /api/v3/auth/login, or an API key (cos_…)" },
				apiKeyAuth: { type: "apiKey", in: "header", name: "X-API-Key", description: "An API key from POST /api/v3/auth/api-keys" }
			},
			headers: {
				RequestId: { description: "The client's X-Request-ID when well-formed, else a new one; on every log line of the request", schema: { type: "string" } },
				WwwAuthenticate: { description: "Bearer, with error=\"invalid_token\" when a token was refused", schema: { type: "string" } },
				RetryAfter: { description: "Seconds to wait before trying again", schema: { type: "integer" } }
			}
		}
	};
}
