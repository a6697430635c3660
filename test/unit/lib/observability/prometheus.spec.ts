import { labelName, metricName, renderExposition, type MetricFamilySource } from "../../../../lib/observability/prometheus";

const family = (f: Partial<MetricFamilySource> & { samples: unknown[] }): MetricFamilySource => ({ name: "x", type: "gauge", ...f, snapshot: () => f.samples as never });

describe("Prometheus exposition", () => {
	it("names counters …_total and nothing else, in Prometheus' characters", () => {
		expect(metricName("moleculer.request.levels", "counter")).toBe("moleculer_request_levels_total");
		expect(metricName("http_requests_total", "counter")).toBe("http_requests_total");
		expect(metricName("moleculer.registry.nodes.total", "gauge")).toBe("moleculer_registry_nodes");
		expect(metricName("os.cpu-load", "gauge")).toBe("os_cpu_load");
		expect(labelName("nodeID")).toBe("node_id");
		expect(labelName("action")).toBe("action");
	});

	it("writes a histogram as sorted cumulative buckets, +Inf, sum and count only", () => {
		const text = renderExposition([
			family({
				name: "req_seconds",
				type: "histogram",
				description: "Request time",
				samples: [{ labels: { endpoint: "/a" }, buckets: { "1": 3, "0.5": 2, "0.1": 1 }, count: 4, sum: 2.5, quantiles: { "0.5": 0.4 } }]
			})
		]);
		expect(text.split("\n")).toEqual([
			"# HELP req_seconds Request time",
			"# TYPE req_seconds histogram",
			'req_seconds_bucket{endpoint="/a",le="0.1"} 1',
			'req_seconds_bucket{endpoint="/a",le="0.5"} 2',
			'req_seconds_bucket{endpoint="/a",le="1"} 3',
			'req_seconds_bucket{endpoint="/a",le="+Inf"} 4',
			'req_seconds_sum{endpoint="/a"} 2.5',
			'req_seconds_count{endpoint="/a"} 4',
			""
		]);
	});

	it("declares a histogram with buckets before its first sample as a histogram", () => {
		const text = renderExposition([family({ name: "wait_seconds", type: "histogram", buckets: [0.1, 1], samples: [] })]);
		expect(text).toBe("# HELP wait_seconds wait_seconds\n# TYPE wait_seconds histogram\n");
	});

	it("writes a histogram with only quantiles as a summary", () => {
		const text = renderExposition([family({ name: "t", type: "histogram", samples: [{ labels: {}, quantiles: { "0.9": 7 }, count: 2, sum: 9 }] })]);
		expect(text).toContain("# TYPE t summary");
		expect(text).toContain('t{quantile="0.9"} 7');
		expect(text).not.toMatch(/_(min|max|mean|rate)/);
	});

	it("escapes label values and help text, writes info metrics as gauges of 1, declares empty families, skips withheld ones", () => {
		const text = renderExposition(
			[
				family({ name: "msg", description: "line one\nline two \\ end", samples: [{ labels: { v: 'a "quoted"\nvalue\\' }, value: 2 }] }),
				family({ name: "os.hostname", type: "info", samples: [{ labels: {}, value: "host-1" }] }),
				family({ name: "empty", samples: [] }),
				family({ name: "secret.thing", samples: [{ labels: {}, value: 1 }] })
			],
			name => name.startsWith("secret.")
		);
		expect(text).toContain("# HELP msg line one\\nline two \\\\ end");
		expect(text).toContain('msg{v="a \\"quoted\\"\\nvalue\\\\"} 2');
		expect(text).toContain('# TYPE os_hostname gauge\nos_hostname{value="host-1"} 1');
		// Declared from start-up: HELP and TYPE before the first sample.
		expect(text).toMatch(/# HELP empty [^\n]*\n# TYPE empty \w+\n(?!empty)/);
		expect(text).not.toContain("secret");
	});

	it("keeps the first of two families whose names collide after cleaning", () => {
		const text = renderExposition([family({ name: "a.b", samples: [{ value: 1 }] }), family({ name: "a_b", samples: [{ value: 2 }] })]);
		expect(text.match(/# TYPE a_b/g)).toHaveLength(1);
		expect(text).toContain("a_b 1");
	});
});
