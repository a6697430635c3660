import type { StepOutcome } from "../../steps";
import type { TransactionLimits } from "../../db/database";
import { emptyAftermath, type Aftermath, type EngineCore, type Transaction } from "../core";
import { progressOf } from "../plan";
import { recordDurably } from "../record";
import { recordStepOutcome } from "../tracing";
import { TERMINAL_EXECUTION, type ExecutionRow, type StepRef, type StepRunRow, type WaitingFor } from "../types";
import { failInTx } from "./fail";
import { finishInTx } from "./finish";
import { timeOutEventWait } from "./wait-for-event";

type LedgerWait = Extract<StepOutcome, { kind: "wait"; waitingFor: "approval" | "timer" | "sub_workflow" }>;

/** The attempt now waits for an approval, a timer or a sub-workflow, holding no worker (recorded durably: see ../record.ts). */
export function recordWait(core: EngineCore, row: StepRunRow, fence: { leaseOwner: string; attempt: number }, outcome: LedgerWait): Promise<void> {
	return recordDurably(core, () => recordWaitOnce(core, row, fence, outcome));
}

async function recordWaitOnce(core: EngineCore, row: StepRunRow, fence: { leaseOwner: string; attempt: number }, outcome: LedgerWait): Promise<void> {
	const after = emptyAftermath();
	recordStepOutcome("waiting");
	await core.tx(async tx => {
		// Lock the child first, as its own completion does: whichever commits second sees the other.
		const child = outcome.childExecutionId ? await core.lockExecution(tx, outcome.childExecutionId) : null;
		const waiting = await core.store.wait(tx, row, fence, outcome.waitingFor, outcome.dueAt, outcome.childExecutionId ?? null);
		if (!waiting) return;
		const execution = await core.lockExecution(tx, row.execution_id);
		if (!execution) return;
		const type = outcome.waitingFor === "approval" ? "ApprovalRequested" : outcome.waitingFor === "timer" ? "StepExecutionWaiting" : "SubWorkflowStarted";
		const event = core.event(execution, type, {
			step_id: row.step_id,
			waiting_for: outcome.waitingFor,
			due_at: outcome.dueAt ? new Date(outcome.dueAt).toISOString() : null,
			child_execution_id: outcome.childExecutionId ?? null
		});
		await core.commitEvents(tx, execution, [event], after, row.step_id, progressOf(execution.finished_steps, execution.total_steps));
		// The child may have finished before this wait was recorded: settle it now.
		if (child && TERMINAL_EXECUTION.has(child.status)) await settleSubWorkflow(core, tx, row, child, after);
	}, undefined, after);
	if (outcome.waitingFor === "timer" && outcome.dueAt) after.retryAt.push({ ref: row, at: outcome.dueAt });
	core.afterCommit(after);
}

/** A parent step waiting for a child that has ended: it completes with the child's outputs, or fails. */
export async function settleSubWorkflow(core: EngineCore, tx: Transaction, parent: StepRef, child: ExecutionRow, after: Aftermath): Promise<boolean> {
	const fence = { waitingFor: "sub_workflow" as const, childExecutionId: child.id };
	if (child.status === "completed") {
		return finishInTx(core, tx, parent, fence, { status: "completed", output: { execution_id: child.id, outputs: child.outputs }, usage: child.usage, charge: child.usage }, after, 0);
	}
	return failInTx(
		core,
		tx,
		parent,
		fence,
		{ message: `Sub-workflow ${child.workflow_id} ${child.status}${child.error ? `: ${child.error.message}` : ""}`, type: "sub_workflow_failed" },
		after,
		{ usage: child.usage, charge: child.usage }
	);
}

/** A timer or the timeout of an approval or an event wait that came due: the timer's step completes, the wait times out. False when nothing was due. */
export async function fireDue(core: EngineCore, due: StepRef & { waiting_for: WaitingFor }, after: Aftermath, limits?: TransactionLimits): Promise<boolean> {
	return core.tx(async tx => {
		const row = await core.store.stepRun(due, tx);
		if (!row || row.status !== "running" || row.waiting_for !== due.waiting_for || (row.due_at ?? Infinity) > core.now()) return false;
		if (due.waiting_for === "timer") {
			const waited = core.now() - (row.started_at ?? core.now());
			return finishInTx(core, tx, due, { waitingFor: "timer" }, { status: "completed", output: { waited_ms: waited } }, after, 0);
		}
		if (due.waiting_for === "event") return timeOutEventWait(core, tx, row, after);
		const error = { message: `Approval of step ${due.step_id} timed out`, type: "approval_timeout", attempt: row.attempts };
		return failInTx(core, tx, due, { waitingFor: "approval" }, error, after, {}, { decision: "timed_out", decided_by: null, comment: null });
	}, limits, after);
}
