/**
 * The product's metric families, by area, and how a service registers them. A family is
 * registered only by code that fills it: a later feature adds its list here and calls
 * `ensureMetrics(this.broker, ITS_METRICS)` in its service's `created()` (names and labels
 * registered by the code that fills them; the dashboard and alerts use these names).
 * Labels never carry unbounded values: no raw paths, no ids.
 */
import type { ServiceBroker } from "moleculer";

export interface MetricDefinition {
	type: "counter" | "gauge" | "histogram";
	name: string;
	description: string;
	labelNames?: string[];
	unit?: string;
	buckets?: number[];
}

/**
 * Registers the product's metric families on this node, once: several services in one
 * process may declare the same family (re-registering would drop its values).
 */
export function ensureMetrics(broker: ServiceBroker, definitions: MetricDefinition[]): void {
	if (!broker.isMetricsEnabled()) return;
	for (const def of definitions) {
		if (!broker.metrics.getMetric(def.name)) broker.metrics.register({ ...def } as Parameters<ServiceBroker["metrics"]["register"]>[0]);
	}
}

/** Seconds; from 5 ms (a cached read) to 10 s (a slow LLM-backed call). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds; queries are mostly sub-millisecond on SQLite and a few ms on PostgreSQL. */
const QUERY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** Filled by the gateway for every request it answers (`endpoint` is the route template, or "unmatched"). */
export const HTTP_METRICS: MetricDefinition[] = [
	{ type: "counter", name: "http_requests_total", description: "HTTP requests answered, by method, route template and status", labelNames: ["method", "endpoint", "status"] },
	{ type: "histogram", name: "http_request_duration_seconds", description: "Time to answer HTTP requests, by method and route template", labelNames: ["method", "endpoint"], unit: "seconds", buckets: LATENCY_BUCKETS },
	{ type: "gauge", name: "http_requests_in_progress", description: "HTTP requests being answered now, by method", labelNames: ["method"] }
];

/** Filled from every SQL statement the node runs (lib/db's onQuery hook). */
export const DB_METRICS: MetricDefinition[] = [
	{ type: "counter", name: "db_queries_total", description: "SQL statements run, by operation and table", labelNames: ["operation", "table"] },
	{ type: "histogram", name: "db_query_duration_seconds", description: "Duration of SQL statements, by operation and table", labelNames: ["operation", "table"], unit: "seconds", buckets: QUERY_BUCKETS }
];

/** PostgreSQL only (SQLite has no pool): read from the pool at each scrape. */
export const DB_POOL_METRICS: MetricDefinition[] = [
	{ type: "gauge", name: "db_pool_connections", description: "Database pool connections by state (in_use, idle)", labelNames: ["state"] },
	{ type: "gauge", name: "db_pool_max_connections", description: "Largest number of connections the pool may open" },
	{ type: "gauge", name: "db_pool_waiting_requests", description: "Queries waiting for a free pool connection" }
];

/** One sample per node, value 1: what runs here (join on `instance` for the rest). */
export const SERVICE_METRICS: MetricDefinition[] = [
	{ type: "gauge", name: "cognitionos_service_info", description: "CognitionOS version, node, mode and services of this node (value is always 1)", labelNames: ["version", "node_id", "mode", "environment", "services"] }
];

export const AUTH_METRICS: MetricDefinition[] = [
	{ type: "counter", name: "auth_requests_total", description: "Auth endpoint calls by endpoint and HTTP status", labelNames: ["endpoint", "status"] },
	{ type: "counter", name: "auth_tokens_created_total", description: "Tokens and API keys issued", labelNames: ["token_type"] },
	{ type: "counter", name: "auth_failures_total", description: "Authentication failures by reason", labelNames: ["reason"] }
];

/** Filled by the event bus: the relay (published, outbox lag) and the handlers (consumed, failed, duration). */
export const EVENT_BUS_METRICS: MetricDefinition[] = [
	{ type: "counter", name: "events_published_total", description: "Domain events published from the outbox (confirmed by RabbitMQ, or handed to in-process handlers)", labelNames: ["event_type"] },
	{ type: "counter", name: "events_consumed_total", description: "Domain events handled, by event type and handler (repeats dropped by the inbox are not counted)", labelNames: ["event_type", "handler"] },
	{ type: "counter", name: "events_duplicates_total", description: "Deliveries a handler had already handled (redeliveries, republished events), dropped by its inbox", labelNames: ["event_type", "handler"] },
	{ type: "counter", name: "events_failed_total", description: "Failed handler tries, by event type and handler (each is retried or dead-lettered)", labelNames: ["event_type", "handler"] },
	{ type: "counter", name: "events_dead_lettered_total", description: "Events sent to the dead letters after their last try", labelNames: ["event_type", "handler"] },
	{
		type: "histogram",
		name: "event_processing_duration_seconds",
		description: "Time a handler takes on one event, its transaction included",
		labelNames: ["event_type", "handler"],
		unit: "seconds",
		buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5]
	},
	{ type: "gauge", name: "outbox_lag_seconds", description: "Age of the oldest unpublished outbox event (reported by the elected relay node)" },
	{ type: "gauge", name: "outbox_pending_events", description: "Outbox events not yet published (reported by the elected relay node)" }
];

export const WEBHOOK_METRICS: MetricDefinition[] = [
	{ type: "counter", name: "webhook_deliveries_total", description: "Webhook delivery tries by outcome (delivered, retried, failed, cancelled)", labelNames: ["status"] }
];

export const LLM_METRICS: MetricDefinition[] = [
	{ type: "counter", name: "llm_requests_total", labelNames: ["provider", "model", "status"], description: "LLM provider calls by outcome (success, rate_limited, server_error, timeout, connection_error, auth_failed, rejected)" },
	{ type: "histogram", name: "llm_request_duration_seconds", labelNames: ["provider", "model"], unit: "seconds", description: "Duration of LLM provider calls", buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] },
	{ type: "counter", name: "llm_tokens_used_total", labelNames: ["provider", "model", "token_type"], description: "Tokens used by LLM calls (token_type prompt or completion)" },
	{ type: "counter", name: "llm_cost_usd_total", labelNames: ["provider", "model"], description: "Cost of LLM calls in USD, from the pricing table" }
];

/** Filled by the execution service (the engine) on every transition. */
export const ENGINE_METRICS: MetricDefinition[] = [
	{ type: "counter", name: "workflow_executions_total", description: "Executions finished, by workflow and status", labelNames: ["workflow_id", "status"] },
	{ type: "histogram", name: "workflow_execution_duration_seconds", description: "Time from start to end of executions", labelNames: ["workflow_id", "status"], unit: "seconds", buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800, 7200] },
	{ type: "gauge", name: "workflows_in_progress", description: "Executions running in the cluster (reported by the elected sweeper node)" },
	{ type: "counter", name: "workflow_steps_executed_total", description: "Step attempts by type and outcome (completed, skipped, retried, failed)", labelNames: ["step_type", "status"] },
	{ type: "histogram", name: "workflow_step_duration_seconds", description: "Duration of step attempts", labelNames: ["step_type"], unit: "seconds", buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120] },
	{ type: "gauge", name: "workflow_step_queue_depth", description: "Ready steps waiting for a free worker on this node" },
	{ type: "gauge", name: "workflow_steps_running", description: "Step attempts running on this node" },
	{ type: "counter", name: "workflow_lease_recoveries_total", description: "Steps run again because their node stopped renewing its lease" }
];

/** Events in (POST /events, inbound webhooks, signals) and flow control: filled by the execution service and the events service. */
export const EVENT_METRICS: MetricDefinition[] = [
	{ type: "counter", name: "events_received_total", description: "Events received, by source (api, webhook, signal) and outcome (accepted, duplicate)", labelNames: ["source", "outcome"] },
	{ type: "counter", name: "event_runs_started_total", description: "Runs started (or queued, or debounced) by events' triggers, by source", labelNames: ["source"] },
	{ type: "counter", name: "event_waits_completed_total", description: "wait_for_event steps completed by an event, by source", labelNames: ["source"] },
	{ type: "counter", name: "event_problems_total", description: "Workflows an event matched but could not start (inputs that do not fit, a failing filter, a full queue), by source", labelNames: ["source"] },
	{
		type: "counter",
		name: "inbound_webhook_requests_total",
		description: "Requests to inbound webhooks, by verification scheme and outcome (accepted, duplicate, bad_signature, not_found)",
		labelNames: ["scheme", "outcome"]
	},
	{
		type: "counter",
		name: "workflow_flow_control_total",
		description: "Flow control's decisions: runs queued by a concurrency, rate_limit or debounce key, debounced into a waiting run, admitted from the queue",
		labelNames: ["outcome"]
	},
	{ type: "gauge", name: "workflow_runs_queued", description: "Runs waiting (queued) for a flow-control key in the cluster (reported by the elected sweeper node)" }
];

/** Filled by the real-time hub of each gateway node (plain WebSocket and socket.io clients). */
export const REALTIME_METRICS: MetricDefinition[] = [
	{ type: "gauge", name: "websocket_connections", description: "Real-time connections open on this node, by transport (websocket, socketio)", labelNames: ["transport"] },
	{ type: "counter", name: "websocket_messages_sent_total", description: "Real-time messages sent to clients, by transport and message type", labelNames: ["transport", "type"] },
	{
		type: "counter",
		name: "websocket_messages_dropped_total",
		description: "Real-time messages not delivered: superseded statuses skipped for a slow client, slow clients disconnected, gaps and orphan tokens in a run's stream",
		labelNames: ["transport", "reason"]
	}
];

/** Every family this code base registers somewhere. */
export const PRODUCT_METRICS: MetricDefinition[] = [
	...HTTP_METRICS,
	...DB_METRICS,
	...DB_POOL_METRICS,
	...SERVICE_METRICS,
	...AUTH_METRICS,
	...LLM_METRICS,
	...ENGINE_METRICS,
	...EVENT_BUS_METRICS,
	...WEBHOOK_METRICS,
	...EVENT_METRICS,
	...REALTIME_METRICS
];
