import { randomUUID } from "node:crypto";
import type { SqlRunner } from "../db/database";
import type { Database } from "../db";

type Transaction = SqlRunner;
import { evaluateCondition, resolveStepParams, type StepDefinition, type TemplateScope, type WorkflowDefinition } from "../dsl";
import { appendToOutbox, domainEvent, type DomainEvent } from "../events/outbox";
import { StepFailure, stepType, type StepOutcome, type StepServices } from "../steps";
import { ExecutionCache, type ExecutionContext } from "./cache";
import { admit, executionOutputs, initialStepRows, planOf, progressOf, readySteps, unsatisfiedDependencies, type ExecutionPlan } from "./plan";
import { budgetExceeded } from "../llm/errors";
import { checkBudget, type Budget, type CallEstimate } from "../llm/budget";
import { DEFAULT_RETRY, retryDelay } from "./retry";
import { EngineStore, type Fence, type Reservation } from "./store";
import { inStepSpan, originHere, recordStepOutcome, runFrom, type Origin } from "./tracing";
import { addAttemptUsage, addUsage, TERMINAL_EXECUTION, type ExecutionError, type ExecutionRow, type StepError, type StepRef, type StepRunRow, type Usage } from "./types";

/** An event a step's progress adds to its execution's sequence (the step's id is added). */
export interface StepProgressEvent {
	type: string;
	fields: Record<string, unknown>;
}

/** Writes a step's progress in the engine's transaction; null (or no events) when its fence did not hold or there is nothing to announce. */
export type StepProgress = (tx: Transaction) => Promise<StepProgressEvent[] | null>;

/** What the engine publishes after each committed transition (for live streams and metrics). */
export interface EngineUpdate {
	execution: {
		execution_id: string;
		owner_id: string;
		workflow_id: string;
		workflow_version: string;
		status: ExecutionRow["status"];
		progress: number;
		current_step: string | null;
		parent_execution_id: string | null;
	};
	/** The transition's domain events, each numbered in its execution's sequence (`seq`). */
	events: (DomainEvent & { seq: number })[];
}

export interface EngineOptions {
	db: Database;
	/** Unique per process start: leases name it, so a restarted node never renews a dead one's leases. */
	leaseOwner: string;
	leaseMs: number;
	/** Steps this node runs at once. */
	concurrency: number;
	defaultMaxParallel: number;
	/** Per-attempt timeout of steps that set none. */
	defaultStepTimeoutMs: number;
	/** Lost leases a step may have before it fails instead of running again. */
	maxRecoveries: number;
	loadDefinition(workflowRef: string): Promise<WorkflowDefinition>;
	/** Services a step may use, for one attempt. */
	services(execution: ExecutionContext, step: StepRunRow): StepServices;
	/** Sends ready steps to some execution node (possibly this one). */
	dispatch(refs: StepRef[]): void;
	/** Tells every node to abort the running attempts of these executions. */
	abort(executionIds: string[]): void;
	publish(update: EngineUpdate): void;
	onStepFinished?(type: string, status: string, durationMs: number): void;
	onExecutionFinished?(workflowId: string, status: string, durationMs: number): void;
	onRecovered?(count: number): void;
	/**
	 * The lease owners whose leases lapsed in a sweep: their nodes stopped renewing (dead or
	 * stuck). Called before the recovered steps are dispatched, so the caller can stop sending
	 * work to those nodes first.
	 */
	onLeasesLapsed?(owners: string[]): void;
	log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
	now?: () => number;
	random?: () => number;
}

export interface StartRequest {
	ownerId: string;
	workflowRef: string;
	workflowId: string;
	workflowVersion: string;
	definition: WorkflowDefinition;
	inputs: Record<string, unknown>;
	idempotencyKey?: string | null;
	trigger: "api" | "schedule" | "sub_workflow";
	parent?: { execution_id: string; step_id: string } | null;
	budget?: ExecutionRow["budget"];
	maxParallel?: number;
	/** Who asked for the run and from where (for the audit log); none for schedules and sub-workflows. */
	startedBy?: string | null;
	/** The W3C traceparent of the span starting the run: every step attempt's span is its child. */
	traceparent?: string | null;
	clientIp?: string | null;
}

/**
 * How a step ended well. `usage` is recorded on the step; `charge` is added to the
 * execution (a sub-workflow's usage). An LLM step's calls were charged when they answered.
 */
interface StepEnd {
	status: "completed" | "skipped";
	output: unknown;
	usage?: Usage | null;
	charge?: Usage | null;
	approval?: unknown;
}

/** What a committed transition leaves to do once its transaction is over. */
interface Aftermath {
	updates: EngineUpdate[];
	dispatch: StepRef[];
	runHere: StepRunRow[];
	abort: string[];
	retryAt: { ref: StepRef; at: number }[];
	outputs: { execution_id: string; step_id: string; output: unknown }[];
	finished: { type: string; status: string; durationMs: number }[];
	executionsFinished: { workflowId: string; status: string; durationMs: number }[];
}

const emptyAftermath = (): Aftermath => ({
	updates: [],
	dispatch: [],
	runHere: [],
	abort: [],
	retryAt: [],
	outputs: [],
	finished: [],
	executionsFinished: []
});

/** A unique index refused the row (SQLite's and PostgreSQL's codes). */
function isUniqueViolation(err: unknown): boolean {
	const e = err as { code?: string; message?: string };
	return e?.code === "23505" || /UNIQUE constraint failed/.test(e?.message ?? "");
}

/** Errors a transaction may hit under contention and should simply run again. */
function isTransient(err: unknown): boolean {
	const e = err as { parent?: { code?: string }; original?: { code?: string }; code?: string; message?: string };
	const code = e?.parent?.code ?? e?.original?.code ?? e?.code;
	return code === "40P01" || code === "40001" || code === "SQLITE_BUSY" || /SQLITE_BUSY|deadlock detected/.test(e?.message ?? "");
}

/**
 * The durable execution engine. The database is the ledger: every transition (start,
 * claim, complete, skip, fail, retry, wait, cancel) is one transaction together with its
 * outbox events. Ready steps travel as messages, but correctness never depends on them:
 * leases and the sweeper recover lost work. This class decides and records; the
 * execution service wires it to the broker.
 */
/** How a wait for approval ended: by the owner (or an admin), or by its timeout. */
interface ApprovalDecision {
	decision: "approved" | "rejected" | "timed_out";
	decided_by: string | null;
	comment: string | null;
}

export class Engine {
	readonly store: EngineStore;
	private readonly cache: ExecutionCache;
	private readonly queue: StepRef[] = [];
	private readonly queued = new Set<string>();
	/** With tracing on, the trace context each queued step arrived in (see ./tracing.ts). */
	private readonly origins = new Map<string, Origin>();
	private readonly running = new Map<string, { controller: AbortController; executionId: string; attempt: number }>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private draining = false;
	private readonly now: () => number;
	private readonly random: () => number;

	constructor(private readonly opts: EngineOptions) {
		this.store = new EngineStore(opts.db);
		this.cache = new ExecutionCache(this.store, opts.loadDefinition);
		this.now = opts.now ?? Date.now;
		this.random = opts.random ?? Math.random;
	}

	get runningCount(): number {
		return this.running.size;
	}

	get queueDepth(): number {
		return this.queue.length;
	}

	private key(ref: StepRef): string {
		return `${ref.execution_id}\u0000${ref.step_id}`;
	}

	/** One transaction, run again when the database reports a deadlock or a busy file. */
	private async tx<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await this.opts.db.sqlTransaction(fn);
			} catch (err) {
				if (attempt >= 5 || !isTransient(err)) throw err;
				await new Promise(r => setTimeout(r, 5 * attempt + this.random() * 10));
			}
		}
	}

	// ---------------------------------------------------------------- starting

	async startExecution(req: StartRequest): Promise<{ execution: ExecutionRow; created: boolean }> {
		const plan = planOf(req.definition);
		const now = this.now();
		const id = randomUUID();
		const maxParallel = req.maxParallel ?? this.opts.defaultMaxParallel;
		const after = emptyAftermath();
		let result: { execution: ExecutionRow; created: boolean };
		try {
			result = await this.tx(async tx => {
				if (req.idempotencyKey) {
					const existing = await this.store.executionByIdempotencyKey(req.ownerId, req.idempotencyKey, tx);
					if (existing) return { execution: existing, created: false };
				}
				const steps = initialStepRows(plan, id, now, maxParallel);
				const ready = steps.filter(s => s.ready_at !== null);
				const execution: ExecutionRow = {
					id,
					owner_id: req.ownerId,
					workflow_ref: req.workflowRef,
					workflow_id: req.workflowId,
					workflow_version: req.workflowVersion,
					status: "running",
					trigger: req.trigger,
					inputs: req.inputs,
					outputs: null,
					error: null,
					total_steps: steps.length,
					finished_steps: 0,
					active_steps: ready.length,
					max_parallel: maxParallel,
					event_seq: 1,
					idempotency_key: req.idempotencyKey ?? null,
					parent_execution_id: req.parent?.execution_id ?? null,
					parent_step_id: req.parent?.step_id ?? null,
					usage: null,
					budget: req.budget ?? null,
					traceparent: req.traceparent ?? null,
					created_at: now,
					started_at: now,
					completed_at: null,
					updated_at: now
				};
				await this.store.insertExecution(tx, execution);
				await this.store.insertStepRuns(tx, steps);
				const event = this.event(execution, "WorkflowExecutionStarted", {
					inputs: req.inputs,
					trigger: req.trigger,
					parent_execution_id: execution.parent_execution_id,
					started_by: req.startedBy ?? null,
					client_ip: req.clientIp ?? null
				});
				await this.commitEvents(tx, execution, [event], after, ready[0]?.step_id ?? null, 0, {}, { inserted: true });
				after.dispatch.push(...ready.map(s => ({ execution_id: id, step_id: s.step_id })));
				return { execution, created: true };
			});
		} catch (err) {
			// Two requests with one idempotency key: the second finds the first's execution.
			if (isUniqueViolation(err) && req.idempotencyKey) {
				const existing = await this.store.executionByIdempotencyKey(req.ownerId, req.idempotencyKey);
				if (existing) return { execution: existing, created: false };
			}
			throw err;
		}
		if (result.created) this.cache.remember(result.execution, req.definition);
		this.afterCommit(after);
		return result;
	}

	// ---------------------------------------------------------------- the worker

	/** Ready steps arrived (a message, the sweeper, a timer): run them when a slot is free. */
	enqueue(refs: StepRef[]): void {
		if (this.draining) return;
		const origin = originHere();
		for (const ref of refs) {
			const k = this.key(ref);
			if (this.queued.has(k) || this.running.has(k)) continue;
			this.queued.add(k);
			this.queue.push(ref);
			if (origin) this.origins.set(k, origin);
		}
		this.pump();
	}

	private pump(): void {
		while (!this.draining && this.queue.length && this.running.size < this.opts.concurrency) {
			const ref = this.queue.shift()!;
			const k = this.key(ref);
			this.queued.delete(k);
			const origin = this.origins.get(k);
			this.origins.delete(k);
			// Reserve the slot before the claim's transaction, so the pump never overbooks.
			this.running.set(k, { controller: new AbortController(), executionId: ref.execution_id, attempt: 0 });
			// In the context the step arrived in, not whichever one called the pump (another execution's).
			void runFrom(origin, () => this.claimAndRun(ref, origin)).finally(() => {
				if (this.running.get(k)?.attempt === 0) this.running.delete(k);
				this.pump();
			});
		}
	}

	private async claimAndRun(ref: StepRef, origin: Origin): Promise<void> {
		let claimed: StepRunRow[] = [];
		const after = emptyAftermath();
		try {
			claimed = await this.tx(async tx => {
				const now = this.now();
				const { claimed: rows, execution } = await this.store.claimAndLock(tx, ref.execution_id, [ref.step_id], this.opts.leaseOwner, now + this.opts.leaseMs, now);
				if (rows.length === 0 || !execution) return [];
				const events = rows.map(r => this.event(execution, "StepExecutionStarted", { step_id: r.step_id, step_type: r.type, attempt: r.attempts }));
				await this.commitEvents(tx, execution, events, after, rows[0].step_id, progressOf(execution.finished_steps, execution.total_steps));
				return rows;
			});
		} catch (err) {
			this.opts.log.error({ err, ...ref }, "Claiming a step failed");
			return;
		}
		this.afterCommit(after);
		for (const row of claimed) await this.runClaimed(row, origin);
	}

	/**
	 * Runs one claimed attempt in the slot it holds, each in its span (./tracing.ts), then
	 * (if successors were taken here) runs them in turn.
	 */
	private async runClaimed(first: StepRunRow, origin: Origin): Promise<void> {
		const next: { row: StepRunRow; origin: Origin }[] = [{ row: first, origin }];
		while (next.length) {
			const { row, origin: from } = next.shift()!;
			const k = this.key(row);
			const slot = this.running.get(k) ?? { controller: new AbortController(), executionId: row.execution_id, attempt: row.attempts };
			slot.attempt = row.attempts;
			this.running.set(k, slot);
			let continuation: StepRunRow[] = [];
			let here: Origin;
			try {
				const context = await this.cache.context(row.execution_id);
				continuation = await inStepSpan(row, context.execution, from, span => {
					here = span;
					return this.attempt(row, context, slot.controller);
				});
			} catch (err) {
				this.opts.log.error({ err, execution_id: row.execution_id, step_id: row.step_id }, "Recording a step's result failed; its lease will lapse and it will run again");
			} finally {
				this.running.delete(k);
			}
			// The first successor continues in this slot; others got their own slots when claimed.
			if (continuation.length) {
				next.push({ row: continuation[0], origin: here });
				for (const extra of continuation.slice(1)) {
					this.running.set(this.key(extra), { controller: new AbortController(), executionId: extra.execution_id, attempt: extra.attempts });
					const released = here;
					void runFrom(released, () => this.runClaimed(extra, released)).finally(() => this.pump());
				}
			}
		}
	}

	/** One attempt of a claimed step: condition, approval gate, the step type's work, then the transition. */
	private async attempt(row: StepRunRow, context: ExecutionContext, controller: AbortController): Promise<StepRunRow[]> {
		const plan = context.plan;
		const step = plan.steps.get(row.step_id)!;
		const fence = { leaseOwner: this.opts.leaseOwner, attempt: row.attempts };
		const started = this.now();
		let scope: TemplateScope;
		try {
			scope = await this.cache.scope(context, plan.reads.get(step.id) ?? []);
			if (step.condition && !evaluateCondition(step.condition, scope)) {
				return this.finishStep(row, fence, { status: "skipped", output: null }, started);
			}
			const gate = step.approval_required;
			const needsApproval = gate === true || (typeof gate === "string" && evaluateCondition(gate, scope));
			if ((needsApproval || step.type === "approval") && row.approval?.decision !== "approved") {
				// An approval step waits its approval_timeout, else its timeout; a gate only its approval_timeout.
				const wait = step.approval_timeout ?? (step.type === "approval" ? step.timeout : null);
				const dueAt = wait ? this.now() + wait : null;
				await this.recordWait(row, fence, { kind: "wait", waitingFor: "approval", dueAt });
				return [];
			}
		} catch (err) {
			return this.failStep(row, fence, new StepFailure(`Condition of step ${step.id}: ${(err as Error).message}`, "condition_error", true), started);
		}
		if (step.type === "approval") return this.finishStep(row, fence, { status: "completed", output: approvalOutput(row) }, started);

		const handler = stepType(step.type)?.execute;
		if (!handler) return this.failStep(row, fence, new StepFailure(`Step type ${step.type} cannot run`, "unsupported_type", true), started);
		const timeout = step.timeout ?? this.opts.defaultStepTimeoutMs;
		const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(timeout)]);
		let outcome: StepOutcome | undefined;
		try {
			const params = resolveStepParams(step, scope);
			outcome = await handler(params, {
				executionId: row.execution_id,
				stepId: row.step_id,
				attempt: row.attempts,
				ownerId: context.execution.owner_id,
				idempotencyKey: `${row.execution_id}:${row.step_id}:${row.attempts}`,
				signal,
				scope,
				step,
				services: this.opts.services(context, row)
			});
			signal.throwIfAborted();
		} catch (err) {
			if (controller.signal.aborted) {
				recordStepOutcome("cancelled");
				return []; // cancelled: the cancel transition recorded it
			}
			// An attempt that timed out after its work answered still spent what it reports.
			const spent = outcome?.kind === "completed" ? (outcome.usage ?? null) : null;
			const failure =
				err instanceof StepFailure
					? err
					: signal.aborted
						? new StepFailure(`Step ${step.id} timed out after ${timeout} ms`, "timeout", false, spent)
						: new StepFailure((err as Error)?.message ?? String(err), (err as { type?: string })?.type ?? "step_error", (err as { final?: boolean })?.final === true);
			return this.failStep(row, fence, failure, started);
		}
		if (outcome.kind === "wait") {
			await this.recordWait(row, fence, outcome);
			return [];
		}
		return this.finishStep(row, fence, { status: "completed", output: outcome.output, usage: addAttemptUsage(row.usage, outcome.usage) }, started);
	}

	// ---------------------------------------------------------------- transitions

	/**
	 * A step ended well (completed or skipped): record it, release its dependents, make
	 * them ready within the parallel limit (taking what this node can run right away),
	 * and finish the execution when it was the last step.
	 */
	private async finishStep(
		row: StepRunRow,
		fence: Fence,
		result: StepEnd,
		startedAt: number
	): Promise<StepRunRow[]> {
		const after = emptyAftermath();
		const localSlots = Math.max(0, this.opts.concurrency - this.running.size + 1);
		const done = await this.tx(tx => this.finishInTx(tx, row, fence, result, after, this.draining ? 0 : localSlots));
		if (!done) return [];
		recordStepOutcome(result.status);
		after.finished.push({ type: row.type, status: result.status, durationMs: this.now() - startedAt });
		this.afterCommit(after);
		return after.runHere;
	}

	private async finishInTx(
		tx: Transaction,
		row: StepRef,
		fence: Fence,
		result: StepEnd,
		after: Aftermath,
		localSlots: number,
		decided?: ApprovalDecision
	): Promise<boolean> {
		const now = this.now();
		const plan = (await this.cache.context(row.execution_id)).plan;
		const dependents = sortedByPosition(plan, plan.dependents.get(row.step_id) ?? []);
		const done = await this.store.finishAndRelease(tx, row, fence, { status: result.status, output: result.output, usage: result.usage, approval: result.approval, error: null }, dependents, now);
		if (!done) {
			// A late result: another attempt owns the step now (this node lost its lease), or the step ended otherwise.
			if ("leaseOwner" in fence) this.opts.log.warn({ execution_id: row.execution_id, step_id: row.step_id, attempt: fence.attempt }, "Discarded a late result: the step's lease is no longer this node's");
			return false;
		}
		const { finished, execution, unblocked } = done;
		if (!execution || TERMINAL_EXECUTION.has(execution.status)) return false;
		const active = execution.active_steps - 1;
		const capacity = execution.max_parallel - active;
		let candidates = sortedByPosition(plan, unblocked);
		if (execution.active_steps >= execution.max_parallel) {
			const held = await this.store.throttled(tx, execution.id, capacity);
			candidates = sortedByPosition(plan, [...new Set([...held, ...unblocked])]);
		}
		const admitted = admit(candidates, capacity, localSlots);
		// Read the clock again now that the execution is locked: a sibling that finished just before us has committed.
		const readyAt = this.now();

		const events: DomainEvent[] = [
			...this.decidedEvents(execution, row.step_id, decided),
			this.event(execution, result.status === "skipped" ? "StepExecutionSkipped" : "StepExecutionCompleted", {
				step_id: row.step_id,
				step_type: finished.type,
				attempt: finished.attempts,
				duration_ms: finished.started_at ? now - finished.started_at : null,
				output: result.status === "completed" ? result.output : null,
				usage: result.usage ?? null
			}),
			// Steps made ready here have never run: the claim gives them their first attempt.
			...admitted.local.map(id => this.event(execution, "StepExecutionStarted", { step_id: id, step_type: plan.steps.get(id)!.type, attempt: 1 }))
		];
		const changes: Partial<ExecutionRow> = {
			finished_steps: execution.finished_steps + 1,
			active_steps: active + admitted.ready.length,
			usage: result.charge ? addUsage(execution.usage, result.charge) : execution.usage
		};
		const output = result.status === "completed" ? result.output : null;
		this.cache.recordOutput(execution.id, row.step_id, output);
		after.outputs.push({ execution_id: execution.id, step_id: row.step_id, output });
		const completes = changes.finished_steps === execution.total_steps;
		let outputs: Record<string, unknown> | null = null;
		if (completes) {
			const scope = await this.cache.scope(await this.cache.context(execution.id), plan.outputReads, tx);
			outputs = executionOutputs(plan, scope);
			Object.assign(changes, { status: "completed", outputs, completed_at: now });
			events.push(
				this.event(execution, "WorkflowExecutionCompleted", { outputs, usage: changes.usage ?? null, duration_ms: now - (execution.started_at ?? now), parent_execution_id: execution.parent_execution_id })
			);
			after.executionsFinished.push({ workflowId: execution.workflow_id, status: "completed", durationMs: now - (execution.started_at ?? now) });
		}
		const claim = { ready: admitted.ready, local: admitted.local, owner: this.opts.leaseOwner, leaseUntil: readyAt + this.opts.leaseMs, now: readyAt };
		const current = completes ? null : (admitted.local[0] ?? admitted.ready[0] ?? null);
		const local = await this.commitEvents(tx, execution, events, after, current, completes ? 100 : progressOf(changes.finished_steps!, execution.total_steps), changes, { claim });
		if (completes && execution.parent_execution_id && execution.parent_step_id) {
			await this.finishInTx(
				tx,
				{ execution_id: execution.parent_execution_id, step_id: execution.parent_step_id },
				{ waitingFor: "sub_workflow", childExecutionId: execution.id },
				{ status: "completed", output: { execution_id: execution.id, outputs }, usage: changes.usage ?? null, charge: changes.usage ?? null },
				after,
				0
			);
		}
		const localIds = new Set(local.map(r => r.step_id));
		after.dispatch.push(...admitted.ready.filter(id => !localIds.has(id)).map(step_id => ({ execution_id: execution.id, step_id })));
		after.runHere.push(...local);
		return true;
	}

	/** A failed attempt: retried later while attempts remain, else the step and its execution fail. */
	private async failStep(row: StepRunRow, fence: { leaseOwner: string; attempt: number }, failure: StepFailure, startedAt: number): Promise<StepRunRow[]> {
		const after = emptyAftermath();
		const error: StepError = { message: failure.message, type: failure.type, attempt: row.attempts };
		const step = (await this.cache.context(row.execution_id)).plan.steps.get(row.step_id)!;
		const retry = !failure.final && row.attempts < row.max_attempts;
		// The step keeps what its failed attempts spent; the execution was charged when the call answered.
		const usage = addAttemptUsage(row.usage, failure.usage);
		await this.tx(async tx => {
			if (retry) {
				const delay = retryDelay({ ...DEFAULT_RETRY, baseDelayMs: step.retry_delay }, row.attempts + 1, this.random);
				const at = this.now() + delay;
				const updated = await this.store.scheduleRetry(tx, row, fence, error, at, usage);
				if (!updated) return;
				const execution = await this.store.lockExecution(tx, row.execution_id, this.opts.db.dialect);
				if (!execution) return;
				const event = this.event(execution, "StepExecutionRetried", {
					step_id: row.step_id,
					attempt: row.attempts,
					error,
					usage: failure.usage,
					next_attempt_at: new Date(at).toISOString()
				});
				await this.commitEvents(tx, execution, [event], after, row.step_id, progressOf(execution.finished_steps, execution.total_steps));
				after.retryAt.push({ ref: row, at });
			} else {
				await this.failInTx(tx, row, fence, error, after, { usage });
			}
		});
		after.finished.push({ type: row.type, status: retry ? "retried" : "failed", durationMs: this.now() - startedAt });
		recordStepOutcome(retry ? "retrying" : "failed", { type: failure.type, message: failure.message });
		this.afterCommit(after);
		return [];
	}

	/**
	 * The step failed for good: so does its execution; unfinished steps are cancelled and running ones aborted.
	 * `spent.usage` is recorded on the step (kept as it was when absent); `spent.charge` is added to the execution.
	 */
	private async failInTx(
		tx: Transaction,
		ref: StepRef,
		fence: Fence,
		error: StepError,
		after: Aftermath,
		spent: { usage?: Usage | null; charge?: Usage | null } = {},
		decided?: ApprovalDecision
	): Promise<boolean> {
		const now = this.now();
		const failed = await this.store.finish(tx, ref, fence, { status: "failed", output: null, error, usage: spent.usage ?? null }, now);
		if (!failed) return false;
		const execution = await this.store.lockExecution(tx, ref.execution_id, this.opts.db.dialect);
		if (!execution || TERMINAL_EXECUTION.has(execution.status)) return false;
		const cancelled = await this.store.cancelUnfinished(tx, execution.id, now);
		const execError: ExecutionError = { message: `Step ${ref.step_id} failed: ${error.message}`, type: error.type, step_id: ref.step_id };
		const usage = spent.charge ? addUsage(execution.usage, spent.charge) : execution.usage;
		const events = [
			...this.decidedEvents(execution, ref.step_id, decided),
			this.event(execution, "StepExecutionFailed", { step_id: ref.step_id, step_type: failed.type, attempt: failed.attempts, error, usage: failed.usage }),
			this.event(execution, "WorkflowExecutionFailed", { error: execError, failed_step_id: ref.step_id, usage, parent_execution_id: execution.parent_execution_id })
		];
		await this.commitEvents(tx, execution, events, after, ref.step_id, progressOf(execution.finished_steps, execution.total_steps), {
			status: "failed",
			error: execError,
			completed_at: now,
			active_steps: 0,
			...(spent.charge ? { usage } : {})
		});
		after.abort.push(execution.id);
		after.executionsFinished.push({ workflowId: execution.workflow_id, status: "failed", durationMs: now - (execution.started_at ?? now) });
		for (const c of cancelled) if (c.child_execution_id) await this.cancelInTx(tx, c.child_execution_id, "parent failed", after);
		if (execution.parent_execution_id && execution.parent_step_id) {
			await this.failInTx(
				tx,
				{ execution_id: execution.parent_execution_id, step_id: execution.parent_step_id },
				{ waitingFor: "sub_workflow", childExecutionId: execution.id },
				{ message: `Sub-workflow ${execution.workflow_id} failed: ${execError.message}`, type: "sub_workflow_failed" },
				after,
				{ usage, charge: usage }
			);
		}
		return true;
	}

	/** The attempt now waits for an approval, a timer or a sub-workflow, holding no worker. */
	private async recordWait(row: StepRunRow, fence: { leaseOwner: string; attempt: number }, outcome: Extract<StepOutcome, { kind: "wait" }>): Promise<void> {
		const after = emptyAftermath();
		recordStepOutcome("waiting");
		await this.tx(async tx => {
			// Lock the child first, as its own completion does: whichever commits second sees the other.
			const child = outcome.childExecutionId ? await this.store.lockExecution(tx, outcome.childExecutionId, this.opts.db.dialect) : null;
			const waiting = await this.store.wait(tx, row, fence, outcome.waitingFor, outcome.dueAt, outcome.childExecutionId ?? null);
			if (!waiting) return;
			const execution = await this.store.lockExecution(tx, row.execution_id, this.opts.db.dialect);
			if (!execution) return;
			const type = outcome.waitingFor === "approval" ? "ApprovalRequested" : outcome.waitingFor === "timer" ? "StepExecutionWaiting" : "SubWorkflowStarted";
			const event = this.event(execution, type, {
				step_id: row.step_id,
				waiting_for: outcome.waitingFor,
				due_at: outcome.dueAt ? new Date(outcome.dueAt).toISOString() : null,
				child_execution_id: outcome.childExecutionId ?? null
			});
			await this.commitEvents(tx, execution, [event], after, row.step_id, progressOf(execution.finished_steps, execution.total_steps));
			// The child may have finished before this wait was recorded: settle it now.
			if (child && TERMINAL_EXECUTION.has(child.status)) await this.settleSubWorkflow(tx, row, child, after);
		});
		if (outcome.waitingFor === "timer" && outcome.dueAt) after.retryAt.push({ ref: row, at: outcome.dueAt });
		this.afterCommit(after);
	}

	/** A parent step waiting for a child that has ended: it completes with the child's outputs, or fails. */
	private async settleSubWorkflow(tx: Transaction, parent: StepRef, child: ExecutionRow, after: Aftermath): Promise<boolean> {
		const fence = { waitingFor: "sub_workflow" as const, childExecutionId: child.id };
		if (child.status === "completed") {
			return this.finishInTx(tx, parent, fence, { status: "completed", output: { execution_id: child.id, outputs: child.outputs }, usage: child.usage, charge: child.usage }, after, 0);
		}
		return this.failInTx(tx, parent, fence, { message: `Sub-workflow ${child.workflow_id} ${child.status}${child.error ? `: ${child.error.message}` : ""}`, type: "sub_workflow_failed" }, after, { usage: child.usage, charge: child.usage });
	}

	// ---------------------------------------------------------------- operator actions

	async cancel(executionId: string, reason: string, by: string | null = null): Promise<ExecutionRow | null> {
		const after = emptyAftermath();
		const done = await this.tx(tx => this.cancelInTx(tx, executionId, reason, after, by));
		this.afterCommit(after);
		return done ? this.store.execution(executionId) : null;
	}

	private async cancelInTx(tx: Transaction, executionId: string, reason: string, after: Aftermath, by: string | null = null): Promise<boolean> {
		const cancelled = await this.store.cancelUnfinished(tx, executionId, this.now());
		const execution = await this.store.lockExecution(tx, executionId, this.opts.db.dialect);
		if (!execution || TERMINAL_EXECUTION.has(execution.status)) return false;
		const now = this.now();
		const event = this.event(execution, "WorkflowExecutionCancelled", { reason, cancelled_steps: cancelled.map(c => c.step_id), cancelled_by: by });
		await this.commitEvents(tx, execution, [event], after, null, progressOf(execution.finished_steps, execution.total_steps), {
			status: "cancelled",
			completed_at: now,
			active_steps: 0
		});
		after.abort.push(executionId);
		after.executionsFinished.push({ workflowId: execution.workflow_id, status: "cancelled", durationMs: now - (execution.started_at ?? now) });
		for (const c of cancelled) if (c.child_execution_id) await this.cancelInTx(tx, c.child_execution_id, "parent cancelled", after);
		return true;
	}

	/** Approves or rejects a step waiting for approval. Returns false when no such wait exists. */
	async decide(ref: StepRef, decision: "approved" | "rejected", by: string, comment: string | null): Promise<boolean> {
		const after = emptyAftermath();
		const approval = { decision, by, at: this.now(), comment };
		const done = await this.tx(async tx => {
			const row = await this.store.stepRun(ref, tx);
			if (!row || row.status !== "running" || row.waiting_for !== "approval") return false;
			const execution = await this.store.execution(ref.execution_id, tx);
			if (!execution) return false;
			// A rejected tool call of an agent goes back to the agent (its model hears of it); any other rejection fails the step.
			const toolCall = row.type === "agent" && (await this.store.hasAgentJournal(ref, tx));
			if (decision === "rejected" && !toolCall) {
				const message = `Rejected by ${by}${comment ? `: ${comment}` : ""}`;
				return this.failInTx(tx, ref, { waitingFor: "approval" }, { message, type: "rejected", attempt: row.attempts }, after, {}, { decision, decided_by: by, comment });
			}
			if (row.type === "approval") {
				return this.finishInTx(tx, ref, { waitingFor: "approval" }, { status: "completed", output: approvalOutput({ ...row, approval }), approval }, after, 0, {
					decision,
					decided_by: by,
					comment
				});
			}
			const updated = await this.store.approveToRun(tx, ref, approval, this.now());
			if (!updated) return false;
			const locked = await this.store.lockExecution(tx, ref.execution_id, this.opts.db.dialect);
			await this.commitEvents(tx, locked!, [this.event(locked!, "ApprovalDecided", { step_id: ref.step_id, decision, decided_by: by, comment })], after, ref.step_id, progressOf(locked!.finished_steps, locked!.total_steps));
			after.dispatch.push(ref);
			return true;
		});
		this.afterCommit(after);
		return done;
	}

	/** Runs a failed (or cancelled) execution again from the steps that did not finish. */
	async retryExecution(executionId: string): Promise<ExecutionRow | null> {
		const after = emptyAftermath();
		const done = await this.tx(async tx => {
			const execution = await this.store.lockExecution(tx, executionId, this.opts.db.dialect);
			if (!execution || (execution.status !== "failed" && execution.status !== "cancelled")) return false;
			const plan = (await this.cache.context(executionId)).plan;
			const rows = await this.store.stepRuns(executionId, tx);
			// Unfinished steps start over as pending; what they wait on is recomputed from the finished ones.
			const status = new Map(rows.map(r => [r.step_id, r.status === "completed" || r.status === "skipped" ? r.status : ("pending" as const)]));
			const done = new Set(rows.filter(r => status.get(r.step_id) !== "pending").map(r => r.step_id));
			const reset = rows.filter(r => !done.has(r.step_id)).map(r => ({ step_id: r.step_id, pending_deps: unsatisfiedDependencies(plan, r.step_id, status) }));
			// Steps beyond the parallel limit stay held (not ready) like any throttled step.
			const readied = admit(readySteps(plan, status), execution.max_parallel, 0).ready;
			const now = this.now();
			await this.store.resetForRetry(tx, executionId, reset, new Set(readied), now);
			await this.commitEvents(tx, execution, [this.event(execution, "WorkflowExecutionRetried", { steps: reset.map(r => r.step_id) })], after, readied[0] ?? null, progressOf(done.size, execution.total_steps), {
				status: "running",
				error: null,
				completed_at: null,
				outputs: null,
				finished_steps: done.size,
				active_steps: readied.length
			});
			after.dispatch.push(...readied.map(step_id => ({ execution_id: executionId, step_id })));
			return true;
		});
		this.afterCommit(after);
		return done ? this.store.execution(executionId) : null;
	}

	// ---------------------------------------------------------------- LLM budgets

	/**
	 * Holds an LLM call's worst case against its execution's budget before the call is made:
	 * refused (a `budget_exceeded` error) when what the execution spent, plus what its calls
	 * in flight hold, plus this call's worst case passes a limit. The execution's row is
	 * locked while it is checked and reserved, so parallel steps (on any node) cannot
	 * together pass the budget. The step holds its share too (see `releaseReservations`).
	 * Returns what the execution has spent so far.
	 */
	async reserveLlmCall(ref: StepRef, worst: CallEstimate, defaults: { max_tokens: number; max_cost_usd: number }): Promise<{ used: Usage }> {
		return this.tx(async tx => {
			const state = await this.store.lockBudget(tx, ref);
			if (!state) throw new StepFailure(`Execution ${ref.execution_id} is gone`, "execution_missing", true);
			if (TERMINAL_EXECUTION.has(state.status)) throw new StepFailure(`Execution ${ref.execution_id} is ${state.status}`, "execution_ended", true);
			const used = addUsage(state.usage, null);
			const budget: Budget = {
				max_tokens: state.budget?.max_tokens || defaults.max_tokens,
				max_cost_usd: state.budget?.max_cost_usd || defaults.max_cost_usd,
				used_tokens: used.total_tokens + state.reserved.tokens,
				used_cost_usd: used.cost_usd + state.reserved.cost_usd
			};
			const check = checkBudget(budget, worst);
			if (!check.ok) {
				const held = state.reserved.tokens > 0 ? ` (${state.reserved.tokens.toLocaleString("en-US")} tokens of it are held by LLM calls in flight)` : "";
				throw budgetExceeded(check.message.replace(" remain.", ` remain${held}.`), { reason: check.reason, ...budget, estimated_prompt_tokens: worst.prompt_tokens, max_tokens: worst.max_completion_tokens });
			}
			const call = { tokens: worst.prompt_tokens + worst.max_completion_tokens, cost_usd: worst.max_cost_usd };
			await this.store.setBudget(tx, ref, plus(state.reserved, call), plus(state.step_reserved, call));
			return { used };
		});
	}

	/**
	 * Gives back a call's reservation and charges the execution what the call used (nothing
	 * when it did not answer). `progress`, when given, runs in the same transaction (an agent
	 * journals its turn there, so a turn is charged exactly when it is recorded); the events
	 * it returns are the execution's. Returns what `progress` returned (null without it).
	 */
	async settleLlmCall(ref: StepRef, worst: CallEstimate, spent: Usage | null, progress?: StepProgress): Promise<StepProgressEvent[] | null> {
		const after = emptyAftermath();
		const recorded = await this.tx(async tx => {
			const state = await this.store.lockBudget(tx, ref);
			if (!state) return null;
			// What the step still holds: nothing when the sweeper gave it back after this node lost the lease.
			const back = {
				tokens: Math.min(state.step_reserved.tokens, worst.prompt_tokens + worst.max_completion_tokens),
				cost_usd: Math.min(state.step_reserved.cost_usd, worst.max_cost_usd)
			};
			await this.store.setBudget(tx, ref, minus(state.reserved, back), minus(state.step_reserved, back), spent ? addUsage(state.usage, spent) : undefined);
			return progress ? this.progressInTx(tx, ref, progress, after) : null;
		});
		this.afterCommit(after);
		return recorded;
	}

	/**
	 * Records a running step's progress (an agent's tool call) in one transaction with the
	 * execution's events. `progress` checks its own fence and returns null to write nothing.
	 */
	async recordStepProgress(ref: StepRef, progress: StepProgress): Promise<StepProgressEvent[] | null> {
		const after = emptyAftermath();
		const recorded = await this.tx(tx => this.progressInTx(tx, ref, progress, after));
		this.afterCommit(after);
		return recorded;
	}

	private async progressInTx(tx: Transaction, ref: StepRef, progress: StepProgress, after: Aftermath): Promise<StepProgressEvent[] | null> {
		const events = await progress(tx);
		if (!events?.length) return events;
		const execution = await this.store.lockExecution(tx, ref.execution_id, this.opts.db.dialect);
		if (!execution || TERMINAL_EXECUTION.has(execution.status)) return events;
		const domain = events.map(e => this.event(execution, e.type, { step_id: ref.step_id, ...e.fields }));
		await this.commitEvents(tx, execution, domain, after, ref.step_id, progressOf(execution.finished_steps, execution.total_steps));
		return events;
	}

	/** Gives back what a step's calls held against the budget (its node lost the lease: those calls will never settle here). */
	private async releaseReservations(ref: StepRef): Promise<void> {
		await this.tx(async tx => {
			const state = await this.store.lockBudget(tx, ref);
			if (!state || (state.step_reserved.tokens === 0 && state.step_reserved.cost_usd === 0)) return;
			await this.store.setBudget(tx, ref, minus(state.reserved, state.step_reserved), { tokens: 0, cost_usd: 0 });
		});
	}

	// ---------------------------------------------------------------- recovery

	/** Keeps this node's leases alive; called well within the lease time. */
	async renewLeases(): Promise<void> {
		if (this.running.size === 0) return;
		await this.tx(tx => this.store.renewLeases(tx, this.opts.leaseOwner, this.now() + this.opts.leaseMs));
	}

	/**
	 * One sweep (on the elected node): recover attempts whose lease lapsed, fail those that
	 * lost too many, re-send ready steps nobody took, fire timers and approval timeouts.
	 */
	async sweep(dispatchGraceMs: number): Promise<{ recovered: number; redispatched: number; fired: number }> {
		const now = this.now();
		const after = emptyAftermath();
		const recovered = await this.tx(tx => this.store.recoverExpired(tx, now, this.opts.maxRecoveries, 500));
		if (recovered.length) {
			this.opts.onRecovered?.(recovered.length);
			this.opts.log.warn({ steps: recovered.map(r => `${r.execution_id}/${r.step_id}`).slice(0, 20), count: recovered.length }, "Recovered steps whose node stopped renewing its lease");
			this.opts.onLeasesLapsed?.([...new Set(recovered.map(r => r.lost_owner).filter((o): o is string => o !== null))]);
			for (const r of recovered) if (r.held_budget) await this.releaseReservations(r);
			after.dispatch.push(...recovered.map(r => ({ execution_id: r.execution_id, step_id: r.step_id })));
		}
		for (const lost of await this.store.exhaustedRecoveries(now, this.opts.maxRecoveries, 100)) {
			await this.releaseReservations(lost);
			await this.tx(tx =>
				this.failInTx(tx, lost, { leaseOwner: lost.lease_owner ?? "", attempt: lost.attempts }, { message: `Step ${lost.step_id} lost its node ${lost.recoveries + 1} times`, type: "node_lost", attempt: lost.attempts }, after)
			);
		}
		const stale = await this.store.readyBefore(now - dispatchGraceMs, 1000);
		after.dispatch.push(...stale);
		for (const wait of await this.store.settledSubWorkflows(100)) {
			await this.tx(async tx => {
				const child = await this.store.lockExecution(tx, wait.child_execution_id, this.opts.db.dialect);
				if (child && TERMINAL_EXECUTION.has(child.status)) await this.settleSubWorkflow(tx, wait, child, after);
			});
		}
		let fired = 0;
		for (const due of await this.store.dueWaits(now, 500)) {
			const ok = await this.fireDue(due, after);
			if (ok) fired++;
		}
		this.afterCommit(after);
		return { recovered: recovered.length, redispatched: stale.length, fired };
	}

	private async fireDue(due: StepRef & { waiting_for: "approval" | "timer" | "sub_workflow" }, after: Aftermath): Promise<boolean> {
		return this.tx(async tx => {
			const row = await this.store.stepRun(due, tx);
			if (!row || row.status !== "running" || row.waiting_for !== due.waiting_for || (row.due_at ?? Infinity) > this.now()) return false;
			if (due.waiting_for === "timer") {
				const waited = this.now() - (row.started_at ?? this.now());
				return this.finishInTx(tx, due, { waitingFor: "timer" }, { status: "completed", output: { waited_ms: waited } }, after, 0);
			}
			const error = { message: `Approval of step ${due.step_id} timed out`, type: "approval_timeout", attempt: row.attempts };
			return this.failInTx(tx, due, { waitingFor: "approval" }, error, after, {}, { decision: "timed_out", decided_by: null, comment: null });
		});
	}

	/** Stops taking work; waits for running attempts up to `timeoutMs`, then gives the rest back to the cluster. */
	async drain(timeoutMs: number): Promise<{ finished: number; released: number }> {
		this.draining = true;
		const requeue = this.queue.splice(0);
		this.queued.clear();
		this.origins.clear();
		if (requeue.length) this.opts.dispatch(requeue);
		const before = this.running.size;
		const until = this.now() + timeoutMs;
		while (this.running.size && this.now() < until) await new Promise(r => setTimeout(r, 20));
		const left = [...this.running.entries()];
		for (const [, slot] of left) slot.controller.abort(new Error("node draining"));
		let released = 0;
		if (left.length) {
			released = await this.tx(tx => this.store.releaseLeases(tx, left.map(([k]) => refOf(k)), this.opts.leaseOwner, this.now()));
			this.opts.dispatch(left.map(([k]) => refOf(k)));
		}
		for (const t of this.timers) clearTimeout(t);
		return { finished: before - left.length, released };
	}

	/** Aborts this node's running attempts of executions that were cancelled or failed elsewhere. */
	abortLocal(executionIds: string[]): void {
		const ids = new Set(executionIds);
		for (const slot of this.running.values()) if (ids.has(slot.executionId)) slot.controller.abort(new Error("execution ended"));
		for (const id of ids) this.cache.forget(id);
	}

	// ---------------------------------------------------------------- helpers

	/** The ApprovalDecided event that goes out with the transition an approval decision (or its timeout) causes. */
	private decidedEvents(execution: ExecutionRow, stepId: string, decided: ApprovalDecision | undefined): DomainEvent[] {
		return decided ? [this.event(execution, "ApprovalDecided", { step_id: stepId, ...decided })] : [];
	}

	private event(execution: ExecutionRow, type: string, fields: Record<string, unknown>): DomainEvent {
		return domainEvent(type, { type: "execution", id: execution.id }, {
			execution_id: execution.id,
			workflow_id: execution.workflow_id,
			workflow_version: execution.workflow_version,
			owner_id: execution.owner_id,
			...fields
		}, this.now());
	}

	/**
	 * Numbers the events in the execution's sequence, writes them to the outbox and the
	 * execution's changes in the same transaction, and queues the live update.
	 */
	private async commitEvents(
		tx: Transaction,
		execution: ExecutionRow,
		events: DomainEvent[],
		after: Aftermath,
		currentStep: string | null,
		progress: number,
		changes: Partial<ExecutionRow> = {},
		opts: {
			/** The execution row was just inserted with these events already counted in its event_seq. */
			inserted?: boolean;
			/** Steps to make ready (and claim here) in the same statement. */
			claim?: Parameters<EngineStore["advance"]>[2];
		} = {}
	): Promise<StepRunRow[]> {
		const first = opts.inserted ? execution.event_seq - events.length + 1 : execution.event_seq + 1;
		const numbered = events.map((e, i) => ({ ...e, seq: first + i }));
		const seqChanges = opts.inserted ? {} : { event_seq: execution.event_seq + events.length };
		let claimed: StepRunRow[] = [];
		if (opts.inserted) await appendToOutbox(tx, numbered);
		else if (opts.claim) claimed = await this.store.advance(tx, execution.id, opts.claim, { ...changes, ...seqChanges, updated_at: this.now() }, numbered);
		else await this.store.commitExecution(tx, execution.id, { ...changes, ...seqChanges, updated_at: this.now() }, numbered);
		const status = (changes.status ?? execution.status) as ExecutionRow["status"];
		after.updates.push({
			execution: {
				execution_id: execution.id,
				owner_id: execution.owner_id,
				workflow_id: execution.workflow_id,
				workflow_version: execution.workflow_version,
				status,
				progress,
				current_step: currentStep,
				parent_execution_id: execution.parent_execution_id
			},
			events: numbered
		});
		Object.assign(execution, changes, seqChanges);
		return claimed;
	}

	private afterCommit(after: Aftermath): void {
		for (const u of after.updates) this.opts.publish(u);
		if (after.abort.length) this.opts.abort(after.abort);
		if (after.dispatch.length) this.opts.dispatch(after.dispatch);
		for (const { ref, at } of after.retryAt) {
			const t = setTimeout(() => {
				this.timers.delete(t);
				if (this.draining) return;
				this.fireLocal(ref).catch(err => this.opts.log.warn({ err, ...ref }, "A local timer failed; the sweeper will catch it"));
			}, Math.max(0, at - this.now()));
			t.unref();
			this.timers.add(t);
		}
		for (const f of after.finished) this.opts.onStepFinished?.(f.type, f.status, f.durationMs);
		for (const e of after.executionsFinished) this.opts.onExecutionFinished?.(e.workflowId, e.status, e.durationMs);
	}

	/** A retry or timer that came due on this node: dispatch or fire it without waiting for the sweeper. */
	private async fireLocal(ref: StepRef): Promise<void> {
		const row = await this.store.stepRun(ref);
		if (!row) return;
		if (row.status === "pending" && row.ready_at !== null) this.opts.dispatch([ref]);
		else if (row.status === "running" && row.waiting_for === "timer") {
			const after = emptyAftermath();
			await this.fireDue({ ...ref, waiting_for: "timer" }, after);
			this.afterCommit(after);
		}
	}
}

const roundUsd = (usd: number): number => Math.round(usd * 1e9) / 1e9;
const plus = (a: Reservation, b: Reservation): Reservation => ({ tokens: a.tokens + b.tokens, cost_usd: roundUsd(a.cost_usd + b.cost_usd) });
const minus = (a: Reservation, b: Reservation): Reservation => ({ tokens: Math.max(0, a.tokens - b.tokens), cost_usd: Math.max(0, roundUsd(a.cost_usd - b.cost_usd)) });

function refOf(key: string): StepRef {
	const [execution_id, step_id] = key.split("\u0000");
	return { execution_id, step_id };
}

function sortedByPosition(plan: ExecutionPlan, ids: string[]): string[] {
	const order = new Map(plan.definition.steps.map((s, i) => [s.id, i]));
	return [...ids].sort((a, b) => order.get(a)! - order.get(b)!);
}

function approvalOutput(row: Pick<StepRunRow, "approval">): Record<string, unknown> {
	return {
		approved: row.approval?.decision === "approved",
		approved_by: row.approval?.by ?? null,
		approved_at: row.approval ? new Date(row.approval.at).toISOString() : null,
		comment: row.approval?.comment ?? null
	};
}

export type { StepDefinition };
