/**
 * Errors with a stable `type` and an HTTP status in `code`, the shape Moleculer
 * carries between nodes (name, message, code, type, data). The gateway turns them
 * into `{error, message, detail?, trace_id}` once.
 */
export interface FieldProblem {
	path: string;
	message: string;
}

export class AppError extends Error {
	readonly retryable = false;

	constructor(
		message: string,
		readonly code: number,
		readonly type: string,
		readonly data?: unknown
	) {
		super(message);
		this.name = "AppError";
	}
}

export const badRequest = (message: string, data?: unknown) => new AppError(message, 400, "bad_request", data);
export const unauthorized = (message = "Authentication required", type = "unauthorized") => new AppError(message, 401, type);
export const forbidden = (message = "You are not allowed to do this") => new AppError(message, 403, "forbidden");
export const notFound = (what: string) => new AppError(`${what} not found`, 404, "not_found");
export const conflict = (message: string, data?: unknown) => new AppError(message, 409, "conflict", data);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
	new AppError(message, 429, "rate_limited", { retry_after: retryAfterSeconds });

/** 422 with every problem found, each naming the field (`steps[3].params.url`). */
export const validationFailed = (message: string, problems: FieldProblem[]) => new AppError(message, 422, "validation_error", problems);

/** How long a client is told to wait before trying again (s): the outages we ride out (a restart, a reconnect) take seconds. */
export const RETRY_AFTER_SECONDS = 2;

/** 503 naming what is unavailable: a dependency (`database`, `redis`, `nats`) or a service no node offers; answered with Retry-After. */
export const serviceUnavailable = (service: string, message: string) =>
	new AppError(message, 503, "service_unavailable", { service, retry_after: RETRY_AFTER_SECONDS });

/** 507: the node's disk is too full to take new work; answered with Retry-After. */
export const insufficientStorage = (message: string) => new AppError(message, 507, "insufficient_storage", { retry_after: RETRY_AFTER_SECONDS * 15 });
