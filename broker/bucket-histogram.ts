import { MetricTypes } from "moleculer";

type Item = {
	timestamp: number;
	sum: number;
	count: number;
	lastValue: number | null;
	bucketValues?: Record<string, number>;
	quantileValues?: { add(value: number): void };
	rate?: { update(count: number): void };
};
type Labels = Record<string, unknown> | undefined;
/** What of Moleculer's histogram this one uses beyond its declared type (base.js and histogram.js). */
type Internals = { values: Map<string, Item>; hashingLabels(labels: Labels): string; changed(value: number, labels: Labels, timestamp?: number): void };

/**
 * Moleculer's histogram, observing at a fifth of the cost when its bucket bounds are not
 * integers (`db_query_duration_seconds`, observed once per SQL statement): Moleculer's own
 * `observe` turns each bound into a property name on every call (about 2 µs a call with
 * eleven bounds, 0.4 µs here). The first observation of a label set, and histograms without
 * buckets, go through Moleculer's own code; the values kept and what they render to are the same.
 */
export class BucketHistogram extends MetricTypes.Histogram {
	private readonly bucketKeys?: string[];

	constructor(...args: ConstructorParameters<typeof MetricTypes.Histogram>) {
		super(...args);
		if (Array.isArray(this.buckets) && this.buckets.length) this.bucketKeys = this.buckets.map(String);
	}

	override observe(value: number, labels?: Record<string, unknown>, timestamp?: number): void {
		const self = this as unknown as Internals;
		const item = this.bucketKeys ? self.values.get(self.hashingLabels(labels)) : undefined;
		if (!item?.bucketValues) return super.observe(value, labels, timestamp);
		item.timestamp = timestamp ?? Date.now();
		item.sum += value;
		item.count++;
		item.lastValue = value;
		const bounds = this.buckets;
		const keys = this.bucketKeys!;
		for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]) item.bucketValues[keys[i]] += 1;
		item.quantileValues?.add(value);
		item.rate?.update(item.count);
		self.changed(value, labels, timestamp);
	}
}

/** Every histogram a broker of this process registers from now on is a BucketHistogram. */
export function useBucketHistograms(): void {
	MetricTypes.register("Histogram", BucketHistogram as unknown as Parameters<typeof MetricTypes.register>[1]);
}
