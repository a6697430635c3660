/**
 * Client → server requests of the real-time protocol (the summary's actions), checked
 * field by field: a bad request gets an `error` message naming the field, never a crash.
 */

export const ACTIONS = ["ping", "subscribe", "unsubscribe", "get_stats"] as const;
export type Action = (typeof ACTIONS)[number];

export type ClientRequest =
	| { action: "ping" | "get_stats"; request_id?: string }
	| {
			action: "subscribe" | "unsubscribe";
			workflow_id?: string;
			execution_id?: string;
			/** Resume: the last sequence number the client saw of this execution. */
			since?: number;
			/** Admins only: whose workflow (workflow ids are per owner). */
			owner_id?: string;
			request_id?: string;
	  };

export interface ProtocolError {
	error: "validation_error";
	message: string;
	field: string;
}

export type Parsed = { ok: true; request: ClientRequest } | { ok: false; error: ProtocolError };

const fail = (field: string, message: string): Parsed => ({ ok: false, error: { error: "validation_error", message, field } });

const isId = (v: unknown, max: number) => typeof v === "string" && v.length > 0 && v.length <= max;

/** Checks a request that arrived as a WebSocket text frame. */
export function parseFrame(text: string): Parsed {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return fail("$", "Messages must be JSON objects such as {\"action\":\"ping\"}");
	}
	return parseRequest(value);
}

/** Checks a request object (a parsed frame, or a socket.io event's payload with its action). */
export function parseRequest(value: unknown): Parsed {
	if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("$", "Messages must be JSON objects such as {\"action\":\"ping\"}");
	const v = value as Record<string, unknown>;
	if (!(ACTIONS as readonly unknown[]).includes(v.action)) return fail("action", `action must be one of ${ACTIONS.join(", ")}`);
	if (v.request_id !== undefined && !isId(v.request_id, 128)) return fail("request_id", "request_id must be a string of 1 to 128 characters");
	const requestId = v.request_id as string | undefined;
	const action = v.action as Action;
	if (action === "ping" || action === "get_stats") return { ok: true, request: { action, ...(requestId ? { request_id: requestId } : {}) } };

	const hasWorkflow = v.workflow_id !== undefined;
	const hasExecution = v.execution_id !== undefined;
	if (hasWorkflow === hasExecution) return fail(hasWorkflow ? "execution_id" : "workflow_id", `${action} needs exactly one of workflow_id and execution_id`);
	if (hasWorkflow && !isId(v.workflow_id, 128)) return fail("workflow_id", "workflow_id must be a string of 1 to 128 characters");
	if (hasExecution && !isId(v.execution_id, 36)) return fail("execution_id", "execution_id must be a string of 1 to 36 characters");
	if (v.owner_id !== undefined && (!hasWorkflow || !isId(v.owner_id, 36))) return fail("owner_id", "owner_id is a user id (string) and goes with workflow_id");
	if (v.since !== undefined) {
		if (action !== "subscribe" || !hasExecution) return fail("since", "since resumes an execution: it goes with subscribe and execution_id");
		if (typeof v.since !== "number" || !Number.isSafeInteger(v.since) || v.since < 0) return fail("since", "since must be a non-negative integer (the last seq received)");
	}
	return {
		ok: true,
		request: {
			action,
			...(hasWorkflow ? { workflow_id: v.workflow_id as string } : { execution_id: v.execution_id as string }),
			...(v.since !== undefined ? { since: v.since as number } : {}),
			...(v.owner_id !== undefined ? { owner_id: v.owner_id as string } : {}),
			...(requestId ? { request_id: requestId } : {})
		}
	};
}
