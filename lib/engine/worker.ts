import { MAX_TIMER_MS } from "../duration";
import { runAttempt } from "./attempt";
import { emptyAftermath, type EngineCore } from "./core";
import { releaseAttempt, renewAttemptLeases } from "./leases";
import { inStepSpan, originHere, runFrom, type Origin } from "./tracing";
import { admitDue } from "./transitions/admission";
import { claimSteps } from "./transitions/claim";
import { fireDue } from "./transitions/wait";
import type { StepRef, StepRunRow } from "./types";

/** How often a draining node looks whether its running attempts have finished (ms). */
const DRAIN_POLL_MS = 20;
/** Most ready steps of one execution claimed in one transaction (bounds the statement, and how long the first of them waits). */
const MAX_CLAIM_BATCH = 100;

/** A slot of this node's worker: the attempt it runs (0 until claimed) and how to abort it. */
interface Slot {
	controller: AbortController;
	executionId: string;
	attempt: number;
}

/** A ready step waiting for a slot, with the trace context it arrived in. */
interface Queued {
	ref: StepRef;
	origin: Origin;
}

const keyOf = (ref: StepRef): string => `${ref.execution_id}\u0000${ref.step_id}`;

function refOf(key: string): StepRef {
	const [execution_id, step_id] = key.split("\u0000");
	return { execution_id, step_id };
}

/**
 * This node's share of the work: a queue of ready steps that arrived here, at most
 * `concurrency` attempts running at once, local timers for retries and waits that come
 * due, lease renewal for what runs here, and draining on shutdown.
 */
export class StepWorker {
	private readonly queue: StepRef[] = [];
	private readonly queued = new Set<string>();
	/** With tracing on, the trace context each queued step arrived in (see ./tracing.ts). */
	private readonly origins = new Map<string, Origin>();
	private readonly running = new Map<string, Slot>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private draining = false;
	/** A pump is due once the messages being handled now are (see `enqueue`). */
	private pumpScheduled = false;

	constructor(private readonly core: EngineCore) {
		core.scheduleLocal = (ref, at) => this.scheduleLocal(ref, at);
		core.scheduleAdmission = at => this.scheduleAdmission(at);
		core.freeSlots = () => (this.draining ? 0 : Math.max(0, this.core.opts.concurrency - this.running.size));
		core.runLocal = rows => this.adopt(rows, originHere());
	}

	get runningCount(): number {
		return this.running.size;
	}

	get queueDepth(): number {
		return this.queue.length;
	}

	/**
	 * Ready steps arrived (a message, the sweeper, a timer): run them when a slot is free.
	 * The queue is taken once the messages that arrived with these have been handled too
	 * (a fan-out's steps arrive as one message each), so they are claimed together.
	 */
	enqueue(refs: StepRef[]): void {
		if (this.draining) return;
		const origin = originHere();
		for (const ref of refs) {
			const k = keyOf(ref);
			if (this.queued.has(k) || this.running.has(k)) continue;
			this.queued.add(k);
			this.queue.push(ref);
			if (origin) this.origins.set(k, origin);
		}
		if (this.pumpScheduled || this.queue.length === 0) return;
		this.pumpScheduled = true;
		setImmediate(() => {
			this.pumpScheduled = false;
			this.pump();
		});
	}

	/** Takes queued steps into free slots, and claims them: those of one execution together, up to MAX_CLAIM_BATCH in a transaction. */
	private pump(): void {
		const batches = new Map<string, Queued[]>();
		while (!this.draining && this.queue.length && this.running.size < this.core.opts.concurrency) {
			const ref = this.queue.shift()!;
			const k = keyOf(ref);
			this.queued.delete(k);
			const origin = this.origins.get(k);
			this.origins.delete(k);
			// Reserve the slot before the claim's transaction, so the pump never overbooks.
			this.running.set(k, { controller: new AbortController(), executionId: ref.execution_id, attempt: 0 });
			const batch = batches.get(ref.execution_id) ?? [];
			batches.set(ref.execution_id, batch);
			batch.push({ ref, origin });
			if (batch.length === MAX_CLAIM_BATCH) {
				batches.delete(ref.execution_id);
				this.claimAndRun(batch);
			}
		}
		for (const batch of batches.values()) this.claimAndRun(batch);
	}

	/** Claims a batch of one execution's steps, then runs each claimed one in its slot; the others' slots are freed. */
	private claimAndRun(batch: Queued[]): void {
		const executionId = batch[0].ref.execution_id;
		// In the context the first step arrived in, not whichever one called the pump (another execution's).
		void runFrom(batch[0].origin, async () => {
			let claimed: StepRunRow[] = [];
			try {
				claimed = await claimSteps(this.core, executionId, batch.map(q => q.ref.step_id));
			} catch (err) {
				this.core.log.error({ err, execution_id: executionId, step_ids: batch.map(q => q.ref.step_id) }, "Claiming steps failed");
			}
			const rows = new Map(claimed.map(row => [row.step_id, row]));
			for (const { ref, origin } of batch) {
				const k = keyOf(ref);
				const row = rows.get(ref.step_id);
				if (!row) {
					if (this.running.get(k)?.attempt === 0) this.running.delete(k);
					continue;
				}
				// Each step in the context it arrived in.
				void runFrom(origin, () => this.runClaimed(row, origin)).finally(() => {
					if (this.running.get(k)?.attempt === 0) this.running.delete(k);
					this.pump();
				});
			}
			if (rows.size < batch.length) this.pump();
		});
	}

	/**
	 * Steps claimed for this node by a transition outside the pump (a run's start, a finish's
	 * further successors): each runs at once in a slot of its own, in the trace context `origin`.
	 */
	private adopt(rows: StepRunRow[], origin: Origin): void {
		for (const row of rows) {
			this.running.set(keyOf(row), { controller: new AbortController(), executionId: row.execution_id, attempt: row.attempts });
			void runFrom(origin, () => this.runClaimed(row, origin)).finally(() => this.pump());
		}
	}

	/** Successors this node can take when an attempt finishes: its free slots, plus the one the attempt frees. */
	private localSlots(): number {
		return this.draining ? 0 : Math.max(0, this.core.opts.concurrency - this.running.size + 1);
	}

	/**
	 * Runs one claimed attempt in the slot it holds, each in its span (./tracing.ts), then
	 * (if successors were taken here) runs them in turn.
	 */
	private async runClaimed(first: StepRunRow, origin: Origin): Promise<void> {
		const next: { row: StepRunRow; origin: Origin }[] = [{ row: first, origin }];
		while (next.length) {
			const { row, origin: from } = next.shift()!;
			const k = keyOf(row);
			const slot = this.running.get(k) ?? { controller: new AbortController(), executionId: row.execution_id, attempt: row.attempts };
			slot.attempt = row.attempts;
			this.running.set(k, slot);
			let continuation: StepRunRow[] = [];
			let here: Origin;
			try {
				const context = await this.core.cache.context(row.execution_id);
				continuation = await inStepSpan(row, context.execution, from, span => {
					here = span;
					return runAttempt(this.core, row, context, slot.controller, () => this.localSlots());
				});
			} catch (err) {
				await this.giveBack(row, err);
			} finally {
				// No longer renewed: if the attempt was not given back, its lease lapses.
				this.running.delete(k);
			}
			// The first successor continues in this slot; others got their own slots when claimed.
			if (continuation.length) {
				next.push({ row: continuation[0], origin: here });
				this.adopt(continuation.slice(1), here);
			}
		}
	}

	/**
	 * An attempt whose result could not be recorded (the database stayed away past the retry
	 * window, or refused the transition): given back at once, so another node runs the step
	 * now; when even that fails, it is simply no longer renewed and its lease lapses.
	 */
	private async giveBack(row: StepRunRow, err: unknown): Promise<void> {
		const ref = { execution_id: row.execution_id, step_id: row.step_id };
		const { leaseOwner, maxRecoveries } = this.core.opts;
		try {
			const released = await this.core.tx(tx => releaseAttempt(tx, leaseOwner, { ...ref, attempt: row.attempts }, this.core.now(), maxRecoveries));
			if (released) {
				this.core.log.error({ err, ...ref, attempt: row.attempts }, "Recording a step's result failed; the attempt was given back and the step runs again");
				this.core.opts.dispatch([ref]);
				return;
			}
		} catch {
			// The database is still away: the lease lapses instead.
		}
		this.core.log.error({ err, ...ref, attempt: row.attempts }, "Recording a step's result failed; its lease will lapse and it will run again");
	}

	/**
	 * Keeps alive the leases of the attempts this node runs, and only those (./leases.ts);
	 * called well within the lease time. One statement, whatever the number of slots.
	 */
	async renewLeases(): Promise<void> {
		const held = [...this.running.entries()].filter(([, slot]) => slot.attempt > 0).map(([k, slot]) => ({ ...refOf(k), attempt: slot.attempt }));
		if (held.length === 0) return;
		const { db, leaseOwner, leaseMs } = this.core.opts;
		await this.core.tx(tx => renewAttemptLeases(tx, db.dialect, leaseOwner, held, this.core.now() + leaseMs));
	}

	/** Stops taking work; waits for running attempts up to `timeoutMs`, then gives the rest back to the cluster. */
	async drain(timeoutMs: number): Promise<{ finished: number; released: number }> {
		this.draining = true;
		const requeue = this.queue.splice(0);
		this.queued.clear();
		this.origins.clear();
		if (requeue.length) this.core.opts.dispatch(requeue);
		const before = this.running.size;
		const until = this.core.now() + timeoutMs;
		while (this.running.size && this.core.now() < until) await new Promise(r => setTimeout(r, DRAIN_POLL_MS));
		const left = [...this.running.entries()];
		for (const [, slot] of left) slot.controller.abort(new Error("node draining"));
		let released = 0;
		if (left.length) {
			released = await this.core.tx(tx => this.core.store.releaseLeases(tx, left.map(([k]) => refOf(k)), this.core.opts.leaseOwner, this.core.now()));
			this.core.opts.dispatch(left.map(([k]) => refOf(k)));
		}
		for (const t of this.timers) clearTimeout(t);
		return { finished: before - left.length, released };
	}

	/** Aborts this node's running attempts of executions that were cancelled or failed elsewhere. */
	abortLocal(executionIds: string[]): void {
		const ids = new Set(executionIds);
		for (const slot of this.running.values()) if (ids.has(slot.executionId)) slot.controller.abort(new Error("execution ended"));
		for (const id of ids) this.core.cache.forget(id);
	}

	/** A retry or a timer that comes due on this node: fired here without waiting for the sweeper. */
	private scheduleLocal(ref: StepRef, at: number): void {
		// Further off than a timer can wait: the sweeper fires it from its due time in the ledger.
		if (at - this.core.now() > MAX_TIMER_MS) return;
		const t = setTimeout(
			() => {
				this.timers.delete(t);
				if (this.draining) return;
				this.fireLocal(ref).catch(err => this.core.log.warn({ err, ...ref }, "A local timer failed; the sweeper will catch it"));
			},
			Math.max(0, at - this.core.now())
		);
		t.unref();
		this.timers.add(t);
	}

	/** A retry or timer that came due on this node: dispatch or fire it without waiting for the sweeper. */
	private async fireLocal(ref: StepRef): Promise<void> {
		const row = await this.core.store.stepRun(ref);
		if (!row) return;
		if (row.status === "pending" && row.ready_at !== null) this.core.opts.dispatch([ref]);
		else if (row.status === "running" && (row.waiting_for === "timer" || row.waiting_for === "event")) {
			const after = emptyAftermath();
			await fireDue(this.core, { ...ref, waiting_for: row.waiting_for }, after);
			this.core.afterCommit(after);
		}
	}

	/** A flow-control due time (a debounce's quiet period, a rate window) on this node: admit what is due without waiting for the sweeper. */
	private scheduleAdmission(at: number): void {
		const t = setTimeout(
			() => {
				this.timers.delete(t);
				if (this.draining) return;
				admitDue(this.core).catch(err => this.core.log.warn({ err }, "Admitting queued runs failed; the sweeper will catch them"));
			},
			Math.max(0, at - this.core.now())
		);
		t.unref();
		this.timers.add(t);
	}
}
