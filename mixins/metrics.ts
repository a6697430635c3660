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
