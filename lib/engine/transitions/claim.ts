import { emptyAftermath, type EngineCore } from "../core";
import { progressOf } from "../plan";
import type { StepRunRow } from "../types";

/**
 * Takes ready steps of one execution for this node, in one transaction: each running,
 * leased to it, one attempt more, with its `StepExecutionStarted`. Returns the steps it
 * took (by position); a step another node took first (or no longer ready) is left out.
 * Steps that became ready together (a fan-out) are claimed together: one transaction,
 * one lock of the execution and one update of its row for all of them, not one each.
 */
export async function claimSteps(core: EngineCore, executionId: string, stepIds: readonly string[]): Promise<StepRunRow[]> {
	const after = emptyAftermath();
	const claimed = await core.tx(async tx => {
		const now = core.now();
		const { claimed: rows, execution } = await core.store.claimAndLock(tx, executionId, stepIds, core.opts.leaseOwner, now + core.opts.leaseMs, now);
		if (rows.length === 0 || !execution) return [];
		const events = rows.map(r => core.event(execution, "StepExecutionStarted", { step_id: r.step_id, step_type: r.type, attempt: r.attempts }));
		await core.commitEvents(tx, execution, events, after, rows[0].step_id, progressOf(execution.finished_steps, execution.total_steps));
		return rows;
	}, undefined, after, executionId);
	core.afterCommit(after);
	return claimed;
}
