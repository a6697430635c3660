/** Answers of the workflow and execution endpoints, as JSON Schema for the OpenAPI document. */
import type { JsonSchema } from "../openapi/fastest-validator";
import { pageSchema } from "../pagination";
import { WORKFLOW_WARNINGS } from "../secrets/openapi";

const TIME: JsonSchema = { type: "string", format: "date-time" };
const TIME_OR_NULL: JsonSchema = { type: ["string", "null"], format: "date-time" };
const NULLABLE_STRING: JsonSchema = { type: ["string", "null"] };
const ANY: JsonSchema = {};

const STATUS: JsonSchema = { type: "string", enum: ["draft", "active", "deprecated", "archived"] };
const INPUT_TYPE: JsonSchema = { type: "string", enum: ["string", "integer", "float", "boolean", "enum", "json"] };

const INPUT_DECLARATION: JsonSchema = {
	type: "object",
	required: ["name", "type", "required", "default", "values", "description"],
	properties: { name: { type: "string" }, type: INPUT_TYPE, required: { type: "boolean" }, default: ANY, values: { type: ["array", "null"], items: { type: "string" } }, description: NULLABLE_STRING },
	additionalProperties: false
};

const OUTPUT_DECLARATION: JsonSchema = {
	type: "object",
	required: ["name", "type", "values", "description", "value"],
	properties: {
		name: { type: "string" },
		type: { anyOf: [INPUT_TYPE, { type: "null" }] },
		values: { type: ["array", "null"], items: { type: "string" } },
		description: NULLABLE_STRING,
		value: ANY
	},
	additionalProperties: false
};

const STEP: JsonSchema = {
	type: "object",
	required: ["id", "name", "type", "params", "depends_on", "timeout", "retry", "retry_delay", "condition", "agent_role", "approval_required", "approval_timeout", "agent_capability"],
	properties: {
		id: { type: "string" },
		name: { type: "string" },
		type: { type: "string", enum: ["transform", "http_request", "ai_generate", "delay", "approval", "sub_workflow", "map", "wait_for_event"] },
		params: { type: "object" },
		depends_on: { type: "array", items: { type: "string" } },
		timeout: { type: ["string", "null"], description: 'a duration such as "30s", or null for the engine default' },
		retry: { type: "integer", minimum: 0 },
		retry_delay: { type: "string" },
		condition: NULLABLE_STRING,
		agent_role: NULLABLE_STRING,
		approval_required: { type: ["boolean", "string"] },
		approval_timeout: { type: ["string", "null"], description: 'how long the step waits for its approval (a duration such as "1h"); null: a gate waits until decided, an approval step its timeout' },
		agent_capability: NULLABLE_STRING
	},
	additionalProperties: false
};

/** A stored definition: the normalized model (re-postable as is) with its record's fields. */
export const WORKFLOW: JsonSchema = {
	title: "Workflow",
	type: "object",
	required: [
		"id",
		"workflow_id",
		"version",
		"name",
		"description",
		"status",
		"tags",
		"schedule",
		"schedule_timezone",
		"budget",
		"triggers",
		"concurrency",
		"rate_limit",
		"debounce",
		"priority",
		"inputs",
		"outputs",
		"steps",
		"owner_id",
		"created_at",
		"updated_at"
	],
	properties: {
		id: { type: "string", format: "uuid" },
		workflow_id: { type: "string" },
		version: { type: "string" },
		name: { type: "string" },
		description: NULLABLE_STRING,
		status: STATUS,
		tags: { type: "array", items: { type: "string" } },
		schedule: { type: ["string", "null"], description: "cron expression" },
		schedule_timezone: { type: ["string", "null"], description: "IANA time zone the schedule is read in (null: UTC)" },
		budget: {
			type: ["object", "null"],
			properties: { max_tokens: { type: ["integer", "null"] }, max_cost_usd: { type: ["number", "null"] } },
			additionalProperties: false
		},
		triggers: {
			type: "array",
			description: "Events that start a run, their data as its inputs",
			items: { type: "object", required: ["event", "filter"], properties: { event: { type: "string" }, filter: NULLABLE_STRING }, additionalProperties: false }
		},
		concurrency: {
			type: ["object", "null"],
			description: "At most `limit` runs of one key at once; the others wait (queued)",
			required: ["key", "limit"],
			properties: { key: NULLABLE_STRING, limit: { type: "integer", minimum: 1 } },
			additionalProperties: false
		},
		rate_limit: {
			type: ["object", "null"],
			description: "At most `limit` starts of one key per `period`; the others wait (queued)",
			required: ["key", "limit", "period"],
			properties: { key: NULLABLE_STRING, limit: { type: "integer", minimum: 1 }, period: { type: "string" } },
			additionalProperties: false
		},
		debounce: {
			type: ["object", "null"],
			description: "Runs of one key wait `period` of quiet; the last of a burst runs",
			required: ["key", "period"],
			properties: { key: NULLABLE_STRING, period: { type: "string" } },
			additionalProperties: false
		},
		priority: { type: "integer", minimum: -100, maximum: 100, description: "Runs' default priority (higher first when flow-control slots are scarce)" },
		retention: { type: "string", description: 'How long ended runs are kept before they are archived and pruned ("30d", "forever"); absent: EXECUTION_RETENTION' },
		llm_capture: { type: "boolean", description: "Keep its runs' model calls (GET /api/v3/workflows/executions/{id}/llm-calls) even when LLM_CAPTURE is off" },
		inputs: { type: "array", items: INPUT_DECLARATION },
		outputs: { type: "array", items: OUTPUT_DECLARATION },
		steps: { type: "array", items: STEP },
		owner_id: { type: "string", format: "uuid" },
		created_at: TIME,
		updated_at: TIME,
		warnings: WORKFLOW_WARNINGS
	},
	additionalProperties: false
};

export const WORKFLOW_SUMMARY: JsonSchema = {
	title: "WorkflowSummary",
	type: "object",
	required: ["id", "workflow_id", "version", "name", "description", "status", "tags", "schedule", "triggers", "owner_id", "step_count", "created_at", "updated_at"],
	properties: {
		id: { type: "string", format: "uuid" },
		workflow_id: { type: "string" },
		version: { type: "string" },
		name: { type: "string" },
		description: NULLABLE_STRING,
		status: STATUS,
		tags: { type: "array", items: { type: "string" } },
		schedule: NULLABLE_STRING,
		triggers: { type: "array", items: { type: "string" }, description: "The names of the events that start it" },
		owner_id: { type: "string", format: "uuid" },
		step_count: { type: "integer" },
		created_at: TIME,
		updated_at: TIME
	},
	additionalProperties: false
};

export const WORKFLOW_PAGE = pageSchema("WorkflowPage", "workflows", WORKFLOW_SUMMARY);

export const WORKFLOW_VERSIONS: JsonSchema = {
	title: "WorkflowVersions",
	type: "object",
	required: ["workflow_id", "versions"],
	properties: { workflow_id: { type: "string" }, versions: { type: "array", items: WORKFLOW_SUMMARY } },
	additionalProperties: false
};

const USAGE: JsonSchema = {
	type: ["object", "null"],
	required: ["prompt_tokens", "completion_tokens", "total_tokens", "cost_usd"],
	properties: { prompt_tokens: { type: "integer" }, completion_tokens: { type: "integer" }, total_tokens: { type: "integer" }, cost_usd: { type: "number" } },
	additionalProperties: false
};

/** A step's usage: the sums over its attempts, with the provider and model of its last LLM call and the time its calls took. */
const STEP_USAGE: JsonSchema = {
	...USAGE,
	properties: {
		...(USAGE.properties as Record<string, JsonSchema>),
		provider: { type: "string", description: "Provider of the step's last LLM call" },
		model: { type: "string", description: "Model that answered the step's last LLM call" },
		latency_ms: { type: "integer", minimum: 0, description: "Milliseconds the step's LLM calls took, over all its attempts" }
	}
};

const ERROR: JsonSchema = {
	type: ["object", "null"],
	required: ["message", "type"],
	properties: { message: { type: "string" }, type: { type: "string" }, step_id: { type: "string" }, attempt: { type: "integer" } },
	additionalProperties: false
};

/** `queued`: waiting for a flow-control key (concurrency, rate limit, debounce, or its owner's running cap). */
export const EXECUTION_STATUSES = ["pending", "queued", "running", "completed", "failed", "cancelled"] as const;
const EXECUTION_STATUS: JsonSchema = { type: "string", enum: [...EXECUTION_STATUSES] };

/** What an answer left out to stay within EXECUTION_VIEW_MAX_BYTES (those fields read as null): `inputs`, `outputs`, `steps.ID.output`. */
const OMITTED: JsonSchema = { type: "array", items: { type: "string" } };

const EXECUTION_FIELDS = {
	execution_id: { type: "string", format: "uuid" },
	workflow_id: { type: "string" },
	workflow_version: { type: "string" },
	status: EXECUTION_STATUS,
	progress: { type: "integer", minimum: 0, maximum: 100 },
	trigger: { type: "string", enum: ["api", "schedule", "sub_workflow", "event"] },
	priority: { type: "integer", description: "Higher first when flow-control slots are scarce" },
	event_id: { type: ["string", "null"], description: "The event that started the run (the last of a debounced burst)" },
	forked_from: { type: ["string", "null"], description: "The execution this one was forked from (POST …/executions/{id}/fork): it reused that run's outputs of the steps before the fork's step" },
	inputs: { type: ["object", "null"] },
	outputs: { type: ["object", "null"] },
	error: ERROR,
	usage: USAGE,
	owner_id: { type: "string", format: "uuid" },
	parent_execution_id: NULLABLE_STRING,
	parent_step_id: NULLABLE_STRING,
	created_at: TIME,
	started_at: TIME_OR_NULL,
	completed_at: TIME_OR_NULL
} as const;

export const EXECUTION_SUMMARY: JsonSchema = {
	title: "ExecutionSummary",
	type: "object",
	required: Object.keys(EXECUTION_FIELDS),
	properties: { ...EXECUTION_FIELDS, omitted: OMITTED },
	additionalProperties: false
};

const STEP_RUN: JsonSchema = {
	type: "object",
	required: ["step_id", "name", "type", "depends_on", "status", "waiting_for", "wait_event", "due_at", "output", "error", "attempts", "usage", "approval", "child_execution_id", "started_at", "completed_at"],
	properties: {
		step_id: { type: "string" },
		name: { type: "string" },
		type: { type: "string" },
		depends_on: { type: "array", items: { type: "string" } },
		status: { type: "string", enum: ["pending", "running", "completed", "failed", "cancelled", "skipped"] },
		waiting_for: { type: ["string", "null"], enum: ["approval", "timer", "sub_workflow", "event", null] },
		wait_event: { type: ["string", "null"], description: "The event a waiting wait_for_event step waits for" },
		due_at: { type: ["string", "null"], format: "date-time", description: "When the wait ends: a timer's end, an approval's or an event wait's deadline; null when it has none" },
		output: ANY,
		error: ERROR,
		attempts: { type: "integer", minimum: 0 },
		usage: STEP_USAGE,
		approval: {
			type: ["object", "null"],
			required: ["decision", "by", "at", "comment"],
			properties: { decision: { type: "string", enum: ["approved", "rejected"] }, by: { type: "string" }, at: TIME, comment: NULLABLE_STRING },
			additionalProperties: false
		},
		child_execution_id: NULLABLE_STRING,
		started_at: TIME_OR_NULL,
		completed_at: TIME_OR_NULL
	},
	additionalProperties: false
};

/** One step, read on its own (its output in full, unless even that passes EXECUTION_VIEW_MAX_BYTES: `omitted: ["output"]`). */
export const STEP_RUN_VIEW: JsonSchema = {
	...STEP_RUN,
	title: "StepRun",
	properties: { ...(STEP_RUN.properties as Record<string, unknown>), omitted: OMITTED }
};

/** An execution with every step's status, output, error and attempts. */
export const EXECUTION: JsonSchema = {
	title: "Execution",
	type: "object",
	required: [...Object.keys(EXECUTION_FIELDS), "steps"],
	properties: { ...EXECUTION_FIELDS, omitted: OMITTED, steps: { type: "array", items: STEP_RUN } },
	additionalProperties: false
};

export const EXECUTION_PAGE = pageSchema("ExecutionPage", "executions", EXECUTION_SUMMARY);

/** The example definition the docs show and the contract test posts. */
export const EXAMPLE_WORKFLOW = {
	workflow_id: "hello",
	version: "1.0.0",
	name: "Hello",
	inputs: [{ name: "who", type: "string", default: "world" }],
	steps: [
		{ id: "greet", type: "transform", params: { expression: "'Hello, ' & inputs.who" } },
		{ id: "shout", type: "transform", params: { expression: "$uppercase(steps.greet.output)" }, depends_on: ["greet"] }
	]
};

export const EXAMPLE_WORKFLOW_YAML = `workflow:
  id: hello
  version: "1.0.0"
  inputs:
    - name: who
      type: string
      default: world
  steps:
    - id: greet
      type: transform
      params:
        expression: "'Hello, ' & inputs.who"
`;

export const THREAD: JsonSchema = {
	title: "Thread",
	type: "object",
	required: ["thread_id", "messages", "message_count", "dropped", "last_execution_id", "created_at", "updated_at"],
	properties: {
		thread_id: { type: "string" },
		messages: {
			type: "array",
			items: {
				type: "object",
				required: ["role", "content"],
				properties: {
					role: { type: "string", enum: ["user", "assistant", "tool"] },
					content: { type: "string" },
					tool_calls: { type: "array", items: { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, arguments: ANY } } },
					tool_call_id: { type: "string" },
					name: { type: "string" },
					is_error: { type: "boolean" }
				}
			}
		},
		message_count: { type: "integer", minimum: 0 },
		dropped: { type: "integer", minimum: 0, description: "Messages dropped from the front to keep the thread under its cap" },
		last_execution_id: { type: ["string", "null"] },
		created_at: { type: "string", format: "date-time" },
		updated_at: { type: "string", format: "date-time" }
	},
	additionalProperties: false
};

export const TRANSCRIPT: JsonSchema = {
	title: "AgentTranscript",
	type: "object",
	required: ["execution_id", "step_id", "status", "entries"],
	properties: {
		execution_id: { type: "string" },
		step_id: { type: "string" },
		status: { type: "string" },
		entries: {
			type: "array",
			items: {
				type: "object",
				required: ["seq", "attempt", "at", "kind"],
				properties: {
					seq: { type: "integer" },
					attempt: { type: "integer" },
					at: { type: "string", format: "date-time" },
					kind: { type: "string", enum: ["start", "turn", "tool", "approval_requested", "approval"] }
				},
				additionalProperties: true
			}
		}
	},
	additionalProperties: false
};

/** What a bulk operation did to each run it selected. */
export const BULK_RESULT: JsonSchema = {
	title: "BulkResult",
	type: "object",
	required: ["action", "matched", "succeeded", "failed", "results"],
	properties: {
		action: { type: "string", enum: ["cancel", "retry", "fork"] },
		matched: { type: "integer", minimum: 0, description: "Runs the filter selected (at most `limit`)" },
		succeeded: { type: "integer", minimum: 0 },
		failed: { type: "integer", minimum: 0 },
		results: {
			type: "array",
			items: {
				type: "object",
				required: ["execution_id", "ok"],
				properties: {
					execution_id: { type: "string" },
					ok: { type: "boolean" },
					status: { type: "string", description: "The run's status after the operation (a fork: the new run's)" },
					new_execution_id: { type: "string", description: "fork: the new run" },
					error: { type: "string", description: "Why the operation did not apply to this run (it had already ended, it is still running, …)" }
				},
				additionalProperties: false
			}
		}
	},
	additionalProperties: false
};

/** What a prune did. */
export const PRUNE_REPORT: JsonSchema = {
	title: "PruneReport",
	type: "object",
	required: ["executions", "archives", "outbox", "events", "threads", "notifications", "audit"],
	properties: {
		executions: { type: "integer", minimum: 0, description: "Runs archived and deleted (sub-workflow runs included)" },
		archives: { type: "array", items: { type: "string" }, description: "The archive files written (names under EXECUTION_ARCHIVE_DIR)" },
		outbox: { type: "integer", minimum: 0, description: "Published outbox rows deleted" },
		events: { type: "integer", minimum: 0, description: "Events deleted" },
		threads: { type: "integer", minimum: 0, description: "Agent threads deleted" },
		notifications: { type: "integer", minimum: 0, description: "Notifications deleted" },
		audit: { type: "integer", minimum: 0, description: "Audit log rows deleted (past AUDIT_RETENTION)" }
	},
	additionalProperties: false
};
