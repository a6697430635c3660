/** Answers of the webhook endpoints (services/webhooks.service.ts) as JSON Schema for the OpenAPI document. */
import type { JsonSchema } from "../openapi/fastest-validator";
import { pageSchema } from "../pagination";
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from "./store";

const TIME: JsonSchema = { type: "string", format: "date-time" };
const TIME_OR_NULL: JsonSchema = { type: ["string", "null"], format: "date-time" };
const NULLABLE_STRING: JsonSchema = { type: ["string", "null"] };

const WEBHOOK_FIELDS: Record<string, JsonSchema> = {
	id: { type: "string", format: "uuid" },
	workflow_id: { type: "string", description: "The caller's workflow (every version) whose executions are delivered" },
	url: { type: "string", format: "uri" },
	events: { type: "array", items: { type: "string", enum: [...WEBHOOK_EVENTS] } },
	description: NULLABLE_STRING,
	status: { type: "string", enum: ["active", "disabled"] },
	owner_id: { type: "string", format: "uuid" },
	created_at: TIME,
	updated_at: TIME
};

export const WEBHOOK: JsonSchema = {
	title: "Webhook",
	type: "object",
	required: Object.keys(WEBHOOK_FIELDS),
	properties: WEBHOOK_FIELDS,
	additionalProperties: false
};

/** As created or rotated: the only answers that show the signing secret. */
export const WEBHOOK_WITH_SECRET: JsonSchema = {
	title: "WebhookWithSecret",
	type: "object",
	required: [...Object.keys(WEBHOOK_FIELDS), "secret"],
	properties: {
		...WEBHOOK_FIELDS,
		secret: {
			type: "string",
			pattern: "^whsec_[A-Za-z0-9_-]+$",
			description: "Verifies X-CognitionOS-Signature (HMAC-SHA256 over `<timestamp>.<body>`); shown only here, never again"
		}
	},
	additionalProperties: false
};

export const WEBHOOK_PAGE = pageSchema("WebhookPage", "webhooks", WEBHOOK);

export const DELIVERY: JsonSchema = {
	title: "WebhookDelivery",
	type: "object",
	required: [
		"id",
		"webhook_id",
		"event_id",
		"event_type",
		"execution_id",
		"status",
		"attempts",
		"next_attempt_at",
		"created_at",
		"last_attempt_at",
		"delivered_at",
		"last_status_code",
		"last_error",
		"attempt_log",
		"payload"
	],
	properties: {
		id: { type: "string", format: "uuid", description: "Also the Idempotency-Key and X-CognitionOS-Delivery of each try" },
		webhook_id: { type: "string", format: "uuid" },
		event_id: { type: "string" },
		event_type: { type: "string", enum: [...WEBHOOK_EVENTS] },
		execution_id: NULLABLE_STRING,
		status: { type: "string", enum: [...DELIVERY_STATUSES], description: "pending until a try gets a 2xx (delivered) or the tries are used up (failed); cancelled when the webhook was disabled or deleted" },
		attempts: { type: "integer", minimum: 0 },
		next_attempt_at: { ...TIME_OR_NULL, description: "When a pending delivery is tried next; null otherwise" },
		created_at: TIME,
		last_attempt_at: TIME_OR_NULL,
		delivered_at: TIME_OR_NULL,
		last_status_code: { type: ["integer", "null"], description: "The receiver's last HTTP status; null when no answer came" },
		last_error: NULLABLE_STRING,
		attempt_log: {
			type: "array",
			description: "The last 50 tries, oldest first",
			items: {
				type: "object",
				required: ["attempt", "at", "status_code", "error", "duration_ms"],
				properties: {
					attempt: { type: "integer", minimum: 0 },
					at: TIME,
					status_code: { type: ["integer", "null"] },
					error: NULLABLE_STRING,
					duration_ms: { type: ["integer", "null"], minimum: 0 }
				},
				additionalProperties: false
			}
		},
		payload: { description: "The body sent: the event as JSON" }
	},
	additionalProperties: false
};

export const DELIVERY_PAGE = pageSchema("WebhookDeliveryPage", "deliveries", DELIVERY);

/** The example the docs show and the contract test starts from. */
export const EXAMPLE_WEBHOOK = {
	workflow_id: "hello",
	url: "https://hooks.example.com/cognitionos",
	events: ["WorkflowExecutionCompleted", "WorkflowExecutionFailed"],
	description: "Tell the team"
};
