import type { StepUsage } from "../steps/types";

/** Statuses keep the original domain's names (DESIGN.md); `queued` waits for flow control, its owner's running cap (EXECUTION_MAX_RUNNING_PER_USER) included. */
export type ExecutionStatus = "pending" | "queued" | "running" | "completed" | "failed" | "cancelled";
export type StepStatus = "pending" | "running" | "completed" | "failed" | "cancelled" | "skipped";
/** What a running step that holds no worker is waiting for. */
export type WaitingFor = "approval" | "timer" | "sub_workflow" | "event";

/**
 * A flow-control key a run holds or waits for: `concurrency` (at most `limit` running),
 * `rate_limit` (at most `limit` starts per `period` ms), `debounce` (waits `period` ms of
 * quiet). `key` is already scoped to the owner and workflow (see ./flow.ts).
 */
export interface FlowKey {
	/** `running`: a user's running cap (EXECUTION_MAX_RUNNING_PER_USER, ./trees.ts), whose room is the user's running root runs. */
	kind: "concurrency" | "rate_limit" | "debounce" | "running";
	key: string;
	limit: number;
	period: number | null;
}

export const TERMINAL_STEP: ReadonlySet<StepStatus> = new Set(["completed", "failed", "cancelled", "skipped"]);
export const TERMINAL_EXECUTION: ReadonlySet<ExecutionStatus> = new Set(["completed", "failed", "cancelled"]);

/** Token use and cost. A step's also names the provider and model of its last call and the time spent waiting on calls; an execution's holds the sums only. */
export type Usage = StepUsage;

export interface StepError {
	message: string;
	type: string;
	/** The attempt that failed. */
	attempt?: number;
}

export interface ExecutionError {
	message: string;
	type: string;
	step_id?: string;
}

export interface ExecutionRow {
	id: string;
	owner_id: string;
	workflow_ref: string;
	workflow_id: string;
	workflow_version: string;
	status: ExecutionStatus;
	trigger: string;
	inputs: Record<string, unknown>;
	outputs: Record<string, unknown> | null;
	error: ExecutionError | null;
	total_steps: number;
	finished_steps: number;
	active_steps: number;
	max_parallel: number;
	event_seq: number;
	idempotency_key: string | null;
	parent_execution_id: string | null;
	parent_step_id: string | null;
	/** The run at the root of this one's tree of sub-workflows (null: this one is a root). */
	root_execution_id: string | null;
	/** Sub-workflow levels below the root (0 for a root). */
	depth: number;
	/** On a root: the executions of its tree, itself included. */
	tree_size: number;
	/** On a root: what its whole tree's LLM calls spent so far (its budget covers them all). */
	tree_usage: Usage | null;
	usage: Usage | null;
	budget: { max_tokens: number | null; max_cost_usd: number | null } | null;
	/** W3C traceparent of the span that started the execution: the parent of every step attempt's span. */
	traceparent: string | null;
	/** Higher runs first when flow-control slots are scarce. */
	priority: number;
	/** The flow-control keys it holds or waits for; null for a run without flow control. */
	flow: FlowKey[] | null;
	/** The event that started it (the last of a debounced burst). */
	event_id: string | null;
	/** The execution it was forked from (it reused that run's outputs of the steps before the fork's step). */
	forked_from: string | null;
	/** How long it is kept once ended (ms; 0 forever), from its workflow's `retention`; null: EXECUTION_RETENTION. */
	retention_ms: number | null;
	created_at: number;
	started_at: number | null;
	completed_at: number | null;
	updated_at: number;
}

export interface StepRunRow {
	execution_id: string;
	step_id: string;
	position: number;
	type: string;
	status: StepStatus;
	pending_deps: number;
	ready_at: number | null;
	attempts: number;
	max_attempts: number;
	recoveries: number;
	lease_owner: string | null;
	lease_expires_at: number | null;
	waiting_for: WaitingFor | null;
	due_at: number | null;
	approval: { decision: "approved" | "rejected"; by: string; at: number; comment: string | null } | null;
	child_execution_id: string | null;
	/** A wait_for_event step: the event name it waits for, its match (a condition), and since when events count (ms). */
	wait_event: string | null;
	wait_match: string | null;
	wait_since: number | null;
	output: unknown;
	error: StepError | null;
	usage: Usage | null;
	started_at: number | null;
	completed_at: number | null;
}

/** A step of an execution, as ready-step messages carry it. */
export interface StepRef {
	execution_id: string;
	step_id: string;
}

export const EMPTY_USAGE: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost_usd: 0 };

/** The sums of two usages (an execution's): the numeric fields only. */
export function addUsage(a: Usage | null, b: Usage | null | undefined): Usage {
	const x = a ?? EMPTY_USAGE;
	if (!b) return x;
	return {
		prompt_tokens: x.prompt_tokens + b.prompt_tokens,
		completion_tokens: x.completion_tokens + b.completion_tokens,
		total_tokens: x.total_tokens + b.total_tokens,
		cost_usd: Math.round((x.cost_usd + b.cost_usd) * 1e9) / 1e9
	};
}

/**
 * A step's usage after one more attempt: the sums over its attempts, with the provider
 * and model of the latest call and the time all its calls took.
 */
export function addAttemptUsage(step: Usage | null, attempt: Usage | null | undefined): Usage | null {
	if (!attempt) return step;
	const sums = addUsage(step, attempt);
	const latency = (step?.latency_ms ?? 0) + (attempt.latency_ms ?? 0);
	const provider = attempt.provider ?? step?.provider;
	const model = attempt.model ?? step?.model;
	return {
		...sums,
		...(provider !== undefined ? { provider } : {}),
		...(model !== undefined ? { model } : {}),
		...(step?.latency_ms !== undefined || attempt.latency_ms !== undefined ? { latency_ms: latency } : {})
	};
}
