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
