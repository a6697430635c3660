/**
 * What the client throws. Every API error answer is `{error, message, detail?, trace_id}`:
 * an `ApiError` carries those fields and the status; a server that cannot be reached is a
 * `ConnectionError`; `executions.wait` that runs out of time is a `WaitTimeoutError`.
 */

/** One problem of a 422 (or a malformed 400), by field: `steps[3].params.url`. */
export interface FieldProblem {
	path: string;
	message: string;
	/** A malformed body's position (1-based), when the server could tell. */
	line?: number;
	column?: number;
}

export class CognitionOSError extends Error {
	override name = "CognitionOSError";
}

export class ApiError extends CognitionOSError {
	override name = "ApiError";
	/** HTTP status of the answer. */
	readonly status: number;
	/** Stable, machine-readable kind: `validation_error`, `not_found`, `invalid_token`, … */
	readonly error: string;
	/** For validation errors the problems by field; otherwise whatever the error carries. */
	readonly detail: unknown;
	/** Finds the request in the server's logs and traces. */
	readonly trace_id: string | undefined;
	/** Seconds to wait before trying again (429, 503), when the server said. */
	readonly retryAfter: number | undefined;

	constructor(status: number, body: { error?: unknown; message?: unknown; detail?: unknown; trace_id?: unknown }, retryAfter?: number) {
		super(typeof body.message === "string" ? body.message : `The server answered ${status}`);
		this.status = status;
		this.error = typeof body.error === "string" ? body.error : `http_${status}`;
		this.detail = body.detail;
		this.trace_id = typeof body.trace_id === "string" ? body.trace_id : undefined;
		this.retryAfter = retryAfter;
	}

	/** The field problems of a validation error (empty for other errors). */
	get problems(): FieldProblem[] {
		return Array.isArray(this.detail) ? (this.detail as FieldProblem[]).filter(p => p && typeof p.path === "string" && typeof p.message === "string") : [];
	}

	/** 401 or 403: the credentials are missing, expired, revoked or not enough. */
	get isAuth(): boolean {
		return this.status === 401 || this.status === 403;
	}
}

/** The server could not be reached (refused, reset, DNS, timed out), or a WebSocket could not stay connected. */
export class ConnectionError extends CognitionOSError {
	override name = "ConnectionError";
	constructor(
		message: string,
		readonly url: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
	}
}

/** `executions.wait` gave up before the run ended; `execution` is the last state seen. */
export class WaitTimeoutError extends CognitionOSError {
	override name = "WaitTimeoutError";
	constructor(
		message: string,
		readonly execution: unknown
	) {
		super(message);
	}
}
