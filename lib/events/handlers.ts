import { randomUUID } from "node:crypto";
import { AUDITED_EVENTS, auditEntryOf, recordAudit } from "../audit/log";
import { insertNotification } from "../notifications/store";
import { recordStepCompletion, stepCompletionOf } from "../statistics/steps";
import { addUsage, tokenCounters, utcDay } from "../usage/accounting";
import { queueDeliveries } from "../webhooks/store";
import { HandlerFailure, optionalString, requiredString, type EventHandler, type HandlerContext, type NotificationRecord } from "./handler";
import type { DomainEvent } from "./outbox";

const dayOf = (event: DomainEvent, hc: HandlerContext) => {
	const at = Date.parse(event.occurred_at);
	return utcDay(Number.isFinite(at) ? at : hc.now);
};

/** A sub-workflow's run belongs to its parent's: the owner hears about (and pays for) the parent's. */
const isRoot = (event: DomainEvent) => !optionalString(event, "parent_execution_id");

function notification(event: DomainEvent, hc: HandlerContext, fields: Pick<NotificationRecord, "kind" | "title" | "message" | "data">): NotificationRecord {
	return {
		id: randomUUID(),
		user_id: requiredString(event, "owner_id"),
		event_id: event.event_id,
		event_type: event.event_type,
		workflow_id: optionalString(event, "workflow_id"),
		execution_id: optionalString(event, "execution_id"),
		created_at: hc.now,
		read_at: null,
		...fields
	};
}

async function notify(hc: HandlerContext, n: NotificationRecord): Promise<void> {
	await insertNotification(hc.tx, n);
	hc.effects.notifications.push(n);
}

async function deliverWebhooks(event: DomainEvent, hc: HandlerContext): Promise<void> {
	hc.effects.webhookDeliveries += await queueDeliveries(hc.tx, event, hc.now);
}

function formatMs(ms: unknown): string {
	if (typeof ms !== "number") return "";
	return ms < 1000 ? ` in ${Math.round(ms)} ms` : ` in ${(ms / 1000).toFixed(1)} s`;
}

/** Workflow definitions, sign-ins, role changes, API keys, cancellations, approvals → the audit log. */
export const auditLogHandler: EventHandler = {
	name: "audit-log",
	events: AUDITED_EVENTS,
	async handle(event, hc) {
		await recordAudit(hc.tx, auditEntryOf(event));
	}
};

/** A run started → the audit log, the owner's usage, and webhooks that asked for it. */
export const executionStartedHandler: EventHandler = {
	name: "execution-started",
	events: ["WorkflowExecutionStarted"],
	async handle(event, hc) {
		const owner = requiredString(event, "owner_id");
		requiredString(event, "execution_id");
		await recordAudit(hc.tx, auditEntryOf(event));
		await addUsage(hc.tx, owner, dayOf(event, hc), { executions_started: 1 });
		await deliverWebhooks(event, hc);
	}
};

/** A run completed → a notification to its owner, its tokens in their usage, and its webhooks. */
export const executionCompletedHandler: EventHandler = {
	name: "execution-completed",
	events: ["WorkflowExecutionCompleted"],
	async handle(event, hc) {
		const owner = requiredString(event, "owner_id");
		const executionId = requiredString(event, "execution_id");
		const workflow = requiredString(event, "workflow_id");
		const root = isRoot(event);
		await addUsage(hc.tx, owner, dayOf(event, hc), { executions_completed: 1, ...(root ? tokenCounters(event.usage) : {}) });
		if (root) {
			await notify(
				hc,
				notification(event, hc, {
					kind: "info",
					title: `${workflow} ${optionalString(event, "workflow_version") ?? ""} completed`.replace(/\s+/g, " "),
					message: `Execution ${executionId} completed${formatMs(event.duration_ms)}.`,
					data: { workflow_version: event.workflow_version ?? null, duration_ms: event.duration_ms ?? null, usage: event.usage ?? null }
				})
			);
		}
		await deliverWebhooks(event, hc);
	}
};

/** A run failed → an alert to its owner, its tokens in their usage, and its webhooks. */
export const executionFailedHandler: EventHandler = {
	name: "execution-failed",
	events: ["WorkflowExecutionFailed"],
	async handle(event, hc) {
		const owner = requiredString(event, "owner_id");
		const executionId = requiredString(event, "execution_id");
		const workflow = requiredString(event, "workflow_id");
		const root = isRoot(event);
		await addUsage(hc.tx, owner, dayOf(event, hc), { executions_failed: 1, ...(root ? tokenCounters(event.usage) : {}) });
		if (root) {
			const error = (event.error ?? {}) as { message?: string; type?: string };
			await notify(
				hc,
				notification(event, hc, {
					kind: "alert",
					title: `${workflow} ${optionalString(event, "workflow_version") ?? ""} failed`.replace(/\s+/g, " "),
					message: `Execution ${executionId} failed${event.failed_step_id ? ` at step ${String(event.failed_step_id)}` : ""}: ${error.message ?? "unknown error"}`,
					data: { workflow_version: event.workflow_version ?? null, failed_step_id: event.failed_step_id ?? null, error: event.error ?? null }
				})
			);
		}
		await deliverWebhooks(event, hc);
	}
};

/** A step completed → its step's statistics (count, durations, attempts, tokens). */
export const stepStatisticsHandler: EventHandler = {
	name: "step-statistics",
	events: ["StepExecutionCompleted"],
	async handle(event, hc) {
		const completion = stepCompletionOf(event);
		if (!completion) throw new HandlerFailure(`StepExecutionCompleted ${event.event_id} lacks owner_id, workflow_id, workflow_version or step_id`, "malformed_event", true);
		await recordStepCompletion(hc.tx, completion);
	}
};

/** The five handlers, each with its own queue. */
export const EVENT_HANDLERS: readonly EventHandler[] = [auditLogHandler, executionStartedHandler, executionCompletedHandler, executionFailedHandler, stepStatisticsHandler];
