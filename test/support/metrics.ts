import type { ServiceBroker } from "moleculer";

interface Sample {
	labels: Record<string, unknown>;
	value?: unknown;
}

/** The current value of a counter or gauge sample whose labels include `labels` (0 when absent). */
export function metricValue(broker: ServiceBroker, name: string, labels: Record<string, string | number> = {}): number {
	const samples = (broker.metrics.getMetric(name)?.snapshot() ?? []) as Sample[];
	const sample = samples.find(s => Object.entries(labels).every(([k, v]) => String(s.labels[k]) === String(v)));
	return typeof sample?.value === "number" ? sample.value : 0;
}
