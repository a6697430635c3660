/**
 * Spans of step attempts. An attempt is the span `step <step_id>`, a child of the span
 * that started its execution (the `traceparent` the ledger keeps for it: the `execute`
 * action, a schedule tick, a parent's step), on whichever node runs it and however long
 * after: successors dispatched by another node, retries fired by timers, steps the
 * sweeper recovered from a dead node and attempts resumed by an approval are all
 * children of that one span, so one execution is one trace. What brought the step to
 * this node (the `engine.steps.ready` delivery's span, the step that released it here, a
 * sweep) is a link, not the parent: a sweep's delivery starts a trace of its own.
 * Spans made inside the attempt (LLM calls, HTTP requests, SQL) are its children.
 * With tracing off every function here returns at once.
 */
import {
	context,
	endSpanWithError,
	extractTraceContext,
	ROOT_CONTEXT,
	SpanKind,
	SpanStatusCode,
	startSpan,
	trace,
	TraceFlags,
	tracingEnabled,
	type Context,
	type Link,
	type Span
} from "../observability/tracing";
import type { ExecutionRow, StepRunRow } from "./types";

/** The trace context a ready step arrived in (kept while it waits for a slot); undefined with tracing off. */
export type Origin = Context | undefined;

/** The active trace context, when tracing is on. */
export function originHere(): Origin {
	return tracingEnabled() ? context.active() : undefined;
}

/** Runs `fn` in `origin` (the claim's SQL joins the delivery's span), or as it is with tracing off. */
export function runFrom<T>(origin: Origin, fn: () => T): T {
	return origin ? context.with(origin, fn) : fn();
}

const sampled = (ctx: Context | undefined) => {
	const sc = ctx && trace.getSpanContext(ctx);
	return sc !== undefined && (sc.traceFlags & TraceFlags.SAMPLED) !== 0 ? sc : undefined;
};

/**
 * Runs one attempt inside its span. `fn` gets the span's context: steps the attempt
 * claims for this node to run next link to it. A trace its start did not sample gets no
 * span (its ids still reach the log lines).
 */
export async function inStepSpan<T>(
	row: Pick<StepRunRow, "execution_id" | "step_id" | "type" | "attempts" | "recoveries">,
	execution: Pick<ExecutionRow, "workflow_id" | "traceparent">,
	origin: Origin,
	fn: (here: Origin) => Promise<T>
): Promise<T> {
	if (!tracingEnabled()) return fn(undefined);
	const parent = execution.traceparent ? extractTraceContext({ traceparent: execution.traceparent }) : ROOT_CONTEXT;
	const parentSpan = trace.getSpanContext(parent);
	if (parentSpan && !(parentSpan.traceFlags & TraceFlags.SAMPLED)) return context.with(parent, () => fn(parent));
	const from = sampled(origin);
	const links: Link[] = from && from.spanId !== parentSpan?.spanId ? [{ context: from }] : [];
	const span: Span = startSpan(
		`step ${row.step_id}`,
		SpanKind.INTERNAL,
		parent,
		{
			"cognitionos.execution.id": row.execution_id,
			"cognitionos.workflow.id": execution.workflow_id,
			"cognitionos.step.id": row.step_id,
			"cognitionos.step.type": row.type,
			"cognitionos.step.attempt": row.attempts,
			"cognitionos.step.recoveries": row.recoveries
		},
		links
	);
	const here = trace.setSpan(parent, span);
	try {
		const result = await context.with(here, () => fn(here));
		span.end();
		return result;
	} catch (err) {
		endSpanWithError(span, err);
		throw err;
	}
}

/** How the attempt whose span is active ended; a failure (retried or final) marks the span as an error. */
export function recordStepOutcome(status: "completed" | "skipped" | "waiting" | "retrying" | "failed" | "cancelled", failure?: { type: string; message: string }): void {
	if (!tracingEnabled()) return;
	const span = trace.getActiveSpan();
	if (!span?.isRecording()) return;
	span.setAttribute("cognitionos.step.status", status);
	if (failure) {
		span.setAttribute("error.type", failure.type);
		span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
	}
}
