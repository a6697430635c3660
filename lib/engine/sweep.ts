import { emptyAftermath, type EngineCore } from "./core";
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
 * One sweep (on the elected node): recover attempts whose lease lapsed, fail those that
 * lost too many, re-send ready steps nobody took since `dispatchGraceMs`, settle
 * sub-workflow waits whose child ended, fire timers and approval timeouts.
 */
export async function sweep(core: EngineCore, dispatchGraceMs: number): Promise<{ recovered: number; redispatched: number; fired: number }> {
	const now = core.now();
	const after = emptyAftermath();
	const recovered = await core.tx(tx => core.store.recoverExpired(tx, now, core.opts.maxRecoveries, RECOVER_BATCH));
	if (recovered.length) {
		core.opts.onRecovered?.(recovered.length);
		core.log.warn({ steps: recovered.map(r => `${r.execution_id}/${r.step_id}`).slice(0, 20), count: recovered.length }, "Recovered steps whose node stopped renewing its lease");
		core.opts.onLeasesLapsed?.([...new Set(recovered.map(r => r.lost_owner).filter((o): o is string => o !== null))]);
		for (const r of recovered) if (r.held_budget) await releaseReservations(core, r);
		after.dispatch.push(...recovered.map(r => ({ execution_id: r.execution_id, step_id: r.step_id })));
	}
	for (const lost of await core.store.exhaustedRecoveries(now, core.opts.maxRecoveries, EXHAUSTED_BATCH)) {
		await releaseReservations(core, lost);
		await core.tx(tx =>
			failInTx(
				core,
				tx,
				lost,
				{ leaseOwner: lost.lease_owner ?? "", attempt: lost.attempts },
				{ message: `Step ${lost.step_id} lost its node ${lost.recoveries + 1} times`, type: "node_lost", attempt: lost.attempts },
				after
			)
		);
	}
	const stale = await core.store.readyBefore(now - dispatchGraceMs, REDISPATCH_BATCH);
	after.dispatch.push(...stale);
	for (const wait of await core.store.settledSubWorkflows(SETTLE_BATCH)) {
		await core.tx(async tx => {
			const child = await core.lockExecution(tx, wait.child_execution_id);
			if (child && TERMINAL_EXECUTION.has(child.status)) await settleSubWorkflow(core, tx, wait, child, after);
		});
	}
	let fired = 0;
	for (const due of await core.store.dueWaits(now, DUE_BATCH)) {
		if (await fireDue(core, due, after)) fired++;
	}
	core.afterCommit(after);
	return { recovered: recovered.length, redispatched: stale.length, fired };
}
