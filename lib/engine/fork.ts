import type { StepRunRow } from "./types";
import { stepAndDependents, type ExecutionPlan, type ReusedStep } from "./plan";

/**
 * Forking a run from a step (replay): the new run keeps the outputs of every step that does
 * not depend on `fromStep` and finished in the forked run (completed or skipped), and runs
 * `fromStep`, its dependents, and whatever else did not finish. Steps are matched by id, so a
 * fork onto another version keeps the steps the two versions share.
 */
export function reusedSteps(target: ExecutionPlan, forked: readonly StepRunRow[], fromStep: string): Map<string, ReusedStep> {
	const rerun = stepAndDependents(target, fromStep);
	const reused = new Map<string, ReusedStep>();
	for (const row of forked) {
		if (rerun.has(row.step_id) || !target.steps.has(row.step_id)) continue;
		if (row.status !== "completed" && row.status !== "skipped") continue;
		reused.set(row.step_id, { status: row.status, output: row.output, usage: row.usage, started_at: row.started_at, completed_at: row.completed_at });
	}
	// A kept step whose own dependency runs again would be stale: it runs again too.
	let changed = true;
	while (changed) {
		changed = false;
		for (const id of [...reused.keys()]) {
			if (target.steps.get(id)!.depends_on.some(d => !reused.has(d))) {
				reused.delete(id);
				changed = true;
			}
		}
	}
	return reused;
}

/** What bulk operations select runs by; every field narrows, and an owner is forced on non-admins. */
export interface RunFilter {
	ownerId?: string;
	workflowId?: string;
	workflowVersion?: string;
	status?: string;
	/** Created at or after (ms). */
	createdAfter?: number;
	/** Created before (ms). */
	createdBefore?: number;
}
