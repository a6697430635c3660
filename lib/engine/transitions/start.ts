import { randomUUID } from "node:crypto";
import type { WorkflowDefinition } from "../../dsl";
import { conflict, tooManyRequests } from "../../errors";
import { emptyAftermath, isUniqueViolation, type Aftermath, type EngineCore, type Transaction } from "../core";
import { forkStepRows, initialStepRows, planOf, type ReusedStep } from "../plan";
import { placeInTree, runningCapKey } from "../trees";
import type { ExecutionRow, FlowKey } from "../types";
import { admitNew } from "./admission";
import { parseRetention } from "../../retention/policy";

export interface StartRequest {
	ownerId: string;
	workflowRef: string;
	workflowId: string;
	workflowVersion: string;
	definition: WorkflowDefinition;
	inputs: Record<string, unknown>;
	idempotencyKey?: string | null;
	trigger: "api" | "schedule" | "sub_workflow" | "event";
	parent?: { execution_id: string; step_id: string } | null;
	budget?: ExecutionRow["budget"];
	maxParallel?: number;
	/** Who asked for the run and from where (for the audit log); none for schedules and sub-workflows. */
	startedBy?: string | null;
	/** The W3C traceparent of the span starting the run: every step attempt's span is its child. */
	traceparent?: string | null;
	clientIp?: string | null;
	/** Higher first when flow-control slots are scarce; the workflow's default when absent. */
	priority?: number;
	/** The run's flow-control keys (../flow.ts); none: it starts at once. */
	flow?: FlowKey[];
	/** The event that starts it. */
	eventId?: string | null;
	/** A fork: the run it forks, and the steps it keeps from it (not run again). */
	fork?: { from: string; reused: ReadonlyMap<string, ReusedStep> } | null;
}

/**
 * How a start request ended: a new run `started` now or `queued` by flow control, merged
 * into a run waiting out its debounce (`debounced`: that run, its inputs now these),
 * the `existing` run of an idempotency key, or `refused` (its flow-control queue is full).
 */
export type StartOutcome = "started" | "queued" | "debounced" | "existing" | "refused";

export interface StartResult {
	execution: ExecutionRow;
	created: boolean;
	outcome: StartOutcome;
}

/**
 * A new execution: its row, a row per step, and `WorkflowExecutionStarted` (or
 * `RunQueued`), in one transaction; the steps with no dependencies are dispatched once it
 * commits. With an idempotency key the owner has used before, the earlier execution is
 * returned instead. A run whose flow-control queue is full is refused (429). A sub-workflow
 * must fit its tree's limits (a final StepFailure for its parent's step otherwise); a root
 * run whose owner is at EXECUTION_MAX_RUNNING_PER_USER waits like any queued run.
 */
export async function startExecution(core: EngineCore, req: StartRequest): Promise<{ execution: ExecutionRow; created: boolean; outcome: StartOutcome }> {
	const after = emptyAftermath();
	let result: StartResult | { refused: string };
	try {
		result = await core.tx(tx => startInTx(core, tx, req, after, core.freeSlots()), undefined, after, req.ownerId);
	} catch (err) {
		// Two requests with one idempotency key: the second finds the first's execution.
		if (isUniqueViolation(err) && req.idempotencyKey) {
			const existing = await core.store.executionByIdempotencyKey(req.ownerId, req.idempotencyKey);
			if (existing) return { execution: existing, created: false, outcome: "existing" };
		}
		throw err;
	}
	if ("refused" in result) throw tooManyRequests(result.refused, 1);
	startedHere(core, result, req.definition);
	core.afterCommit(after);
	if (after.runHere.length) core.runLocal(after.runHere);
	return result;
}

/** A run that started here: this node keeps its context (a queued run's inputs may still change: it is read when it starts). */
export function startedHere(core: EngineCore, result: StartResult, definition: WorkflowDefinition): void {
	if (result.outcome === "started") core.cache.remember(result.execution, definition);
}

/**
 * The start transition inside the caller's transaction (an event starts several runs in its
 * own). Up to `localSlots` of the steps ready at once are claimed for this node in it, as a
 * finish claims its successors (their first attempt, `StepExecutionStarted`): they go to
 * `after.runHere`, which the caller hands to the worker; the rest are dispatched.
 */
export async function startInTx(core: EngineCore, tx: Transaction, req: StartRequest, after: Aftermath, localSlots = 0): Promise<StartResult | { refused: string }> {
	const plan = planOf(req.definition);
	const now = core.now();
	const id = randomUUID();
	const maxParallel = req.maxParallel ?? core.opts.defaultMaxParallel;
	if (req.idempotencyKey) {
		const existing = await core.store.executionByIdempotencyKey(req.ownerId, req.idempotencyKey, tx);
		if (existing) return { execution: existing, created: false, outcome: "existing" };
	}
	// A sub-workflow is counted on its tree's root (or refused, failing its parent's step); a root run also waits when its owner is at the running cap.
	const place = req.parent ? await placeInTree(core.store, tx, req.parent.execution_id, core.opts.trees) : null;
	const userKey = place ? null : await runningCapKey(core.store, tx, req.ownerId, core.opts.trees.maxRunningPerUser);
	const flow = req.flow?.length || userKey ? [...(req.flow ?? []), ...(userKey ? [userKey] : [])] : null;
	const priority = req.priority ?? req.definition.priority ?? 0;
	const admission = flow ? await admitNew(core, tx, id, flow, priority, now, after) : ({ state: "run" } as const);
	if (admission.state === "refused") return { refused: admission.message };
	if (admission.state === "debounced") return debounceInto(core, tx, admission.into, admission.dueAt, req, after);
	const queued = admission.state === "queued";
	const parallel = queued ? 0 : maxParallel;
	const steps = req.fork ? forkStepRows(plan, id, now, parallel, req.fork.reused) : initialStepRows(plan, id, now, parallel);
	const ready = steps.filter(s => s.ready_at !== null);
	const local = ready.slice(0, localSlots);
	for (const row of local) Object.assign(row, { status: "running", attempts: row.attempts + 1, lease_owner: core.opts.leaseOwner, lease_expires_at: now + core.opts.leaseMs, started_at: now, ready_at: null });
	const execution: ExecutionRow = {
		id,
		owner_id: req.ownerId,
		workflow_ref: req.workflowRef,
		workflow_id: req.workflowId,
		workflow_version: req.workflowVersion,
		status: queued ? "queued" : "running",
		trigger: req.trigger,
		inputs: req.inputs,
		outputs: null,
		error: null,
		total_steps: steps.length,
		finished_steps: req.fork?.reused.size ?? 0,
		active_steps: ready.length,
		max_parallel: maxParallel,
		event_seq: 1 + local.length,
		idempotency_key: req.idempotencyKey ?? null,
		parent_execution_id: req.parent?.execution_id ?? null,
		parent_step_id: req.parent?.step_id ?? null,
		root_execution_id: place?.root_execution_id ?? null,
		depth: place?.depth ?? 0,
		tree_size: 1,
		tree_usage: null,
		usage: null,
		budget: req.budget ?? null,
		traceparent: req.traceparent ?? null,
		priority,
		flow,
		event_id: req.eventId ?? null,
		forked_from: req.fork?.from ?? null,
		retention_ms: req.definition.retention === undefined ? null : parseRetention(req.definition.retention),
		created_at: now,
		started_at: queued ? null : now,
		completed_at: null,
		updated_at: now
	};
	await core.store.insertExecution(tx, execution);
	await core.store.insertStepRuns(tx, steps);
	const fields = {
		inputs: req.inputs,
		trigger: req.trigger,
		parent_execution_id: execution.parent_execution_id,
		started_by: req.startedBy ?? null,
		client_ip: req.clientIp ?? null,
		// (event_id is the domain event's own id: the run's event is its trigger.)
		trigger_event_id: execution.event_id,
		...(execution.forked_from ? { forked_from: execution.forked_from, reused_steps: [...req.fork!.reused.keys()] } : {})
	};
	const event = queued
		? core.event(execution, "RunQueued", { ...fields, priority, reason: admission.reason, due_at: admission.dueAt ? new Date(admission.dueAt).toISOString() : null })
		: core.event(execution, "WorkflowExecutionStarted", fields);
	const started = local.map(r => core.event(execution, "StepExecutionStarted", { step_id: r.step_id, step_type: r.type, attempt: r.attempts }));
	await core.commitEvents(tx, execution, [event, ...started], after, ready[0]?.step_id ?? null, 0, {}, { inserted: true });
	after.dispatch.push(...ready.slice(local.length).map(s => ({ execution_id: id, step_id: s.step_id })));
	after.runHere.push(...local);
	return { execution, created: true, outcome: queued ? "queued" : "started" };
}

/** The last of a burst wins: the run waiting out its debounce takes this request's inputs (and event). */
async function debounceInto(core: EngineCore, tx: Transaction, into: string, dueAt: number, req: StartRequest, after: Aftermath): Promise<StartResult> {
	const execution = await core.lockExecution(tx, into);
	if (!execution || execution.status !== "queued") throw conflict("The debounced run changed meanwhile; try again");
	const event = core.event(execution, "RunDebounced", { inputs: req.inputs, trigger_event_id: req.eventId ?? null, due_at: new Date(dueAt).toISOString() });
	await core.commitEvents(tx, execution, [event], after, null, 0, { inputs: req.inputs, event_id: req.eventId ?? null });
	core.cache.forget(into);
	return { execution, created: false, outcome: "debounced" };
}
