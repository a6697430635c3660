/**
 * Trace context across RabbitMQ: the event bus publishes and consumes through these two
 * helpers, so a consumer's work joins the trace of the request that published the event.
 * With tracing off the trace id still travels (as a `traceparent` whose flags say "not
 * sampled"), so the consumer's log lines carry the publisher's trace id.
 */
import { currentRequestContext, newSpanId, requestContext } from "../context";
import { context, endSpanWithError, extractTraceContext, injectTraceContext, SpanKind, startSpan, trace, tracingEnabled } from "./tracing";

export type MessageHeaders = Record<string, unknown>;

export interface AmqpDestination {
	exchange: string;
	routingKey: string;
	/** The message's id (the event id), recorded on both spans. */
	messageId?: string;
}

const TRACEPARENT = /^00-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

function attributes(dest: AmqpDestination, operation: "send" | "process", queue?: string) {
	return {
		"messaging.system": "rabbitmq",
		"messaging.operation.type": operation,
		"messaging.destination.name": dest.exchange,
		"messaging.rabbitmq.destination.routing_key": dest.routingKey,
		...(dest.messageId ? { "messaging.message.id": dest.messageId } : {}),
		...(queue ? { "messaging.consumer.group.name": queue } : {})
	};
}

/**
 * Publishes inside a PRODUCER span; `publish` receives the headers to send, which carry
 * the trace context. Returns what `publish` returns (amqplib's boolean or a confirm promise).
 */
export function tracedPublish<T>(dest: AmqpDestination, headers: MessageHeaders, publish: (headers: MessageHeaders) => T): T {
	const out: MessageHeaders = { ...headers };
	if (!tracingEnabled()) {
		const traceId = currentRequestContext()?.trace_id;
		if (traceId) out.traceparent = `00-${traceId}-${newSpanId()}-00`;
		return publish(out);
	}
	const span = startSpan(`publish ${dest.exchange}`, SpanKind.PRODUCER, context.active(), attributes(dest, "send"));
	injectTraceContext(out, trace.setSpan(context.active(), span));
	try {
		const result = publish(out);
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
			) as T;
		}
		span.end();
		return result;
	} catch (err) {
		endSpanWithError(span, err);
		throw err;
	}
}

/** Runs a consumer's handler for one message inside a CONSUMER span, child of the publisher's. */
export async function tracedConsume<T>(dest: AmqpDestination & { queue: string }, headers: MessageHeaders | undefined, handle: () => Promise<T>): Promise<T> {
	if (!tracingEnabled()) {
		const m = typeof headers?.traceparent === "string" ? TRACEPARENT.exec(headers.traceparent) : null;
		return m ? requestContext.run({ trace_id: m[1] }, handle) : handle();
	}
	const parent = extractTraceContext(headers);
	const span = startSpan(`process ${dest.exchange}`, SpanKind.CONSUMER, parent, attributes(dest, "process", dest.queue));
	try {
		const result = await context.with(trace.setSpan(parent, span), handle);
		span.end();
		return result;
	} catch (err) {
		endSpanWithError(span, err);
		throw err;
	}
}
