import { emptyAftermath, type EngineCore } from "../core";
import { progressOf } from "../plan";
import type { StepRef, StepRunRow } from "../types";

/**
 * Takes a ready step for this node: running, leased to it, one attempt more, with
 * `StepExecutionStarted`. Returns nothing when another node took it first (or it is no
 * longer ready).
 */
export async function claimStep(core: EngineCore, ref: StepRef): Promise<StepRunRow[]> {
	const after = emptyAftermath();
	const claimed = await core.tx(async tx => {
		const now = core.now();
		const { claimed: rows, execution } = await core.store.claimAndLock(tx, ref.execution_id, [ref.step_id], core.opts.leaseOwner, now + core.opts.leaseMs, now);
		if (rows.length === 0 || !execution) return [];
		const events = rows.map(r => core.event(execution, "StepExecutionStarted", { step_id: r.step_id, step_type: r.type, attempt: r.attempts }));
		await core.commitEvents(tx, execution, events, after, rows[0].step_id, progressOf(execution.finished_steps, execution.total_steps));
		return rows;
	}, undefined, after, ref.execution_id);
	core.afterCommit(after);
	return claimed;
}
