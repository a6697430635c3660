import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { MetricTypes, Service, ServiceBroker, ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import { notFound } from "../lib/errors";
import { openApiPath } from "../lib/openapi/document";
import { isValidRequestId, newRequestId } from "../lib/context";
import { context, propagation, REQUEST_ID_KEY, ROOT_CONTEXT, SpanKind, SpanStatusCode, startSpan, trace, tracingEnabled, type Span } from "../lib/observability/tracing";
import { ensureMetrics, HTTP_METRICS } from "./metrics";
import { PROMETHEUS_CONTENT_TYPE, scrapeReporterOf } from "./metrics-reporter";

interface RoutedRequest extends IncomingMessage {
	/** The alias moleculer-web matched; its `fullPath` is the route template. */
	$alias?: { fullPath?: string };
	/** With tracing, chosen here (and put in the trace context at once); rootCallOptions uses it. */
	$requestId?: string;
}

/** The request id of a request: the client's X-Request-ID when well-formed, else a new one. */
export function requestIdOf(req: RoutedRequest): string {
	const incoming = req.headers["x-request-id"];
	return (req.$requestId ??= isValidRequestId(incoming) ? incoming : newRequestId());
}

type HttpHandler = (req: IncomingMessage, res: ServerResponse, next?: unknown) => unknown;
type Observer = (req: RoutedRequest, res: ServerResponse, handle: () => unknown) => unknown;

/** The `endpoint` label of requests that matched no route: one value, never the raw path. */
export const UNMATCHED_ENDPOINT = "unmatched";

const templates = new Map<string, string>();

/** The route template of a request (`/api/v3/auth/users/{id}`), or "unmatched". */
export function routeTemplate(req: RoutedRequest): string {
	const full = req.$alias?.fullPath;
	if (!full) return UNMATCHED_ENDPOINT;
	let t = templates.get(full);
	if (t === undefined) {
		t = openApiPath(full);
		templates.set(full, t);
	}
	return t;
}

/**
 * What the gateway records about each HTTP request: the http_* metric families and,
 * with tracing on, the request's SERVER span (continuing the caller's `traceparent`).
 * Undefined when neither is on, so the request path stays as it was.
 */
export function createHttpObserver(broker: ServiceBroker): Observer | undefined {
	const metricsOn = broker.isMetricsEnabled();
	const tracingOn = tracingEnabled();
	if (!metricsOn && !tracingOn) return undefined;
	let total: MetricTypes.Counter | undefined;
	let duration: MetricTypes.Histogram | undefined;
	let inProgress: MetricTypes.Gauge | undefined;
	if (metricsOn) {
		ensureMetrics(broker, HTTP_METRICS);
		total = broker.metrics.getMetric("http_requests_total") as MetricTypes.Counter;
		duration = broker.metrics.getMetric("http_request_duration_seconds") as MetricTypes.Histogram;
		inProgress = broker.metrics.getMetric("http_requests_in_progress") as MetricTypes.Gauge;
	}
	return (req, res, handle) => {
		const started = performance.now();
		const method = req.method ?? "GET";
		const methodLabel = { method };
		inProgress?.increment(methodLabel);
		let span: Span | undefined;
		let parent = ROOT_CONTEXT;
		if (tracingOn) {
			parent = propagation.extract(ROOT_CONTEXT, req.headers);
			span = startSpan(method, SpanKind.SERVER, parent);
			// Attributes only for spans that are exported: most are not, when sampling.
			if (span.isRecording()) {
				const q = req.url?.indexOf("?") ?? -1;
				span.setAttributes({
					"http.request.method": method,
					// Never the query string: it may hold a token.
					"url.path": q >= 0 ? req.url!.slice(0, q) : (req.url ?? "/"),
					"url.scheme": "http",
					"client.address": req.socket.remoteAddress ?? "",
					"user_agent.original": String(req.headers["user-agent"] ?? "")
				});
			}
		}
		res.once("close", () => {
			const endpoint = routeTemplate(req);
			// A client that went away before the answer was sent: nginx's 499.
			const status = res.writableFinished || res.headersSent ? res.statusCode : 499;
			if (total) {
				inProgress!.decrement(methodLabel);
				total.increment({ method, endpoint, status });
				duration!.observe((performance.now() - started) / 1000, { method, endpoint });
			}
			if (span?.isRecording()) {
				span.updateName(`${method} ${endpoint}`);
				span.setAttribute("http.route", endpoint);
				span.setAttribute("http.response.status_code", status);
				if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
				span.end();
			}
		});
		return span ? context.with(trace.setSpan(parent, span).setValue(REQUEST_ID_KEY, requestIdOf(req)), handle) : handle();
	};
}

interface ObservabilityVars {
	httpObserver?: Observer;
}

type ObservabilityThis = Service & ObservabilityVars;

const baseHttpHandler = (ApiGateway as unknown as { methods: { httpHandler: HttpHandler } }).methods.httpHandler;

/** Prometheus text of this node's metrics, on the gateway's port. */
function sendMetrics(this: ObservabilityThis, req: IncomingMessage, res: ServerResponse): void {
	const reporter = scrapeReporterOf(this.broker as unknown as { metrics?: { reporter?: unknown[] } });
	if (!reporter) throw notFound("Metrics (OBSERVABILITY_ENABLE_METRICS is off)");
	const text = reporter.generatePrometheusResponse();
	const gzip = String(req.headers["accept-encoding"] ?? "").includes("gzip");
	res.writeHead(200, { "Content-Type": PROMETHEUS_CONTENT_TYPE, "Cache-Control": "no-store", ...(gzip ? { "Content-Encoding": "gzip" } : {}) });
	res.end(gzip ? gzipSync(text) : text);
}

/** Aliases for the gateway's "/" route. */
export const METRICS_ALIASES = { "GET /metrics": sendMetrics };

/**
 * Gateway mixin: wraps moleculer-web's request handler with the HTTP metrics and span.
 * List it before moleculer-web in `mixins` so its `httpHandler` is the one used.
 */
export const GatewayObservabilityMixin: Partial<ServiceSchema> = {
	methods: {
		httpHandler(this: ObservabilityThis, req: IncomingMessage, res: ServerResponse, next?: unknown) {
			if (!this.httpObserver) return baseHttpHandler.call(this, req, res, next);
			return this.httpObserver(req, res, () => baseHttpHandler.call(this, req, res, next));
		}
	},
	created(this: ObservabilityThis) {
		this.httpObserver = createHttpObserver(this.broker);
	}
};
