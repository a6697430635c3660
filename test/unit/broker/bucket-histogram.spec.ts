import { MetricTypes, ServiceBroker } from "moleculer";
import { BucketHistogram } from "../../../broker/bucket-histogram";

/** The snapshot of a histogram without its clock readings. */
const values = (h: InstanceType<typeof MetricTypes.Histogram>) => h.generateSnapshot().map(({ timestamp: _t, ...rest }) => rest);

describe("BucketHistogram", () => {
	const broker = new ServiceBroker({ logger: false, metrics: { enabled: true } });
	const registry = broker.metrics as unknown as ConstructorParameters<typeof MetricTypes.Histogram>[1];
	const Moleculers = MetricTypes.Histogram;

	it.each([
		["float bounds, two labels (as db_query_duration_seconds)", { buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], labelNames: ["operation", "table"] }],
		["Moleculer's default bounds, with quantiles and a rate (as moleculer.request.time)", { buckets: true, quantiles: true, rate: true, labelNames: ["operation", "table"] }],
		["no buckets, quantiles only", { quantiles: true, labelNames: ["operation", "table"] }]
	])("keeps what Moleculer's histogram keeps: %s", (_name, opts) => {
		const theirs = new Moleculers({ name: "theirs", type: "histogram", ...opts } as never, registry);
		const ours = new BucketHistogram({ name: "ours", type: "histogram", ...opts } as never, registry);
		const operations = ["select", "update", "insert"];
		for (let i = 0; i < 2000; i++) {
			// Values on, below, between and above the bounds; one label set seen only once.
			const value = [0, 0.001, 0.0007, 0.003, 0.05, 0.3, 2, 7, 5000, 12][i % 10];
			const labels = i === 1999 ? { operation: "delete", table: "outbox" } : { operation: operations[i % 3], table: "step_runs" };
			theirs.observe(value, labels);
			ours.observe(value, labels);
		}
		expect(values(ours)).toEqual(values(theirs));
		expect(values(ours)).toHaveLength(4);
	});
});
