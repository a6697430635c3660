/**
 * Answers of the event bus's endpoints (services/event-bus.service.ts) as JSON Schema for the
 * OpenAPI document: its status, dead letters, the audit log, usage, per-step statistics and
 * notifications.
 */
import type { JsonSchema } from "../openapi/fastest-validator";
import { pageSchema } from "../pagination";
import { DEAD_LETTER_STATUSES } from "./dead-letters";

const TIME: JsonSchema = { type: "string", format: "date-time" };
const TIME_OR_NULL: JsonSchema = { type: ["string", "null"], format: "date-time" };
const NULLABLE_STRING: JsonSchema = { type: ["string", "null"] };
const DAY: JsonSchema = { type: "string", format: "date", description: "UTC day, YYYY-MM-DD" };
const COUNT: JsonSchema = { type: "integer", minimum: 0 };
const ANY: JsonSchema = {};

/** The page fields with something more at the top level (`unread`, the range of a report). */
function pageWith(title: string, itemsKey: string, item: JsonSchema, extra: Record<string, JsonSchema>): JsonSchema {
	const page = pageSchema(title, itemsKey, item);
	return { ...page, required: [...(page.required as string[]), ...Object.keys(extra)], properties: { ...(page.properties as Record<string, JsonSchema>), ...extra } };
}

export const EVENT_BUS_STATUS: JsonSchema = {
	title: "EventBusStatus",
	type: "object",
	required: ["transport", "connected", "relay_leader", "outbox", "dead_letters", "exchange", "handlers"],
	properties: {
		transport: { type: "string", enum: ["amqp", "in-process"], description: "amqp with RABBITMQ_URL, else in-process" },
		connected: { type: "boolean", description: "Whether the transport can publish now (always true in-process)" },
		relay_leader: { type: "boolean", description: "Whether this node holds the lock of the outbox relay" },
		outbox: {
			type: "object",
			required: ["pending", "lag_seconds"],
			properties: { pending: { ...COUNT, description: "Events not yet published" }, lag_seconds: { type: "number", minimum: 0, description: "Age of the oldest unpublished event" } },
			additionalProperties: false
		},
		dead_letters: { ...COUNT, description: "Dead letters waiting for a replay or a discard" },
		exchange: { ...NULLABLE_STRING, description: "The RabbitMQ topic exchange; null in-process" },
		handlers: {
			type: "array",
			items: {
				type: "object",
				required: ["name", "events", "queue"],
				properties: { name: { type: "string" }, events: { type: "array", items: { type: "string" } }, queue: { ...NULLABLE_STRING, description: "Its durable queue; null in-process" } },
				additionalProperties: false
			}
		}
	},
	additionalProperties: false
};

export const DEAD_LETTER: JsonSchema = {
	title: "DeadLetter",
	type: "object",
	required: ["id", "handler", "event_id", "event_type", "status", "error", "attempts", "headers", "payload", "failed_at", "next_attempt_at", "replayed_at", "replay_count"],
	properties: {
		id: { type: "string" },
		handler: { type: "string", description: "The handler that could not handle the event" },
		event_id: { ...NULLABLE_STRING, description: "null when the message was not a readable event" },
		event_type: NULLABLE_STRING,
		status: { type: "string", enum: [...DEAD_LETTER_STATUSES], description: "retrying (in-process, its next try is due at next_attempt_at), dead, replayed or discarded" },
		error: {
			type: "object",
			required: ["message", "type"],
			properties: { message: { type: "string" }, type: { type: "string", description: "e.g. malformed_event, or the database's error code" } },
			additionalProperties: false
		},
		attempts: COUNT,
		headers: { type: "object", description: "The message headers it carried (x-handler, x-attempts, x-error-message, …)" },
		payload: { ...ANY, description: "The event as JSON; the message body as text when it was not JSON" },
		failed_at: TIME,
		next_attempt_at: TIME_OR_NULL,
		replayed_at: TIME_OR_NULL,
		replay_count: COUNT
	},
	additionalProperties: false
};

export const DEAD_LETTER_PAGE = pageSchema("DeadLetterPage", "dead_letters", DEAD_LETTER);

export const REPLAYED: JsonSchema = {
	title: "DeadLettersReplayed",
	type: "object",
	required: ["replayed"],
	properties: { replayed: { ...COUNT, description: "Dead letters sent back to their handlers" } },
	additionalProperties: false
};

const AUDIT_ENTRY: JsonSchema = {
	title: "AuditEntry",
	type: "object",
	required: ["id", "occurred_at", "actor", "action", "resource", "client_ip", "details", "event_id"],
	properties: {
		id: { type: "integer" },
		occurred_at: TIME,
		actor: {
			type: ["object", "null"],
			description: "Who did it; null when no user did (an approval is named by details.decided_by)",
			required: ["id", "email"],
			properties: { id: { type: "string" }, email: { ...NULLABLE_STRING, description: "From the users table at read time" } },
			additionalProperties: false
		},
		action: { type: "string", description: "e.g. workflow.created, execution.started, auth.login" },
		resource: {
			type: "object",
			required: ["type", "id"],
			properties: { type: { type: "string", description: "workflow, execution, user, api_key, …" }, id: NULLABLE_STRING },
			additionalProperties: false
		},
		client_ip: NULLABLE_STRING,
		details: { type: "object", description: "What the action changed; never a secret" },
		event_id: { type: "string", description: "The domain event the entry was made from" }
	},
	additionalProperties: false
};

export const AUDIT_PAGE = pageSchema("AuditPage", "entries", AUDIT_ENTRY);

const USAGE_FIELDS: Record<string, JsonSchema> = {
	executions: {
		type: "object",
		required: ["started", "completed", "failed"],
		properties: { started: COUNT, completed: COUNT, failed: COUNT },
		additionalProperties: false
	},
	tokens: {
		type: "object",
		required: ["prompt", "completion", "total"],
		properties: { prompt: COUNT, completion: COUNT, total: COUNT },
		additionalProperties: false
	},
	cost_usd: { type: "number", minimum: 0 }
};

function usageObject(extra: Record<string, JsonSchema> = {}): JsonSchema {
	return { type: "object", required: [...Object.keys(extra), ...Object.keys(USAGE_FIELDS)], properties: { ...extra, ...USAGE_FIELDS }, additionalProperties: false };
}

export const USAGE: JsonSchema = {
	title: "Usage",
	type: "object",
	required: ["user_id", "from", "to", "days", "totals"],
	properties: {
		user_id: { type: "string" },
		from: DAY,
		to: DAY,
		days: { type: "array", description: "The days with any usage, oldest first", items: usageObject({ day: DAY }) },
		totals: usageObject()
	},
	additionalProperties: false
};

export const USAGE_BY_USER = pageWith("UsageByUserPage", "users", usageObject({ user_id: { type: "string" }, email: NULLABLE_STRING }), { from: DAY, to: DAY });

const STEP_STATISTICS: JsonSchema = {
	type: "object",
	required: ["step_id", "step_type", "completed", "duration_ms", "attempts", "tokens", "cost_usd", "last_completed_at"],
	properties: {
		step_id: { type: "string" },
		step_type: { type: "string" },
		completed: { ...COUNT, description: "Completions of the step" },
		duration_ms: {
			type: "object",
			required: ["mean", "min", "max", "total"],
			properties: { mean: { type: ["number", "null"] }, min: { type: ["integer", "null"] }, max: { type: ["integer", "null"] }, total: COUNT },
			additionalProperties: false
		},
		attempts: {
			type: "object",
			required: ["total", "mean", "retried"],
			properties: { total: COUNT, mean: { type: ["number", "null"] }, retried: { ...COUNT, description: "Completions that needed more than one try" } },
			additionalProperties: false
		},
		tokens: USAGE_FIELDS.tokens,
		cost_usd: { type: "number", minimum: 0 },
		last_completed_at: TIME_OR_NULL
	},
	additionalProperties: false
};

export const WORKFLOW_STATISTICS: JsonSchema = {
	title: "WorkflowStatistics",
	type: "object",
	required: ["workflow_id", "version", "owner_id", "steps"],
	properties: {
		workflow_id: { type: "string" },
		version: { type: "string" },
		owner_id: { type: "string" },
		steps: { type: "array", description: "Every step of the definition, in its order; one that never completed shows zeros and nulls", items: STEP_STATISTICS }
	},
	additionalProperties: false
};

export const NOTIFICATION: JsonSchema = {
	title: "Notification",
	type: "object",
	required: ["id", "user_id", "kind", "title", "message", "event_id", "event_type", "workflow_id", "execution_id", "data", "created_at", "read_at"],
	properties: {
		id: { type: "string", format: "uuid" },
		user_id: { type: "string" },
		kind: { type: "string", enum: ["info", "alert"], description: "alert for a failed execution" },
		title: { type: "string" },
		message: { type: "string" },
		event_id: { type: "string" },
		event_type: { type: "string" },
		workflow_id: NULLABLE_STRING,
		execution_id: NULLABLE_STRING,
		data: { type: "object" },
		created_at: TIME,
		read_at: TIME_OR_NULL
	},
	additionalProperties: false
};

export const NOTIFICATION_PAGE = pageWith("NotificationPage", "notifications", NOTIFICATION, { unread: { ...COUNT, description: "The caller's unread notifications, whatever the filter" } });

export const NOTIFICATIONS_READ: JsonSchema = {
	title: "NotificationsRead",
	type: "object",
	required: ["updated"],
	properties: { updated: { ...COUNT, description: "Notifications that were unread" } },
	additionalProperties: false
};
