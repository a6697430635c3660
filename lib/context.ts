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

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: ids are made on every
 * request, and one large read of the CSPRNG costs about what one small read does.
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = POOL_SIZE;

function randomHex(bytes: number): string {
	if (poolOffset + bytes > pool.length) {
		pool = randomBytes(POOL_SIZE);
		poolOffset = 0;
	}
	const hex = pool.toString("hex", poolOffset, poolOffset + bytes);
	poolOffset += bytes;
	return hex;
}

export function newRequestId(): string {
	return randomHex(12);
}

/** A W3C trace id (32 lowercase hex digits). */
export function newTraceId(): string {
	return randomHex(16);
}

/** A W3C span id (16 lowercase hex digits). */
export function newSpanId(): string {
	return randomHex(8);
}
