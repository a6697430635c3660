import type { ActionSchema, Context as MoleculerContext, EventSchema, Middleware, ServiceBroker } from "moleculer";
import {
	context,
	endSpanWithError,
	extractTraceContext,
	injectTraceContext,
	REQUEST_ID_KEY,
	SpanKind,
	trace,
	startSpan,
	TraceFlags,
	type Attributes,
	type Context,
	type Span
} from "../lib/observability/tracing";

type Handler = (ctx: MoleculerContext) => unknown;

/** The gateway's entry action: the HTTP request span already covers it. */
const UNTRACED_ACTIONS = new Set(["api.rest"]);

function settle(span: Span, result: unknown): unknown {
	if (result instanceof Promise) {
		return result.then(
			value => {
				span.end();
				return value;
			},
			err => {
				endSpanWithError(span, err);
				throw err;
			}
		);
	}
	span.end();
	return result;
}

/**
 * Where a call or event continues a trace: from the `traceparent` the caller put in
 * `ctx.headers` when it came over the transporter, else from the caller's active span
 * in this process.
 */
function parentOf(ctx: MoleculerContext, localNodeID: string): { parent: Context; remote: boolean } {
	const headers = ctx.headers as Record<string, unknown> | undefined;
	if (ctx.nodeID && ctx.nodeID !== localNodeID && headers?.traceparent) return { parent: extractTraceContext(headers), remote: true };
	return { parent: context.active(), remote: false };
}

function isUnsampled(ctx: Context): boolean {
	const sc = trace.getSpanContext(ctx);
	return sc !== undefined && !(sc.traceFlags & TraceFlags.SAMPLED);
}

function traced(broker: ServiceBroker, name: string, kind: "action" | "event", handler: Handler): Handler {
	const nodeID = broker.nodeID;
	return function (this: unknown, ctx: MoleculerContext) {
		const { parent, remote } = parentOf(ctx, nodeID);
		const scoped = ctx.requestID && parent.getValue(REQUEST_ID_KEY) !== ctx.requestID ? parent.setValue(REQUEST_ID_KEY, ctx.requestID) : parent;
		if (isUnsampled(parent)) {
			// A trace that is not sampled is never exported: make no span, keep the caller's ids for the log lines.
			return scoped === context.active() ? handler.call(this, ctx) : context.with(scoped, () => handler.call(this, ctx));
		}
		const spanKind = kind === "event" ? SpanKind.CONSUMER : remote ? SpanKind.SERVER : SpanKind.INTERNAL;
		const span = startSpan(kind === "event" ? `event ${ctx.eventName ?? name}` : name, spanKind, parent);
		if (span.isRecording()) {
			const attributes: Attributes = { "moleculer.node_id": nodeID, [`moleculer.${kind}`]: name };
			if (ctx.caller) attributes["moleculer.caller"] = ctx.caller;
			if (remote) attributes["moleculer.caller_node_id"] = ctx.nodeID!;
			span.setAttributes(attributes);
		}
		let result: unknown;
		try {
			result = context.with(trace.setSpan(scoped, span), () => handler.call(this, ctx));
		} catch (err) {
			endSpanWithError(span, err);
			throw err;
		}
		return settle(span, result);
	};
}

/** Copies `opts.headers` with the trace context added, for an event or call leaving this node. */
function withTraceHeaders<T extends { headers?: Record<string, unknown> }>(opts: T, ctx: Context): T {
	const headers: Record<string, unknown> = { ...opts.headers };
	injectTraceContext(headers, ctx);
	return { ...opts, headers };
}

/**
 * Spans for Moleculer actions and events, and the W3C trace context carried between
 * nodes in `ctx.headers`: a call leaving this node gets a CLIENT span and a `traceparent`;
 * the node that serves it continues the trace with a SERVER span. Installed only when
 * tracing is on, after Moleculer's own middlewares so that each span covers validation,
 * caching and timeouts too (see moleculer.config.ts).
 */
export function TracingMiddleware(broker: ServiceBroker): Middleware {
	return {
		name: "Tracing",
		localAction(next: Handler, action: ActionSchema) {
			const name = action.name ?? "";
			if (name.startsWith("$")) return next;
			if (UNTRACED_ACTIONS.has(name)) {
				// No span; the request id is in the context already (the gateway put it there with the request's span).
				return function (this: unknown, ctx: MoleculerContext) {
					const active = context.active();
					if (active.getValue(REQUEST_ID_KEY) === ctx.requestID) return next.call(this, ctx);
					return context.with(active.setValue(REQUEST_ID_KEY, ctx.requestID), () => next.call(this, ctx));
				};
			}
			return traced(broker, name, "action", next);
		},
		remoteAction(next: Handler, action: ActionSchema) {
			const name = action.name ?? "";
			return function (this: unknown, ctx: MoleculerContext) {
				const active = context.active();
				if (isUnsampled(active)) {
					// Not exported: pass the trace on (its id still reaches the other node's log lines), make no span.
					ctx.headers = withTraceHeaders({ headers: ctx.headers as Record<string, unknown> }, active).headers!;
					return next.call(this, ctx);
				}
				const span = startSpan(name, SpanKind.CLIENT, active);
				if (span.isRecording()) span.setAttributes({ "moleculer.node_id": broker.nodeID, "moleculer.action": name, "moleculer.target_node_id": ctx.nodeID ?? "" });
				ctx.headers = withTraceHeaders({ headers: ctx.headers as Record<string, unknown> }, trace.setSpan(context.active(), span)).headers!;
				let result: unknown;
				try {
					result = next.call(this, ctx);
				} catch (err) {
					endSpanWithError(span, err);
					throw err;
				}
				return settle(span, result);
			};
		},
		localEvent(next: Handler, event: EventSchema & { name?: string }) {
			const name = event.name ?? "";
			if (name.startsWith("$")) return next;
			return traced(broker, name, "event", next);
		}
	} as unknown as Middleware;
}

type Emit = (eventName: string, payload: unknown, opts?: unknown) => unknown;

/**
 * Puts the trace context into the headers of every event this node emits or broadcasts,
 * so the handlers (here or on other nodes) join the emitter's trace. It wraps
 * `broker.emit`, so it is given with the broker's options, not added later.
 */
export function EventTraceHeadersMiddleware(): Middleware {
	const wrap = (next: Emit): Emit => (eventName, payload, opts) =>
		next(eventName, payload, eventName.startsWith("$") ? opts : withTraceHeaders(normalizeEventOptions(opts), context.active()));
	return { name: "EventTraceHeaders", emit: wrap, broadcast: wrap } as unknown as Middleware;
}

/** Moleculer accepts a group name or a list of groups in place of the options object. */
function normalizeEventOptions(opts: unknown): { headers?: Record<string, unknown> } {
	if (opts == null) return {};
	if (typeof opts === "string" || Array.isArray(opts)) return { groups: opts } as { headers?: Record<string, unknown> };
	return opts as { headers?: Record<string, unknown> };
}
