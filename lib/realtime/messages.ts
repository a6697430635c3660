/**
 * The real-time protocol's messages (the Phase 2 summary's envelope) and how engine
 * updates, streamed LLM tokens and notifications become them. Pure: the notifier feeds
 * these to the hub of its node.
 */

export const MESSAGE_TYPES = ["connected", "subscribed", "unsubscribed", "workflow_status", "event", "notification", "pong", "stats", "error"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** What a client receives: one JSON text frame (WebSocket) or one socket.io event named by `type`. */
export interface Envelope {
	type: MessageType;
	data: Record<string, unknown>;
	timestamp: string;
	workflow_id?: string;
	execution_id?: string;
	/** Position in its execution's stream; a client resumes with `since` set to the last one it saw. */
	seq?: number;
}

/**
 * A message of one execution's stream. Sequence numbers come from the engine's event
 * sequence (committed with each transition), so every gateway numbers a run's messages
 * alike: event `n` of the run is `n * SEQ_STRIDE`, the status after an update whose last
 * event is `n` is `n * SEQ_STRIDE + 1`, LLM tokens after event `n` follow from `+ 2`.
 */
export interface ExecutionMessage {
	envelope: Envelope & { workflow_id: string; execution_id: string; seq: number };
	owner_id: string;
	/** The engine sequence number this message belongs to (its place in the run). */
	event_seq: number;
	/** A later message of the same kind replaces it (intermediate statuses): a slow client may skip it. */
	supersedable: boolean;
}

export const SEQ_STRIDE = 1_000_000;

/** The engine's update after a committed transition (lib/engine/engine.ts EngineUpdate, as JSON). */
export interface EngineUpdateMessage {
	execution: {
		execution_id: string;
		owner_id: string;
		workflow_id: string;
		workflow_version: string;
		status: string;
		progress: number;
		current_step: string | null;
	};
	events: { seq: number; event_type: string; event_id: string; occurred_at: string; [field: string]: unknown }[];
}

/** One streamed piece of an LLM answer (services/llm.service.ts TokenEvent) with its correlation. */
export interface TokenMessage {
	execution_id?: string;
	step_id?: string;
	attempt?: number;
	seq: number;
	delta: string;
}

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

export function envelope(type: MessageType, data: Record<string, unknown>, now: number, ids: { workflow_id?: string; execution_id?: string } = {}): Envelope {
	return { type, data, timestamp: new Date(now).toISOString(), ...ids };
}

/** A short human sentence for a status message, from the event that caused it. */
export function statusText(event: { event_type: string; step_id?: unknown; error?: unknown; reason?: unknown; decision?: unknown; event?: unknown }): string {
	const step = typeof event.step_id === "string" ? `Step ${event.step_id}` : "Step";
	switch (event.event_type) {
		case "WorkflowExecutionStarted":
			return "Execution started";
		case "WorkflowExecutionCompleted":
			return "Execution completed";
		case "WorkflowExecutionFailed":
			return `Execution failed${typeof event.error === "string" ? `: ${event.error}` : ""}`;
		case "WorkflowExecutionCancelled":
			return `Execution cancelled${typeof event.reason === "string" ? `: ${event.reason}` : ""}`;
		case "WorkflowExecutionRetried":
			return "Execution running again";
		case "StepExecutionStarted":
			return `${step} started`;
		case "StepExecutionCompleted":
			return `${step} completed`;
		case "StepExecutionFailed":
			return `${step} failed`;
		case "StepExecutionRetried":
			return `${step} will be retried`;
		case "StepExecutionSkipped":
			return `${step} skipped`;
		case "StepExecutionWaiting":
			return typeof event.event === "string" ? `${step} waits for event ${event.event}` : `${step} waiting`;
		case "RunQueued":
			return `Execution queued${typeof event.reason === "string" ? ` (${event.reason.replace("_", " ")})` : ""}`;
		case "RunDebounced":
			return "Execution debounced: a newer event replaced its inputs";
		case "ApprovalRequested":
			return `${step} waits for approval`;
		case "ApprovalDecided":
			return `${step} ${typeof event.decision === "string" ? event.decision : "decided"}`;
		case "AgentTurnCompleted":
			return `${step}: the model answered`;
		case "AgentToolCallCompleted":
			return `${step}: a tool call finished`;
		case "AgentToolApprovalRequested":
			return `${step}: a tool call waits for approval`;
		default:
			return event.event_type;
	}
}

/** The messages of one engine update: an `event` per domain event, then one `workflow_status`. */
export function messagesOfUpdate(update: EngineUpdateMessage, now: number): ExecutionMessage[] {
	const x = update.execution;
	const ids = { workflow_id: x.workflow_id, execution_id: x.execution_id };
	const out: ExecutionMessage[] = update.events.map(e => ({
		envelope: { ...envelope("event", { ...e }, now, ids), ...ids, seq: e.seq * SEQ_STRIDE },
		owner_id: x.owner_id,
		event_seq: e.seq,
		supersedable: false
	}));
	const last = update.events.at(-1);
	if (last) {
		const data = { execution_id: x.execution_id, status: x.status, progress: x.progress, current_step: x.current_step, message: statusText(last) };
		out.push({
			envelope: { ...envelope("workflow_status", data, now, ids), ...ids, seq: last.seq * SEQ_STRIDE + 1 },
			owner_id: x.owner_id,
			event_seq: last.seq,
			// The last status of a run is never skipped: it is the one that says how it ended.
			supersedable: !TERMINAL.has(x.status)
		});
	}
	return out;
}

/** An `event` message for a streamed LLM token, placed after the run's event `anchor` (`index` counts tokens there). */
export function tokenMessage(token: TokenMessage, run: { workflow_id: string; execution_id: string; owner_id: string }, anchor: number, index: number, now: number): ExecutionMessage | null {
	// Room for SEQ_STRIDE - 2 tokens between two engine events; an answer longer than that streams no more.
	if (index >= SEQ_STRIDE - 2) return null;
	const ids = { workflow_id: run.workflow_id, execution_id: run.execution_id };
	const data = { event_type: "LlmToken", execution_id: run.execution_id, step_id: token.step_id ?? null, attempt: token.attempt ?? null, token_seq: token.seq, delta: token.delta };
	return {
		envelope: { ...envelope("event", data, now, ids), ...ids, seq: anchor * SEQ_STRIDE + 2 + index },
		owner_id: run.owner_id,
		event_seq: anchor,
		supersedable: false
	};
}

/** A notification that lives only on the sockets (not filed in the notifications inbox): who gets it, and the message. */
export interface LiveNotification {
	user_id: string;
	envelope: Envelope;
}

/** Approvals waiting in an engine update: the run's owner hears of each at once. */
export function approvalNotifications(update: EngineUpdateMessage, now: number): LiveNotification[] {
	const x = update.execution;
	const ids = { workflow_id: x.workflow_id, execution_id: x.execution_id };
	return update.events
		.filter(e => e.event_type === "ApprovalRequested")
		.map(e => ({
			user_id: x.owner_id,
			envelope: envelope(
				"notification",
				{
					id: e.event_id,
					kind: "approval",
					title: `${x.workflow_id} ${x.workflow_version} waits for approval`,
					message: `Step ${String(e.step_id)} of execution ${x.execution_id} waits for your approval${typeof e.message === "string" ? `: ${e.message}` : "."}`,
					event_type: e.event_type,
					...ids,
					step_id: e.step_id ?? null,
					data: {},
					created_at: e.occurred_at
				},
				now,
				ids
			)
		}));
}

/** `llm.budget.threshold` (services/llm.service.ts): a run used most of its token or cost budget. */
export interface BudgetThreshold {
	execution_id?: string;
	step_id?: string;
	limit: "tokens" | "cost";
	ratio: number;
	used?: number;
	max?: number;
}

export function budgetNotification(t: BudgetThreshold, run: { workflow_id: string; execution_id: string; owner_id: string }, now: number): LiveNotification {
	const ids = { workflow_id: run.workflow_id, execution_id: run.execution_id };
	const what = t.limit === "tokens" ? "token" : "cost";
	return {
		user_id: run.owner_id,
		envelope: envelope(
			"notification",
			{
				id: `budget:${run.execution_id}:${t.limit}`,
				kind: "warning",
				title: `${run.workflow_id}: ${Math.round(t.ratio * 100)} % of the ${what} budget used`,
				message: `Execution ${run.execution_id} has used ${t.used ?? "?"} of its ${what} budget of ${t.max ?? "?"}${t.step_id ? ` (step ${t.step_id})` : ""}.`,
				event_type: "BudgetThresholdReached",
				...ids,
				data: { limit: t.limit, ratio: t.ratio, used: t.used ?? null, max: t.max ?? null },
				created_at: new Date(now).toISOString()
			},
			now,
			ids
		)
	};
}
