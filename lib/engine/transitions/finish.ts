import type { DomainEvent } from "../../events/outbox";
import { recordDurably } from "../record";
import { recordStepOutcome } from "../tracing";
import { emptyAftermath, type Aftermath, type ApprovalDecision, type EngineCore, type Transaction } from "../core";
import { boundedOutputs } from "../limits";
import { admit, progressOf, type ExecutionPlan } from "../plan";
import type { Fence } from "../store";
import { releaseFlow } from "./admission";
import { addUsage, TERMINAL_EXECUTION, type ExecutionError, type ExecutionRow, type StepRef, type StepRunRow, type Usage } from "../types";
import { failInTx } from "./fail";

/**
 * How a step ended well. `usage` is recorded on the step; `charge` is added to the
 * execution (a sub-workflow's usage). An LLM step's calls were charged when they answered.
 */
export interface StepEnd {
	status: "completed" | "skipped";
	output: unknown;
	usage?: Usage | null;
	charge?: Usage | null;
	approval?: unknown;
}

/**
 * An attempt ended well (completed or skipped): records it (durably: see ../record.ts) and
 * returns the successors claimed for this node (at most `localSlots`), which the caller runs next.
 */
export function finishStep(core: EngineCore, row: StepRunRow, fence: Fence, result: StepEnd, startedAt: number, localSlots: number): Promise<StepRunRow[]> {
	return recordDurably(core, async () => {
		const after = emptyAftermath();
		const done = await core.tx(tx => finishInTx(core, tx, row, fence, result, after, localSlots), undefined, after, row.execution_id);
		if (!done) return [];
		recordStepOutcome(result.status);
		after.finished.push({ type: row.type, status: result.status, durationMs: core.now() - startedAt });
		core.afterCommit(after);
		return after.runHere;
	});
}

/**
 * A step ended well: record it, release its dependents, make them ready within the
 * parallel limit (claiming up to `localSlots` of them for this node), and finish the
 * execution when it was the last step — and with it the parent step waiting on it.
 */
export async function finishInTx(
	core: EngineCore,
	tx: Transaction,
	row: StepRef,
	fence: Fence,
	result: StepEnd,
	after: Aftermath,
	localSlots: number,
	decided?: ApprovalDecision
): Promise<boolean> {
	const now = core.now();
	const plan = (await core.cache.context(row.execution_id)).plan;
	const dependents = sortedByPosition(plan, plan.dependents.get(row.step_id) ?? []);
	const done = await core.store.finishAndRelease(tx, row, fence, { status: result.status, output: result.output, usage: result.usage, approval: result.approval, error: null }, dependents, now);
	if (!done) {
		// A late result: another attempt owns the step now (this node lost its lease), or the step ended otherwise.
		if ("leaseOwner" in fence) core.log.warn({ execution_id: row.execution_id, step_id: row.step_id, attempt: fence.attempt }, "Discarded a late result: the step's lease is no longer this node's");
		return false;
	}
	const { finished, execution, unblocked } = done;
	if (!execution || TERMINAL_EXECUTION.has(execution.status)) return false;
	const active = execution.active_steps - 1;
	const capacity = execution.max_parallel - active;
	let candidates = sortedByPosition(plan, unblocked);
	if (execution.active_steps >= execution.max_parallel) {
		const held = await core.store.throttled(tx, execution.id, capacity);
		candidates = sortedByPosition(plan, [...new Set([...held, ...unblocked])]);
	}
	const admitted = admit(candidates, capacity, localSlots);
	// Read the clock again now that the execution is locked: a sibling that finished just before us has committed.
	const readyAt = core.now();

	const events: DomainEvent[] = [
		...core.decidedEvents(execution, row.step_id, decided),
		core.event(execution, result.status === "skipped" ? "StepExecutionSkipped" : "StepExecutionCompleted", {
			step_id: row.step_id,
			step_type: finished.type,
			attempt: finished.attempts,
			duration_ms: finished.started_at ? now - finished.started_at : null,
			output: result.status === "completed" ? result.output : null,
			usage: result.usage ?? null
		}),
		// Steps made ready here have never run: the claim gives them their first attempt.
		...admitted.local.map(id => core.event(execution, "StepExecutionStarted", { step_id: id, step_type: plan.steps.get(id)!.type, attempt: 1 }))
	];
	const changes: Partial<ExecutionRow> = {
		finished_steps: execution.finished_steps + 1,
		active_steps: active + admitted.ready.length,
		usage: result.charge ? addUsage(execution.usage, result.charge) : execution.usage
	};
	const output = result.status === "completed" ? result.output : null;
	core.cache.recordOutput(execution.id, row.step_id, output);
	after.outputs.push({ execution_id: execution.id, step_id: row.step_id, output });
	const completes = changes.finished_steps === execution.total_steps;
	let outputs: Record<string, unknown> | null = null;
	// Outputs past STEP_MAX_OUTPUT_BYTES are not written: the run fails instead, naming the limit.
	let refused: ExecutionError | null = null;
	if (completes) {
		const scope = await core.cache.scope(await core.cache.context(execution.id), plan.outputReads, tx);
		({ outputs, refused } = boundedOutputs(plan, scope, core.opts.maxOutputBytes));
		const status = refused ? "failed" : "completed";
		Object.assign(changes, { status, outputs, completed_at: now, ...(refused ? { error: refused } : {}) });
		events.push(
			refused
				? core.event(execution, "WorkflowExecutionFailed", { error: refused, failed_step_id: null, usage: changes.usage ?? null, parent_execution_id: execution.parent_execution_id })
				: core.event(execution, "WorkflowExecutionCompleted", { outputs, usage: changes.usage ?? null, duration_ms: now - (execution.started_at ?? now), parent_execution_id: execution.parent_execution_id })
		);
		after.executionsFinished.push({ executionId: execution.id, workflowId: execution.workflow_id, status, durationMs: now - (execution.started_at ?? now) });
	}
	const claim = { ready: admitted.ready, local: admitted.local, owner: core.opts.leaseOwner, leaseUntil: readyAt + core.opts.leaseMs, now: readyAt };
	const current = completes ? null : (admitted.local[0] ?? admitted.ready[0] ?? null);
	const local = await core.commitEvents(tx, execution, events, after, current, completes ? 100 : progressOf(changes.finished_steps!, execution.total_steps), changes, { claim });
	if (completes) await releaseFlow(core, tx, execution, after);
	if (refused && execution.parent_execution_id && execution.parent_step_id) {
		const parent = { execution_id: execution.parent_execution_id, step_id: execution.parent_step_id };
		const error = { message: `Sub-workflow ${execution.workflow_id} failed: ${refused.message}`, type: "sub_workflow_failed" };
		await failInTx(core, tx, parent, { waitingFor: "sub_workflow", childExecutionId: execution.id }, error, after, { usage: changes.usage ?? null, charge: changes.usage ?? null });
	} else if (completes && execution.parent_execution_id && execution.parent_step_id) {
		await finishInTx(
			core,
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

function sortedByPosition(plan: ExecutionPlan, ids: string[]): string[] {
	// The plan's positions: building them here cost a pass over every step of the workflow per finished step.
	return [...ids].sort((a, b) => plan.positions.get(a)! - plan.positions.get(b)!);
}
