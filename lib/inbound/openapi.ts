/** Answers of the events-in endpoints (events, signals, inbound webhooks), as JSON Schema for the OpenAPI document. */
import type { EventRow } from "../engine/event-store";
import type { HookRecord } from "../hooks/store";
import type { JsonSchema } from "../openapi/fastest-validator";
import { pageSchema } from "../pagination";
import { isoTime } from "../views";

const TIME: JsonSchema = { type: "string", format: "date-time" };
const NULLABLE_STRING: JsonSchema = { type: ["string", "null"] };

const STEP_REF: JsonSchema = {
	type: "object",
	required: ["execution_id", "step_id"],
	properties: { execution_id: { type: "string" }, step_id: { type: "string" } },
	additionalProperties: false
};

const EVENT_RUN: JsonSchema = {
	type: "object",
	required: ["execution_id", "workflow_id", "workflow_version", "status"],
	properties: {
		execution_id: { type: "string", format: "uuid" },
		workflow_id: { type: "string" },
		workflow_version: { type: "string" },
		status: { type: "string", enum: ["started", "queued", "debounced"], description: "started now, queued by flow control, or debounced into a waiting run" }
	},
	additionalProperties: false
};

const EVENT_PROBLEM: JsonSchema = {
	type: "object",
	required: ["workflow_id", "workflow_version", "type", "message"],
	properties: {
		workflow_id: { type: "string" },
		workflow_version: { type: "string" },
		type: { type: "string", enum: ["invalid_inputs", "filter_error", "queue_full"] },
		message: { type: "string" },
		detail: {}
	},
	additionalProperties: false
};

const OUTCOME = {
	runs: { type: "array", items: EVENT_RUN, description: "The runs its triggers started" },
	problems: { type: "array", items: EVENT_PROBLEM, description: "Workflows whose trigger matched but that could not start, and why" },
	delivered_to: { type: "array", items: STEP_REF, description: "The wait_for_event steps it completed" }
} as const;

/** The answer to POST /events: what the event did, or that it is a duplicate. */
export const EVENT_ANSWER: JsonSchema = {
	title: "EventReceived",
	type: "object",
	required: ["event_id", "duplicate"],
	properties: { event_id: { type: "string" }, duplicate: { type: "boolean" }, ...OUTCOME, received_at: TIME },
	additionalProperties: false
};

export const EVENT: JsonSchema = {
	title: "Event",
	type: "object",
	required: ["event_id", "name", "data", "source", "hook_id", "execution_id", "consumed_by", "runs", "problems", "delivered_to", "received_at"],
	properties: {
		event_id: { type: "string" },
		name: { type: "string" },
		data: {},
		source: { type: "string", enum: ["api", "webhook", "signal"] },
		hook_id: NULLABLE_STRING,
		execution_id: { type: ["string", "null"], description: "A signal's execution" },
		consumed_by: { type: ["string", "null"], description: "The wait that took a signal (execution_id/step_id); null while it is kept" },
		...OUTCOME,
		received_at: TIME
	},
	additionalProperties: false
};

export const EVENT_PAGE = pageSchema("EventPage", "events", EVENT);

export const SIGNAL_ANSWER: JsonSchema = {
	title: "SignalReceived",
	type: "object",
	required: ["event_id", "duplicate", "delivered_to"],
	properties: { event_id: { type: "string" }, duplicate: { type: "boolean" }, delivered_to: { type: "array", items: STEP_REF } },
	additionalProperties: false
};

const HOOK_FIELDS = {
	id: { type: "string", format: "uuid" },
	url: { type: "string", description: "Where the sender POSTs: /api/v3/hooks/{id} (absolute when API_PUBLIC_URL is set)" },
	event: { type: "string" },
	verify: { type: "string", enum: ["github", "stripe", "standard-webhooks", "hmac-sha256", "none"] },
	description: NULLABLE_STRING,
	previous_secret_valid_until: { type: ["string", "null"], format: "date-time", description: "Until when the secret before the last rotation is still accepted" },
	owner_id: { type: "string" },
	created_at: TIME,
	updated_at: TIME
} as const;

export const HOOK: JsonSchema = { title: "Hook", type: "object", required: Object.keys(HOOK_FIELDS), properties: HOOK_FIELDS, additionalProperties: false };

export const HOOK_WITH_SECRET: JsonSchema = {
	title: "HookWithSecret",
	type: "object",
	required: [...Object.keys(HOOK_FIELDS), "secret"],
	properties: { ...HOOK_FIELDS, secret: { type: ["string", "null"], description: "Shown only here: give it to the sender (null for verify none)" } },
	additionalProperties: false
};

export const HOOK_PAGE = pageSchema("HookPage", "hooks", HOOK);

export const HOOK_ANSWER: JsonSchema = {
	title: "HookDelivery",
	type: "object",
	required: ["event_id", "duplicate"],
	properties: { event_id: { type: "string" }, duplicate: { type: "boolean" } },
	additionalProperties: false
};

export function eventJson(e: EventRow): Record<string, unknown> {
	return {
		event_id: e.id,
		name: e.name,
		data: e.data,
		source: e.source,
		hook_id: e.hook_id,
		execution_id: e.execution_id,
		consumed_by: e.consumed_by,
		runs: e.runs,
		problems: e.problems,
		delivered_to: e.delivered_to,
		received_at: isoTime(e.received_at)
	};
}

/** A hook as its owner sees it: never its secrets (the secret is shown once, when made or rotated). */
export function hookJson(h: HookRecord, publicUrl: string, now: number): Record<string, unknown> {
	return {
		id: h.id,
		url: `${publicUrl.replace(/\/+$/, "")}/api/v3/hooks/${h.id}`,
		event: h.event,
		verify: h.verify,
		description: h.description,
		previous_secret_valid_until: h.previous_secret && (h.previous_until ?? 0) > now ? isoTime(h.previous_until) : null,
		owner_id: h.owner_id,
		created_at: isoTime(h.created_at),
		updated_at: isoTime(h.updated_at)
	};
}
