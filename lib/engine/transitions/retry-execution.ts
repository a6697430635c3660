import { emptyAftermath, type EngineCore } from "../core";
import { admit, progressOf, readySteps, unsatisfiedDependencies } from "../plan";
import type { ExecutionRow } from "../types";
import { admitAgain } from "./admission";

/** Runs a failed (or cancelled) execution again from the steps that did not finish. Null when it is not failed or cancelled. */
export async function retryExecution(core: EngineCore, executionId: string): Promise<ExecutionRow | null> {
	const after = emptyAftermath();
	const done = await core.tx(async tx => {
		const execution = await core.lockExecution(tx, executionId);
		if (!execution || (execution.status !== "failed" && execution.status !== "cancelled")) return false;
		const plan = (await core.cache.context(executionId)).plan;
		const rows = await core.store.stepRuns(executionId, tx);
		// Unfinished steps start over as pending; what they wait on is recomputed from the finished ones.
		const status = new Map(rows.map(r => [r.step_id, r.status === "completed" || r.status === "skipped" ? r.status : ("pending" as const)]));
		const finished = new Set(rows.filter(r => status.get(r.step_id) !== "pending").map(r => r.step_id));
		const reset = rows.filter(r => !finished.has(r.step_id)).map(r => ({ step_id: r.step_id, pending_deps: unsatisfiedDependencies(plan, r.step_id, status) }));
		const now = core.now();
		// A run with flow control takes its keys again, or waits for them (queued) with no step ready.
		const admission = execution.flow?.length ? await admitAgain(core, tx, execution, now, after) : ({ state: "run" } as const);
		const queued = admission.state === "queued";
		// Steps beyond the parallel limit stay held (not ready) like any throttled step.
		const readied = queued ? [] : admit(readySteps(plan, status), execution.max_parallel, 0).ready;
		await core.store.resetForRetry(tx, executionId, reset, new Set(readied), now);
		await core.commitEvents(
			tx,
			execution,
			[
				core.event(execution, "WorkflowExecutionRetried", { steps: reset.map(r => r.step_id) }),
				...(admission.state === "queued" ? [core.event(execution, "RunQueued", { reason: admission.reason, priority: execution.priority, due_at: admission.dueAt ? new Date(admission.dueAt).toISOString() : null })] : [])
			],
			after,
			readied[0] ?? null,
			progressOf(finished.size, execution.total_steps),
			{
				status: queued ? "queued" : "running",
				error: null,
				completed_at: null,
				outputs: null,
				finished_steps: finished.size,
				active_steps: readied.length
			}
		);
		after.dispatch.push(...readied.map(step_id => ({ execution_id: executionId, step_id })));
		return true;
	}, undefined, after);
	core.afterCommit(after);
	return done ? core.store.execution(executionId) : null;
}
