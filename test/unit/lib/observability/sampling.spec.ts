import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { context, flushTracing, SpanKind, startSpan, startTracing, stopTracing, trace, TraceFlags } from "../../../../lib/observability/tracing";

/** OBSERVABILITY_TRACE_SAMPLE_RATIO decides new traces; every span below follows its trace's decision. */
describe("sampling", () => {
	const exporter = new InMemorySpanExporter();

	beforeAll(() => {
		startTracing({ serviceName: "s", version: "1", nodeId: "n", environment: "test", endpoint: "http://127.0.0.1:9", sampleRatio: 0.5, exporter });
	});
	afterAll(() => stopTracing());

	it("records about the configured share of new traces, and children follow their root", async () => {
		const roots = Array.from({ length: 2000 }, () => startSpan("root", SpanKind.SERVER));
		const sampled = roots.filter(r => r.spanContext().traceFlags & TraceFlags.SAMPLED);
		expect(sampled.length).toBeGreaterThan(800);
		expect(sampled.length).toBeLessThan(1200);
		for (const root of roots.slice(0, 200)) {
			const child = startSpan("child", SpanKind.INTERNAL, trace.setSpan(context.active(), root));
			expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
			expect(child.isRecording()).toBe(root.isRecording());
			child.end();
		}
		for (const root of roots) root.end();
		await flushTracing();
		const exported = exporter.getFinishedSpans();
		expect(exported.filter(s => s.name === "root")).toHaveLength(sampled.length);
		// Unsampled traces still have valid, distinct ids (they reach the log lines).
		const unsampled = roots.filter(r => !(r.spanContext().traceFlags & TraceFlags.SAMPLED));
		expect(new Set(unsampled.map(r => r.spanContext().traceId)).size).toBe(unsampled.length);
		expect(unsampled[0].spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
	});

	it("follows a remote parent's decision whatever the ratio", () => {
		const sampledParent = trace.setSpanContext(context.active(), { traceId: "a".repeat(32), spanId: "b".repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true });
		const unsampledParent = trace.setSpanContext(context.active(), { traceId: "c".repeat(32), spanId: "d".repeat(16), traceFlags: TraceFlags.NONE, isRemote: true });
		for (let i = 0; i < 50; i++) {
			expect(startSpan("x", SpanKind.SERVER, sampledParent).isRecording()).toBe(true);
			expect(startSpan("y", SpanKind.SERVER, unsampledParent).isRecording()).toBe(false);
		}
	});
});
