import type { StepFailure } from "../../steps";
import { emptyAftermath, type Aftermath, type ApprovalDecision, type EngineCore, type Transaction } from "../core";
import { progressOf } from "../plan";
import { backoffDelay, jittered, type BackoffPolicy } from "../../backoff";
import { recordDurably } from "../record";
import type { Fence } from "../store";
import { recordStepOutcome } from "../tracing";
import { addAttemptUsage, addUsage, TERMINAL_EXECUTION, type ExecutionError, type StepError, type StepRef, type StepRunRow, type Usage } from "../types";
import { releaseFlow } from "./admission";
import { cancelChildren, cancelInTx } from "./cancel";

/** Step retries double their wait from the step's `retry_delay` and never wait more than 10 minutes. */
const STEP_RETRY: Omit<BackoffPolicy, "minDelay"> = { maxAttempts: Infinity, multiplier: 2, maxDelay: 10 * 60_000 };

/** Milliseconds before a step's attempt `nextAttempt` (2 for the first retry), spread over the upper half so many runs never retry at once. */
export function stepRetryDelay(retryDelayMs: number, nextAttempt: number, random: () => number): number {
	return jittered(backoffDelay({ ...STEP_RETRY, minDelay: retryDelayMs }, nextAttempt - 1)!, random);
}

/** A failed attempt (recorded durably: see ../record.ts): retried later while attempts remain (and the failure allows), else the step and its execution fail. */
export function failStep(core: EngineCore, row: StepRunRow, fence: { leaseOwner: string; attempt: number }, failure: StepFailure, startedAt: number): Promise<StepRunRow[]> {
	return recordDurably(core, () => failStepOnce(core, row, fence, failure, startedAt));
}

async function failStepOnce(core: EngineCore, row: StepRunRow, fence: { leaseOwner: string; attempt: number }, failure: StepFailure, startedAt: number): Promise<StepRunRow[]> {
	const after = emptyAftermath();
	const error: StepError = { message: failure.message, type: failure.type, attempt: row.attempts };
	const step = (await core.cache.context(row.execution_id)).plan.steps.get(row.step_id)!;
	const retry = !failure.final && row.attempts < row.max_attempts;
	// The step keeps what its failed attempts spent; the execution was charged when the call answered.
	const usage = addAttemptUsage(row.usage, failure.usage);
	await core.tx(async tx => {
		if (retry) {
			const delay = stepRetryDelay(step.retry_delay, row.attempts + 1, core.random);
			const at = core.now() + delay;
			const updated = await core.store.scheduleRetry(tx, row, fence, error, at, usage);
			if (!updated) return;
			const execution = await core.lockExecution(tx, row.execution_id);
			if (!execution) return;
			const event = core.event(execution, "StepExecutionRetried", {
				step_id: row.step_id,
				attempt: row.attempts,
				error,
				usage: failure.usage,
				next_attempt_at: new Date(at).toISOString()
			});
			await core.commitEvents(tx, execution, [event], after, row.step_id, progressOf(execution.finished_steps, execution.total_steps));
			after.retryAt.push({ ref: row, at });
		} else {
			await failInTx(core, tx, row, fence, error, after, { usage });
		}
	}, undefined, after);
	after.finished.push({ type: row.type, status: retry ? "retried" : "failed", durationMs: core.now() - startedAt });
	recordStepOutcome(retry ? "retrying" : "failed", { type: failure.type, message: failure.message });
	core.afterCommit(after);
	return [];
}

/**
 * The step failed for good: so does its execution; unfinished steps are cancelled and running ones aborted,
 * and a parent step waiting on this execution fails with it.
 * `spent.usage` is recorded on the step (kept as it was when absent); `spent.charge` is added to the execution.
 */
export async function failInTx(
	core: EngineCore,
	tx: Transaction,
	ref: StepRef,
	fence: Fence,
	error: StepError,
	after: Aftermath,
	spent: { usage?: Usage | null; charge?: Usage | null } = {},
	decided?: ApprovalDecision
): Promise<boolean> {
	const now = core.now();
	const failed = await core.store.finish(tx, ref, fence, { status: "failed", output: null, error, usage: spent.usage ?? null }, now);
	if (!failed) return false;
	const execution = await core.lockExecution(tx, ref.execution_id);
	if (!execution || TERMINAL_EXECUTION.has(execution.status)) return false;
	const cancelled = await core.store.cancelUnfinished(tx, execution.id, now);
	const execError: ExecutionError = { message: `Step ${ref.step_id} failed: ${error.message}`, type: error.type, step_id: ref.step_id };
	const usage = spent.charge ? addUsage(execution.usage, spent.charge) : execution.usage;
	const events = [
		...core.decidedEvents(execution, ref.step_id, decided),
		core.event(execution, "StepExecutionFailed", { step_id: ref.step_id, step_type: failed.type, attempt: failed.attempts, error, usage: failed.usage }),
		core.event(execution, "WorkflowExecutionFailed", { error: execError, failed_step_id: ref.step_id, usage, parent_execution_id: execution.parent_execution_id })
	];
	await core.commitEvents(tx, execution, events, after, ref.step_id, progressOf(execution.finished_steps, execution.total_steps), {
		status: "failed",
		error: execError,
		completed_at: now,
		active_steps: 0,
		...(spent.charge ? { usage } : {})
	});
	after.abort.push(execution.id);
	after.executionsFinished.push({ executionId: execution.id, workflowId: execution.workflow_id, status: "failed", durationMs: now - (execution.started_at ?? now) });
	await releaseFlow(core, tx, execution, after);
	for (const c of cancelled) if (c.child_execution_id) await cancelInTx(core, tx, c.child_execution_id, "parent failed", after);
	await cancelChildren(core, tx, execution.id, "parent failed", after);
	if (execution.parent_execution_id && execution.parent_step_id) {
		await failInTx(
			core,
			tx,
			{ execution_id: execution.parent_execution_id, step_id: execution.parent_step_id },
			{ waitingFor: "sub_workflow", childExecutionId: execution.id },
			{ message: `Sub-workflow ${execution.workflow_id} failed: ${execError.message}`, type: "sub_workflow_failed" },
			after,
			{ usage, charge: usage }
		);
	}
	return true;
}
