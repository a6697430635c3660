import { emptyAftermath, type Aftermath, type EngineCore, type Transaction } from "../core";
import { progressOf } from "../plan";
import type { ExecutionRow, FlowKey } from "../types";

/**
 * Flow control, decided in the ledger: a run with keys (`concurrency`, `rate_limit`,
 * `debounce`; see ../flow.ts) starts only when every key has room, in the transaction that
 * starts it, under a lock per key that every node takes. Otherwise it waits as `queued`,
 * first by priority and then first come, and starts in the transaction that frees a slot
 * (`releaseFlow`), when a debounce's quiet period or a rate window passes (`admitDue`, run
 * by a local timer and by the sweeper), or when the sweeper finds room a transaction could
 * not use. A second kind of limit (say, running runs per user) is one more key.
 */
export type Admission =
	| { state: "run" }
	| { state: "queued"; reason: FlowKey["kind"]; dueAt: number | null }
	| { state: "debounced"; into: string; dueAt: number }
	| { state: "refused"; message: string };

/** Queued runs a freed key looks at in one transaction; the sweeper moves any further ones. */
const ADMIT_BATCH = 20;
/** Due debounces and keys with room one sweep handles. */
const DUE_BATCH = 200;

/** A new run: may it start now? Writes its flow rows (held, queued, or its debounce), or says which run its debounce joins. */
export async function admitNew(core: EngineCore, tx: Transaction, executionId: string, keys: readonly FlowKey[], priority: number, now: number, after: Aftermath): Promise<Admission> {
	await core.flow.lock(tx, keys.map(k => k.key));
	for (const k of keys) {
		if ((await core.flow.queuedOn(tx, k.key)) >= core.opts.flowMaxQueued) {
			return { state: "refused", message: `${core.opts.flowMaxQueued} runs already wait for this ${k.kind.replace("_", " ")} key` };
		}
	}
	const debounce = keys.find(k => k.kind === "debounce");
	if (debounce) {
		const dueAt = now + (debounce.period ?? 0);
		const holder = await core.flow.debouncing(tx, debounce.key);
		// A waiting run cancelled meanwhile no longer gathers the burst: this run starts a new one.
		if (holder && (await core.lockExecution(tx, holder))?.status === "queued") {
			await core.flow.setDue(tx, debounce.key, holder, dueAt);
			after.admitAt.push(dueAt);
			after.flowChanges.push("debounced");
			return { state: "debounced", into: holder, dueAt };
		}
		await core.flow.insert(tx, executionId, [debounce], "queued", priority, now, () => dueAt);
		after.admitAt.push(dueAt);
		after.flowChanges.push("debounce");
		return { state: "queued", reason: "debounce", dueAt };
	}
	return decide(core, tx, executionId, keys, priority, now, true, after);
}

/** A failed run retried: it takes its keys again (debounce aside), or waits for them. */
export async function admitAgain(core: EngineCore, tx: Transaction, execution: ExecutionRow, now: number, after: Aftermath): Promise<Admission> {
	const keys = (execution.flow ?? []).filter(k => k.kind !== "debounce");
	if (!keys.length) return { state: "run" };
	await core.flow.lock(tx, keys.map(k => k.key));
	return decide(core, tx, execution.id, keys, execution.priority, now, true, after);
}

/**
 * Whether a run may hold `keys` now: each has room, and (for a run just arriving) no run
 * queued on it comes first. Writes the run's rows as held or queued accordingly.
 */
async function decide(core: EngineCore, tx: Transaction, executionId: string, keys: readonly FlowKey[], priority: number, now: number, arriving: boolean, after: Aftermath): Promise<Admission> {
	let blocked: FlowKey | null = null;
	let dueAt: number | null = null;
	for (const k of keys) {
		const { count, oldest } = await core.flow.held(tx, k, now);
		const full = count >= k.limit;
		if (full || (arriving && (await core.flow.queuedAhead(tx, k.key, priority)))) {
			blocked ??= k;
			// A full rate window has room again when its oldest start leaves it.
			if (full && k.kind === "rate_limit" && oldest !== null) dueAt = Math.max(dueAt ?? 0, oldest + (k.period ?? 0) + 1);
		}
	}
	if (!blocked) {
		await core.flow.insert(tx, executionId, keys, "held", priority, now);
		return { state: "run" };
	}
	await core.flow.insert(tx, executionId, keys, "queued", priority, now, k => (k.kind === "rate_limit" ? dueAt : null));
	if (dueAt !== null) after.admitAt.push(dueAt);
	after.flowChanges.push(blocked.kind);
	return { state: "queued", reason: blocked.kind, dueAt };
}

/**
 * A run that ended (completed, failed, cancelled) gives back its slots, and the first runs
 * queued on them start in the same transaction.
 */
export async function releaseFlow(core: EngineCore, tx: Transaction, execution: ExecutionRow, after: Aftermath): Promise<void> {
	if (!execution.flow?.length) return;
	const freed = await core.flow.release(tx, execution.id);
	if (freed.length) await admitWaiting(core, tx, freed, after);
}

/** Starts runs queued on `keys`, in admission order, while the keys have room. */
async function admitWaiting(core: EngineCore, tx: Transaction, keys: readonly string[], after: Aftermath): Promise<number> {
	let admitted = 0;
	await core.flow.lock(tx, keys);
	for (const key of keys) {
		for (const next of await core.flow.queue(tx, key, ADMIT_BATCH)) {
			const outcome = await admitQueued(core, tx, next.execution_id, after);
			if (outcome.started) admitted++;
			// This key is full again: the rest of its queue waits (a run held back by another key lets the next one try).
			else if (outcome.full === key) break;
		}
	}
	return admitted;
}

/** A queued run's turn: it starts if every key it waits for has room; otherwise says which key is full. */
async function admitQueued(core: EngineCore, tx: Transaction, executionId: string, after: Aftermath): Promise<{ started: boolean; full?: string }> {
	const execution = await core.lockExecution(tx, executionId);
	if (!execution || execution.status !== "queued") return { started: false };
	const keys = (execution.flow ?? []).filter(k => k.kind !== "debounce");
	await core.flow.lock(tx, keys.map(k => k.key));
	const now = core.now();
	for (const k of keys) if ((await core.flow.held(tx, k, now)).count >= k.limit) return { started: false, full: k.key };
	await core.flow.hold(tx, execution.id, now);
	await startQueued(core, tx, execution, now, after);
	return { started: true };
}

/** The queued run starts: its ready steps (within its parallel limit) are made ready and dispatched. */
async function startQueued(core: EngineCore, tx: Transaction, execution: ExecutionRow, now: number, after: Aftermath): Promise<void> {
	const readied = await core.store.throttled(tx, execution.id, execution.max_parallel);
	await core.store.markReady(tx, execution.id, readied, now);
	const event = core.event(execution, "WorkflowExecutionStarted", {
		inputs: execution.inputs,
		trigger: execution.trigger,
		parent_execution_id: execution.parent_execution_id,
		started_by: null,
		client_ip: null,
		trigger_event_id: execution.event_id,
		queued_ms: now - execution.created_at
	});
	await core.commitEvents(tx, execution, [event], after, readied[0] ?? null, progressOf(execution.finished_steps, execution.total_steps), {
		status: "running",
		started_at: execution.started_at ?? now,
		active_steps: readied.length
	});
	after.dispatch.push(...readied.map(step_id => ({ execution_id: execution.id, step_id })));
	after.flowChanges.push("admitted");
}

/**
 * Debounces whose quiet period passed and keys with room for a queued run: the local timer
 * of the node that queued them and the sweeper (a safety net) both call this; the locks
 * and the runs' statuses make a second caller a no-op.
 */
export async function admitDue(core: EngineCore): Promise<number> {
	const after = emptyAftermath();
	let admitted = 0;
	const now = core.now();
	for (const due of await core.flow.dueDebounces(now, DUE_BATCH)) {
		admitted += await core.tx(async tx => {
			await core.flow.lock(tx, [due.key]);
			if (!(await core.flow.endDebounce(tx, due.key, due.execution_id))) return 0;
			const execution = await core.lockExecution(tx, due.execution_id);
			if (!execution || execution.status !== "queued") return 0;
			// Its quiet period is over: it takes its other keys now, or queues for them.
			const keys = (execution.flow ?? []).filter(k => k.kind !== "debounce");
			if (keys.length) {
				await core.flow.lock(tx, keys.map(k => k.key));
				if ((await decide(core, tx, execution.id, keys, execution.priority, core.now(), true, after)).state !== "run") return 0;
			}
			await startQueued(core, tx, execution, core.now(), after);
			return 1;
		}, undefined, after);
	}
	for (const key of await core.flow.keysWithRoom(now, DUE_BATCH)) {
		admitted += await core.tx(tx => admitWaiting(core, tx, [key], after), undefined, after);
	}
	await core.flow.pruneRateStarts(now);
	core.afterCommit(after);
	return admitted;
}
