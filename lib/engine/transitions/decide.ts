import { emptyAftermath, type EngineCore } from "../core";
import { progressOf } from "../plan";
import type { StepRef, StepRunRow } from "../types";
import { failInTx } from "./fail";
import { finishInTx } from "./finish";

/**
 * Approves or rejects a step waiting for approval. A rejection fails the step (except an
 * agent's tool call, which the agent hears of when it runs again); an approval completes
 * an `approval` step, or readies a gated step to run. False when no such wait exists.
 */
export async function decideApproval(core: EngineCore, ref: StepRef, decision: "approved" | "rejected", by: string, comment: string | null): Promise<boolean> {
	const after = emptyAftermath();
	const approval = { decision, by, at: core.now(), comment };
	const decided = { decision, decided_by: by, comment };
	const done = await core.tx(async tx => {
		const row = await core.store.stepRun(ref, tx);
		if (!row || row.status !== "running" || row.waiting_for !== "approval") return false;
		const execution = await core.store.execution(ref.execution_id, tx);
		if (!execution) return false;
		// A rejected tool call of an agent goes back to the agent (its model hears of it); any other rejection fails the step.
		const toolCall = row.type === "agent" && (await core.store.hasAgentJournal(ref, tx));
		if (decision === "rejected" && !toolCall) {
			const message = `Rejected by ${by}${comment ? `: ${comment}` : ""}`;
			return failInTx(core, tx, ref, { waitingFor: "approval" }, { message, type: "rejected", attempt: row.attempts }, after, {}, decided);
		}
		if (row.type === "approval") {
			return finishInTx(core, tx, ref, { waitingFor: "approval" }, { status: "completed", output: approvalOutput({ ...row, approval }), approval }, after, 0, decided);
		}
		const updated = await core.store.approveToRun(tx, ref, approval, core.now());
		if (!updated) return false;
		const locked = await core.lockExecution(tx, ref.execution_id);
		await core.commitEvents(tx, locked!, [core.event(locked!, "ApprovalDecided", { step_id: ref.step_id, ...decided })], after, ref.step_id, progressOf(locked!.finished_steps, locked!.total_steps));
		after.dispatch.push(ref);
		return true;
	}, undefined, after);
	core.afterCommit(after);
	return done;
}

/** An approval step's output: who decided, when, and what they said. */
export function approvalOutput(row: Pick<StepRunRow, "approval">): Record<string, unknown> {
	return {
		approved: row.approval?.decision === "approved",
		approved_by: row.approval?.by ?? null,
		approved_at: row.approval ? new Date(row.approval.at).toISOString() : null,
		comment: row.approval?.comment ?? null
	};
}
