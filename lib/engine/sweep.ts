import type { TransactionLimits } from "../db/database";
import { emptyAftermath, type Aftermath, type EngineCore } from "./core";
import { departedOwners } from "./presence";
import { admitDue } from "./transitions/admission";
import { releaseReservations } from "./transitions/budget";
import { failInTx } from "./transitions/fail";
import { fireDue, settleSubWorkflow } from "./transitions/wait";
import { TERMINAL_EXECUTION } from "./types";

/** Most rows one sweep takes of each kind: a backlog drains over several sweeps, none of them long. */
const RECOVER_BATCH = 500;
const EXHAUSTED_BATCH = 100;
const REDISPATCH_BATCH = 1000;
const SETTLE_BATCH = 100;
const DUE_BATCH = 500;

/**
 * The sweep's transactions wait at most this long for a lock (ms): a row held by a node
 * frozen inside a transaction is left for the next sweep (its session ends within the
 * engine's transaction timeout) instead of holding up the recovery of everything else.
 */
const SWEEP_LOCK_TIMEOUT_MS = 200;
const SWEEP_LIMITS: TransactionLimits = { lockTimeoutMs: SWEEP_LOCK_TIMEOUT_MS };

export interface SweepResult {
	recovered: number;
	redispatched: number;
	fired: number;
	skipped: number;
	/** Lease owners found gone (no presence lock) whose leases this sweep made lapse. */
	departed: number;
}

/**
 * One sweep (on the elected node): make the leases of nodes that are gone lapse now
 * (./presence.ts), recover attempts whose lease lapsed, fail those that lost too many,
 * re-send ready steps nobody took since `dispatchGraceMs` (all of them when a node is found
 * gone, as it may have been sent ready steps it never claimed, or with `redispatchAll`),
 * settle sub-workflow waits whose child ended, fire timers and the timeouts of approvals
 * and event waits, and start queued runs whose debounce or rate window passed or whose keys
 * have room (a safety net: a freed slot normally starts the next run in its transaction).
 * Each item is a transaction of its own: one that cannot be done now (a lock, an error) is
 * skipped and tried again by the next sweep, never stopping the others.
 */
export async function sweep(core: EngineCore, dispatchGraceMs: number, { redispatchAll = false } = {}): Promise<SweepResult> {
	const now = core.now();
	let skipped = 0;
	/** Runs one item with an aftermath of its own, acted on only if its transaction committed. */
	const item = async <T>(what: object, fn: (after: Aftermath) => Promise<T>): Promise<T | undefined> => {
		const after = emptyAftermath();
		try {
			const result = await fn(after);
			core.afterCommit(after);
			return result;
		} catch (err) {
			skipped++;
			core.log.warn({ err, ...what }, "The sweep skipped an item it could not do now; the next sweep tries again");
			return undefined;
		}
	};

	// A node that is gone lapses now: the recovery just below takes its steps in this same sweep.
	const departed =
		(await item({ sweep: "departed nodes" }, async () => {
			const owners = await departedOwners(core.opts.db, await core.store.runningLeaseOwners(now));
			// Just before now: recoverExpired takes the leases that lapsed before `now`.
			if (owners.length) await core.tx(tx => core.store.expireLeasesOf(tx, owners, now - 1, RECOVER_BATCH), SWEEP_LIMITS);
			return owners;
		})) ?? [];
	if (departed.length) core.log.warn({ lease_owners: departed }, "Nodes gone (their presence locks are free): their steps are recovered now, not when their leases lapse");

	// Candidates locked by another transaction are skipped (FOR UPDATE SKIP LOCKED): see EngineStore.recoverExpired.
	const recovered = (await item({ sweep: "recover" }, () => core.tx(tx => core.store.recoverExpired(tx, now, core.opts.maxRecoveries, RECOVER_BATCH), SWEEP_LIMITS))) ?? [];
	if (recovered.length) {
		core.opts.onRecovered?.(recovered.length);
		core.log.warn({ steps: recovered.map(r => `${r.execution_id}/${r.step_id}`).slice(0, 20), count: recovered.length }, "Recovered steps whose node stopped renewing its lease");
		core.opts.onLeasesLapsed?.([...new Set(recovered.map(r => r.lost_owner).filter((o): o is string => o !== null))]);
		for (const r of recovered) if (r.held_budget) await item({ execution_id: r.execution_id, step_id: r.step_id }, () => releaseReservations(core, r, SWEEP_LIMITS));
		core.opts.dispatch(recovered.map(r => ({ execution_id: r.execution_id, step_id: r.step_id })));
	}
	for (const lost of await core.store.exhaustedRecoveries(now, core.opts.maxRecoveries, EXHAUSTED_BATCH)) {
		await item({ execution_id: lost.execution_id, step_id: lost.step_id }, async after => {
			await releaseReservations(core, lost, SWEEP_LIMITS);
			await core.tx(
				tx =>
					failInTx(
						core,
						tx,
						lost,
						{ leaseOwner: lost.lease_owner ?? "", attempt: lost.attempts },
						{ message: `Step ${lost.step_id} lost its node ${lost.recoveries + 1} times`, type: "node_lost", attempt: lost.attempts },
						after
					),
				SWEEP_LIMITS, after
			);
		});
	}
	const justRecovered = new Set(recovered.map(r => `${r.execution_id}\u0000${r.step_id}`));
	const stale = (await core.store.readyBefore(redispatchAll || departed.length ? now : now - dispatchGraceMs, REDISPATCH_BATCH)).filter(
		r => !justRecovered.has(`${r.execution_id}\u0000${r.step_id}`)
	);
	if (stale.length) core.opts.dispatch(stale);
	for (const wait of await core.store.settledSubWorkflows(SETTLE_BATCH)) {
		await item({ execution_id: wait.execution_id, step_id: wait.step_id }, after =>
			core.tx(async tx => {
				const child = await core.lockExecution(tx, wait.child_execution_id);
				if (child && TERMINAL_EXECUTION.has(child.status)) await settleSubWorkflow(core, tx, wait, child, after);
			}, SWEEP_LIMITS, after)
		);
	}
	let fired = 0;
	for (const due of await core.store.dueWaits(now, DUE_BATCH)) {
		if (await item({ execution_id: due.execution_id, step_id: due.step_id }, after => fireDue(core, due, after, SWEEP_LIMITS))) fired++;
	}
	fired += (await item({ sweep: "admit queued runs" }, () => admitDue(core))) ?? 0;
	return { recovered: recovered.length, redispatched: stale.length, fired, skipped, departed: departed.length };
}
