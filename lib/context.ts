import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

/** What every log line of one request carries, across awaits and across nodes. */
export interface RequestContext {
	request_id?: string;
	trace_id?: string;
	span_id?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
	return requestContext.getStore();
}

/** A request id a client may send: short, printable, no spaces (it lands in log lines). */
const REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export function isValidRequestId(value: unknown): value is string {
	return typeof value === "string" && REQUEST_ID.test(value);
}

export function newRequestId(): string {
	return randomBytes(12).toString("hex");
}

/** A W3C trace id (32 lowercase hex digits). */
export function newTraceId(): string {
	return randomBytes(16).toString("hex");
}
