import { RETRY_AFTER_SECONDS, type FieldProblem } from "./errors";
import { locateJsonError } from "./json-syntax";

export interface ErrorBody {
	error: string;
	message: string;
	detail?: unknown;
	trace_id: string;
	debug?: { name: string; message: string; stack?: string };
}

export interface ErrorResponse {
	status: number;
	headers: Record<string, string>;
	body: ErrorBody;
}

interface ErrorLike {
	name?: string;
	message?: string;
	code?: unknown;
	status?: unknown;
	statusCode?: unknown;
	type?: unknown;
	data?: unknown;
	stack?: string;
	/** The raw text body-parser failed to parse. */
	body?: unknown;
}

const STATUS_NAMES: Record<number, string> = {
	400: "bad_request",
	401: "unauthorized",
	403: "forbidden",
	404: "not_found",
	405: "method_not_allowed",
	408: "request_timeout",
	409: "conflict",
	413: "payload_too_large",
	415: "unsupported_media_type",
	422: "validation_error",
	429: "rate_limited",
	500: "internal_error",
	502: "bad_gateway",
	503: "service_unavailable",
	504: "timeout",
	507: "insufficient_storage"
};

/** Types whose status or wording the API states differently from the library that raises them. */
const KNOWN_TYPES: Record<string, { status?: number; error: string; message?: string }> = {
	VALIDATION_ERROR: { error: "validation_error", message: "The request is not valid" },
	SERVICE_NOT_FOUND: { status: 503, error: "service_unavailable", message: "The service that answers this request is not available" },
	SERVICE_NOT_AVAILABLE: { status: 503, error: "service_unavailable", message: "The service that answers this request is not available" },
	REQUEST_TIMEOUT: { status: 504, error: "timeout", message: "The request took too long" },
	REQUEST_SKIPPED: { status: 504, error: "timeout", message: "The request took too long" },
	GRACEFUL_STOP_TIMEOUT: { status: 503, error: "service_unavailable", message: "The node is shutting down" },
	"entity.parse.failed": { error: "invalid_body", message: "The request body is not valid JSON" },
	"entity.too.large": { error: "payload_too_large", message: "The request body is too large" },
	"encoding.unsupported": { error: "unsupported_media_type", message: "The request body's encoding is not supported" },
	"encoding.invalid": { status: 400, error: "invalid_body", message: "The request body is not encoded as its Content-Encoding says" },
	"charset.unsupported": { error: "unsupported_media_type", message: "The request body's charset is not supported" },
	NOT_FOUND: { error: "not_found", message: "Not found" },
	ERR_NO_TOKEN: { error: "unauthorized", message: "Authentication required" },
	ERR_INVALID_TOKEN: { error: "invalid_token", message: "The access token is not valid" }
};

/**
 * zlib's and brotli's error codes (`Z_DATA_ERROR`, `ERR__ERROR_FORMAT_PADDING_1`): a body
 * whose Content-Encoding is not what it says. moleculer-web passes body-parser's 400 on
 * with zlib's code in place of the status.
 */
const DECOMPRESSION_CODE = /^(Z_[A-Z_]+|ERR__ERROR_[A-Z0-9_]+|ERR_BROTLI[A-Z0-9_]*)$/;

/** Moleculer's and moleculer-web's ways of saying that no node offers an action. */
const NO_NODE_TYPES = new Set(["SERVICE_NOT_FOUND", "SERVICE_NOT_AVAILABLE"]);

/** The service a call could not reach: named by the error's data (`service`, or the `action` Moleculer names). */
function unreachableService(err: ErrorLike): string | undefined {
	const data = err.data as { service?: unknown; action?: unknown } | undefined;
	if (typeof data?.service === "string") return data.service;
	if (typeof data?.action === "string") return data.action.includes(".") ? data.action.slice(0, data.action.lastIndexOf(".")) : data.action;
	return undefined;
}

function statusOf(err: ErrorLike): number {
	for (const v of [err.code, err.status, err.statusCode]) {
		if (typeof v === "number" && v >= 400 && v <= 599) return Math.trunc(v);
	}
	return 500;
}

function isFieldProblem(v: unknown): v is { field?: unknown; path?: unknown; message?: unknown } {
	return v !== null && typeof v === "object" && ("field" in v || "path" in v) && "message" in v;
}

/** Moleculer's validator reports `{field, message, type, actual}`; the API reports `{path, message}`. */
function fieldProblems(data: unknown): FieldProblem[] | undefined {
	if (!Array.isArray(data) || data.length === 0 || !data.every(isFieldProblem)) return undefined;
	return data.map(p => ({ path: String(p.path ?? p.field), message: String(p.message) }));
}

/**
 * The one error format of the API. 5xx answers never echo internal messages (they
 * may hold SQL or hostnames) unless `debug` is on.
 */
export function toErrorResponse(raw: unknown, traceId: string, debug = false): ErrorResponse {
	const err: ErrorLike = raw instanceof Error || (raw !== null && typeof raw === "object") ? (raw as ErrorLike) : { message: String(raw) };
	const type = typeof err.type === "string" ? err.type : typeof err.code === "string" && DECOMPRESSION_CODE.test(err.code) ? "encoding.invalid" : "";
	let known = KNOWN_TYPES[type];
	const status = known?.status ?? statusOf(err);
	const service = status === 503 ? unreachableService(err) : undefined;
	if (service && NO_NODE_TYPES.has(type)) known = { ...known, message: `The ${service} service is not available on any node right now; try again shortly` };

	let error = known?.error ?? (/^[a-z][a-z0-9_]*$/.test(type) ? type : STATUS_NAMES[status] ?? (status < 500 ? "bad_request" : "internal_error"));
	let message = known?.message ?? err.message ?? "";
	if (status >= 500 && !known) {
		error = STATUS_NAMES[status] ?? "internal_error";
		message = status === 500 ? "Internal server error" : message || "Server error";
	}
	if (!message) message = error.replace(/_/g, " ");

	const body: ErrorBody = { error, message, trace_id: traceId };
	if (status < 500) {
		const problems = fieldProblems(err.data);
		if (problems) body.detail = problems;
		else if (err.data !== undefined && err.data !== null && type !== "" && !(type in KNOWN_TYPES)) body.detail = err.data;
		if (type === "entity.parse.failed" && err.message) {
			if (typeof err.body === "string") {
				const { line, column, reason } = locateJsonError(err.body, err.message);
				body.message = `Malformed JSON at line ${line}, column ${column}: ${reason}`;
				body.detail = [{ path: "body", message: `line ${line}, column ${column}: ${reason}` }];
			} else body.detail = [{ path: "body", message: err.message }];
		}
	}
	if (service) body.detail = { service };
	if (debug && status >= 500) body.debug = { name: err.name ?? "Error", message: err.message ?? "", stack: err.stack };

	const headers: Record<string, string> = {};
	if (status === 401) headers["WWW-Authenticate"] = error === "invalid_token" ? 'Bearer error="invalid_token"' : "Bearer";
	const retryAfter = (err.data as { retry_after?: unknown } | undefined)?.retry_after;
	if (status === 429 && typeof retryAfter === "number") headers["Retry-After"] = String(Math.max(1, Math.ceil(retryAfter)));
	// Unavailable (a dependency, a service, a full disk) is temporary: say when to come back.
	if (status === 503 || status === 507) headers["Retry-After"] = String(Math.max(1, Math.ceil(typeof retryAfter === "number" ? retryAfter : RETRY_AFTER_SECONDS)));
	return { status, headers, body };
}
