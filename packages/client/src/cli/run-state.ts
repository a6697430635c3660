/**
 * A run as the CLI shows it: each step's status, the run's status and progress, folded
 * from the execution (GET) and then from its stream messages. Pure: no terminal, no clock.
 */
import type { Execution } from "../types";
import type { StreamMessage } from "../stream";

export type StepState = "pending" | "running" | "waiting" | "retrying" | "completed" | "failed" | "skipped" | "cancelled";

export interface StepView {
	id: string;
	type: string;
	depends_on: string[];
	state: StepState;
	attempt: number;
	/** What a waiting step waits for: approval, timer, sub_workflow. */
	waiting_for?: string;
	/** When a timer wait is due (ms since epoch). */
	due_at?: number;
	/** Streamed LLM tokens seen for the step's current attempt. */
	tokens: number;
	error?: string;
}

export interface RunView {
	execution_id: string;
	workflow: string;
	status: string;
	progress: number;
	steps: StepView[];
	/** When the run started (ms since epoch), from the execution. */
	started_at: number | null;
	finished_at: number | null;
}

/** One line per transition, for output that is not a terminal: what changed. */
export interface Transition {
	at: string;
	subject: string;
	state: string;
	detail?: string;
}

const STEP_EVENTS: Record<string, StepState> = {
	StepExecutionStarted: "running",
	StepExecutionCompleted: "completed",
	StepExecutionFailed: "failed",
	StepExecutionRetried: "retrying",
	StepExecutionSkipped: "skipped",
	StepExecutionWaiting: "waiting",
	ApprovalRequested: "waiting",
	SubWorkflowStarted: "waiting"
};

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

/** Steps in an order that puts every step after what it depends on (declaration order otherwise). */
function dependencyOrder<T extends { id: string; depends_on: string[] }>(steps: T[]): T[] {
	const byId = new Map(steps.map(s => [s.id, s]));
	const placed = new Set<string>();
	const out: T[] = [];
	const visit = (s: T, path: Set<string>) => {
		if (placed.has(s.id) || path.has(s.id)) return;
		path.add(s.id);
		for (const dep of s.depends_on) {
			const d = byId.get(dep);
			if (d) visit(d, path);
		}
		placed.add(s.id);
		out.push(s);
	};
	for (const s of steps) visit(s, new Set());
	return out;
}

export function runFromExecution(x: Execution): RunView {
	return {
		execution_id: x.execution_id,
		workflow: `${x.workflow_id}@${x.workflow_version}`,
		status: x.status,
		progress: x.progress,
		started_at: time(x.started_at) ?? time(x.created_at),
		finished_at: time(x.completed_at),
		steps: dependencyOrder(
			x.steps.map(s => ({
				id: s.step_id,
				type: s.type,
				depends_on: s.depends_on,
				state: (s.waiting_for ? "waiting" : s.status) as StepState,
				attempt: s.attempts,
				waiting_for: s.waiting_for ?? undefined,
				tokens: 0,
				error: s.error?.message
			}))
		)
	};
}

/** Applies one stream message; returns the transitions it made (none for tokens and repeats). */
export function applyMessage(run: RunView, m: StreamMessage): Transition[] {
	const data = m.data;
	if (m.type === "workflow_status") {
		const status = String(data.status);
		const changed = status !== run.status;
		run.progress = typeof data.progress === "number" ? data.progress : run.progress;
		run.status = status;
		if (["completed", "failed", "cancelled"].includes(status)) run.finished_at ??= Date.parse(m.timestamp);
		return changed ? [{ at: m.timestamp, subject: "execution", state: status, detail: `${run.progress}%` }] : [];
	}
	const type = String(data.event_type);
	if (type === "WorkflowExecutionStarted") {
		run.started_at ??= Date.parse(m.timestamp);
		// The run is running from this event on: said here, before the steps its start already began (the same update's
		// workflow_status message comes after all of its events).
		if (run.status === "running") return [];
		run.status = "running";
		return [{ at: m.timestamp, subject: "execution", state: "running", detail: `${run.progress}%` }];
	}
	const step = typeof data.step_id === "string" ? run.steps.find(s => s.id === data.step_id) : undefined;
	if (!step) return [];
	if (type === "LlmToken") {
		step.tokens++;
		return [];
	}
	const state = STEP_EVENTS[type];
	if (!state) return [];
	step.state = state;
	if (typeof data.attempt === "number") step.attempt = data.attempt;
	if (state === "running") step.tokens = 0;
	step.waiting_for = state === "waiting" ? String(data.waiting_for ?? "") : undefined;
	step.due_at = state === "waiting" && typeof data.due_at === "string" ? Date.parse(data.due_at) : undefined;
	const error = data.error as { message?: unknown } | undefined;
	step.error = state === "failed" || state === "retrying" ? (typeof error?.message === "string" ? error.message : undefined) : undefined;
	const detail =
		state === "running"
			? `attempt ${step.attempt}`
			: state === "waiting"
				? `for ${step.waiting_for}`
				: state === "retrying" && typeof data.next_attempt_at === "string"
					? `next attempt at ${data.next_attempt_at}${step.error ? `: ${step.error}` : ""}`
					: step.error;
	return [{ at: m.timestamp, subject: step.id, state, ...(detail ? { detail } : {}) }];
}

/** Non-terminal output: `+1.25s greet completed`. */
export function transitionLine(t: Transition, startedAt: number | null): string {
	const offset = startedAt === null ? "" : `+${Math.max(0, (Date.parse(t.at) - startedAt) / 1000).toFixed(2)}s `;
	return `${offset}${t.subject} ${t.state}${t.detail ? ` (${t.detail})` : ""}`;
}
