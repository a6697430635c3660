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
