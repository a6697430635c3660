import { emptyAftermath, type Aftermath, type EngineCore, type Transaction } from "../core";
import { progressOf } from "../plan";
import { TERMINAL_EXECUTION, type ExecutionRow } from "../types";
import { releaseFlow } from "./admission";

/** Cancels an unfinished execution (and its running children). Null when it had already ended. */
export async function cancelExecution(core: EngineCore, executionId: string, reason: string, by: string | null = null): Promise<ExecutionRow | null> {
	const after = emptyAftermath();
	const done = await core.tx(tx => cancelInTx(core, tx, executionId, reason, after, by), undefined, after);
	core.afterCommit(after);
	return done ? core.store.execution(executionId) : null;
}

/** Ends every unfinished step, the execution as `cancelled`, and then each child execution a step was waiting on. */
export async function cancelInTx(core: EngineCore, tx: Transaction, executionId: string, reason: string, after: Aftermath, by: string | null = null): Promise<boolean> {
	const cancelled = await core.store.cancelUnfinished(tx, executionId, core.now());
	const execution = await core.lockExecution(tx, executionId);
	if (!execution || TERMINAL_EXECUTION.has(execution.status)) return false;
	const now = core.now();
	const event = core.event(execution, "WorkflowExecutionCancelled", { reason, cancelled_steps: cancelled.map(c => c.step_id), cancelled_by: by });
	await core.commitEvents(tx, execution, [event], after, null, progressOf(execution.finished_steps, execution.total_steps), {
		status: "cancelled",
		completed_at: now,
		active_steps: 0
	});
	after.abort.push(executionId);
	after.executionsFinished.push({ executionId: execution.id, workflowId: execution.workflow_id, status: "cancelled", durationMs: now - (execution.started_at ?? now) });
	await releaseFlow(core, tx, execution, after);
	for (const c of cancelled) if (c.child_execution_id) await cancelInTx(core, tx, c.child_execution_id, "parent cancelled", after);
	await cancelChildren(core, tx, executionId, "parent cancelled", after);
	return true;
}

/** Cancels the children no step row names (an agent's workflow tools): they end with their parent even when the agent's node is gone. */
export async function cancelChildren(core: EngineCore, tx: Transaction, parentId: string, reason: string, after: Aftermath): Promise<void> {
	for (const child of await core.store.unfinishedChildren(tx, parentId)) await cancelInTx(core, tx, child, reason, after);
}
