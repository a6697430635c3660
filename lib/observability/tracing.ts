/**
 * OpenTelemetry tracing for one process: the SDK (loaded only when tracing is on), the
 * tracer every span comes from, and the W3C `traceparent` carried in message headers.
 * With tracing off nothing here is loaded beyond the API, and the helpers return at once.
 */
import {
	context,
	createContextKey,
	propagation,
	ROOT_CONTEXT,
	SpanKind,
	SpanStatusCode,
	trace,
	TraceFlags,
	type Attributes,
	type Context,
	type Link,
	type Span,
	type Tracer
} from "@opentelemetry/api";
import type { SpanExporter } from "@opentelemetry/sdk-trace";
import type { Config } from "../config";
import { newSpanId, newTraceId } from "../context";

export { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type Context, type Link, type Span };

export interface TracingOptions {
	serviceName: string;
	version: string;
	nodeId: string;
	environment: string;
	/** OTLP/HTTP base URL (e.g. http://jaeger:4318); `/v1/traces` is appended unless given. */
	endpoint: string;
	/** Fraction of new traces recorded; a request that arrives with a traceparent follows its caller's decision. */
	sampleRatio: number;
	/** Replaces the OTLP exporter (tests). */
	exporter?: SpanExporter;
}

interface ProcessTracing {
	options: TracingOptions;
	flush(): Promise<void>;
	shutdown(): Promise<void>;
}

let active: ProcessTracing | undefined;
let tracerInstance: Tracer | undefined;

/** The request id of the call being served, kept in the trace context so log lines can carry it. */
export const REQUEST_ID_KEY = createContextKey("cognitionos.request_id");

export function tracesUrl(endpoint: string): string {
	const base = endpoint.replace(/\/+$/, "");
	return base.endsWith("/v1/traces") ? base : `${base}/v1/traces`;
}

/**
 * Starts the OpenTelemetry SDK for this process, once; later calls return the running one.
 * Call it before the modules it instruments (http, ioredis) are loaded: `bin/cognitionos.ts` does.
 */
export function startTracing(options: TracingOptions): ProcessTracing {
	if (active) return active;
	// Loaded here, not at the top: a process with tracing off never pays for the SDK.
	const { NodeSDK } = require("@opentelemetry/sdk-node") as typeof import("@opentelemetry/sdk-node");
	const { AlwaysOnSampler, ParentBasedSampler } = require("@opentelemetry/sdk-trace") as typeof import("@opentelemetry/sdk-trace");
	const { resourceFromAttributes } = require("@opentelemetry/resources") as typeof import("@opentelemetry/resources");
	const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http") as typeof import("@opentelemetry/exporter-trace-otlp-http");
	const { HttpInstrumentation } = require("@opentelemetry/instrumentation-http") as typeof import("@opentelemetry/instrumentation-http");
	const { UndiciInstrumentation } = require("@opentelemetry/instrumentation-undici") as typeof import("@opentelemetry/instrumentation-undici");
	const { IORedisInstrumentation } = require("@opentelemetry/instrumentation-ioredis") as typeof import("@opentelemetry/instrumentation-ioredis");
	const { W3CTraceContextPropagator } = require("@opentelemetry/core") as typeof import("@opentelemetry/core");

	const exporter = options.exporter ?? new OTLPTraceExporter({ url: tracesUrl(options.endpoint) });
	const sdk = new NodeSDK({
		resource: resourceFromAttributes({
			"service.name": options.serviceName,
			"service.version": options.version,
			"service.instance.id": options.nodeId,
			"deployment.environment.name": options.environment,
			"process.pid": process.pid
		}),
		autoDetectResources: false,
		// traceparent/tracestate only: baggage is not used, and every request would pay for reading it.
		textMapPropagator: new W3CTraceContextPropagator(),
		// New traces are sampled by startSpan() below; the SDK follows the parent's decision.
		sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
		traceExporter: exporter,
		// Traces only: logs stay pino JSON lines, metrics stay Prometheus.
		metricReaders: [],
		logRecordProcessors: [],
		instrumentations: [
			// Incoming requests get their span from the gateway, named by route; only outgoing calls here.
			new HttpInstrumentation({ disableIncomingRequestInstrumentation: true, requireParentforOutgoingSpans: true }),
			new UndiciInstrumentation({ requireParentforSpans: true }),
			// The command only: keys and values may hold emails and tokens (login throttles, caches).
			new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: command => command })
		]
	});
	sdk.start();
	tracerInstance = trace.getTracer("cognitionos", options.version);
	const provider = trace.getTracerProvider() as unknown as { forceFlush?: () => Promise<void> };
	active = {
		options,
		flush: async () => {
			// The global provider is a proxy in front of the SDK's; reach the real one to flush.
			const delegate = (provider as { getDelegate?: () => { forceFlush?: () => Promise<void> } }).getDelegate?.() ?? provider;
			await delegate.forceFlush?.();
		},
		async shutdown() {
			await sdk.shutdown();
			active = undefined;
			tracerInstance = undefined;
		}
	};
	return active;
}

/**
 * Starts tracing for this process when the configuration asks for it (once per process).
 * `bin/cognitionos.ts` calls it before it loads anything that gets instrumented.
 */
export function startTracingFor(config: Config): void {
	if (!config.OBSERVABILITY_ENABLE_TRACING) return;
	startTracing({
		serviceName: config.SERVICE_NAME,
		version: config.version,
		nodeId: config.nodeID,
		environment: config.ENVIRONMENT,
		endpoint: config.OBSERVABILITY_OTLP_ENDPOINT,
		sampleRatio: config.OBSERVABILITY_TRACE_SAMPLE_RATIO
	});
}

export function tracingEnabled(): boolean {
	return active !== undefined;
}

/** Sends the spans still buffered (before a process exits, or in tests). */
export async function flushTracing(): Promise<void> {
	await active?.flush();
}

export async function stopTracing(): Promise<void> {
	await active?.shutdown();
}

export function tracer(): Tracer {
	return (tracerInstance ??= trace.getTracer("cognitionos"));
}

function isRecording(span: Span | undefined): span is Span {
	return span !== undefined && span.isRecording();
}

/** Ends `span` with the outcome of `err`: client errors (4xx) are outcomes, not failures of the span. */
export function endSpanWithError(span: Span, err: unknown): void {
	const e = err as { code?: unknown; type?: unknown; message?: unknown; name?: unknown } | null;
	if (span.isRecording()) {
		const code = typeof e?.code === "number" ? e.code : undefined;
		if (typeof e?.type === "string") span.setAttribute("error.type", e.type);
		if (code === undefined || code >= 500) {
			span.recordException(err instanceof Error ? err : String(err));
			span.setStatus({ code: SpanStatusCode.ERROR, message: typeof e?.message === "string" ? e.message : undefined });
		}
	}
	span.end();
}

/**
 * Runs `fn` inside a new span when tracing is on; otherwise just runs it. The span ends
 * when the returned promise settles.
 */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span | undefined) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
	if (!active) return fn(undefined);
	const span = startSpan(name, kind, context.active(), attributes);
	try {
		const result = await context.with(trace.setSpan(context.active(), span), () => fn(span));
		span.end();
		return result;
	} catch (err) {
		endSpanWithError(span, err);
		throw err;
	}
}

/**
 * Starts a span under `parent`. A span with no parent starts a trace, and this is where
 * OBSERVABILITY_TRACE_SAMPLE_RATIO decides whether it is recorded: a trace that is not
 * gets only an id pair (no SDK work), which its children and other nodes follow (the
 * SDK's sampler follows the parent). Every span of this code base starts here.
 */
export function startSpan(name: string, kind: SpanKind, parent: Context = context.active(), attributes?: Attributes, links?: Link[]): Span {
	if (active && active.options.sampleRatio < 1 && !trace.getSpanContext(parent) && Math.random() >= active.options.sampleRatio) {
		return trace.wrapSpanContext({ traceId: newTraceId(), spanId: newSpanId(), traceFlags: TraceFlags.NONE });
	}
	return tracer().startSpan(name, { kind, attributes, links }, parent);
}

/** Adds attributes to the span being served (the action's), when it is recorded. */
export function annotateActiveSpan(attributes: Attributes): void {
	if (!active) return;
	const span = trace.getActiveSpan();
	if (isRecording(span)) span.setAttributes(attributes);
}

/**
 * Records a span that already happened (a DB query reported after it ran), as a child of
 * the active span; nothing when there is no active, sampled span.
 */
export function recordFinishedSpan(name: string, startMs: number, endMs: number, kind: SpanKind, attributes: () => Attributes): void {
	if (!active) return;
	const parent = trace.getSpanContext(context.active());
	if (!parent || !(parent.traceFlags & TraceFlags.SAMPLED)) return;
	const span = tracer().startSpan(name, { kind, startTime: startMs, attributes: attributes() });
	span.end(endMs);
}

/** Writes the active trace context into `carrier` as W3C `traceparent` (and `tracestate`). */
export function injectTraceContext(carrier: Record<string, unknown>, ctx: Context = context.active()): void {
	propagation.inject(ctx, carrier);
}

/**
 * The active span as a W3C `traceparent`, for work that continues it later from a
 * record rather than a message (an execution's steps); null with tracing off or no span.
 */
export function activeTraceparent(): string | null {
	if (!active || !trace.getSpanContext(context.active())) return null;
	const carrier: Record<string, unknown> = {};
	propagation.inject(context.active(), carrier);
	return typeof carrier.traceparent === "string" ? carrier.traceparent : null;
}

/** The trace context `carrier` holds, on top of the empty context. */
export function extractTraceContext(carrier: Record<string, unknown> | undefined): Context {
	return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}

/** Correlation fields for log lines, from the active trace context. */
export function traceCorrelation(): { request_id?: string; trace_id?: string; span_id?: string } | undefined {
	const ctx = context.active();
	const requestId = ctx.getValue(REQUEST_ID_KEY) as string | undefined;
	const sc = trace.getSpanContext(ctx);
	if (!sc) return requestId ? { request_id: requestId } : undefined;
	return { request_id: requestId, trace_id: sc.traceId, span_id: sc.spanId };
}

/** The trace id of the active span, if any. */
export function activeTraceId(): string | undefined {
	return trace.getSpanContext(context.active())?.traceId;
}
