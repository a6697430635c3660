import { randomUUID } from "node:crypto";
import type { WorkflowDefinition } from "../../dsl";
import { emptyAftermath, isUniqueViolation, type EngineCore } from "../core";
import { initialStepRows, planOf } from "../plan";
import type { ExecutionRow } from "../types";

export interface StartRequest {
	ownerId: string;
	workflowRef: string;
	workflowId: string;
	workflowVersion: string;
	definition: WorkflowDefinition;
	inputs: Record<string, unknown>;
	idempotencyKey?: string | null;
	trigger: "api" | "schedule" | "sub_workflow";
	parent?: { execution_id: string; step_id: string } | null;
	budget?: ExecutionRow["budget"];
	maxParallel?: number;
	/** Who asked for the run and from where (for the audit log); none for schedules and sub-workflows. */
	startedBy?: string | null;
	/** The W3C traceparent of the span starting the run: every step attempt's span is its child. */
	traceparent?: string | null;
	clientIp?: string | null;
}

/**
 * A new execution: its row, a row per step, and `WorkflowExecutionStarted`, in one
 * transaction; the steps with no dependencies are dispatched once it commits. With an
 * idempotency key the owner has used before, the earlier execution is returned instead.
 */
export async function startExecution(core: EngineCore, req: StartRequest): Promise<{ execution: ExecutionRow; created: boolean }> {
	const plan = planOf(req.definition);
	const now = core.now();
	const id = randomUUID();
	const maxParallel = req.maxParallel ?? core.opts.defaultMaxParallel;
	const after = emptyAftermath();
	let result: { execution: ExecutionRow; created: boolean };
	try {
		result = await core.tx(async tx => {
			if (req.idempotencyKey) {
				const existing = await core.store.executionByIdempotencyKey(req.ownerId, req.idempotencyKey, tx);
				if (existing) return { execution: existing, created: false };
			}
			const steps = initialStepRows(plan, id, now, maxParallel);
			const ready = steps.filter(s => s.ready_at !== null);
			const execution: ExecutionRow = {
				id,
				owner_id: req.ownerId,
				workflow_ref: req.workflowRef,
				workflow_id: req.workflowId,
				workflow_version: req.workflowVersion,
				status: "running",
				trigger: req.trigger,
				inputs: req.inputs,
				outputs: null,
				error: null,
				total_steps: steps.length,
				finished_steps: 0,
				active_steps: ready.length,
				max_parallel: maxParallel,
				event_seq: 1,
				idempotency_key: req.idempotencyKey ?? null,
				parent_execution_id: req.parent?.execution_id ?? null,
				parent_step_id: req.parent?.step_id ?? null,
				usage: null,
				budget: req.budget ?? null,
				traceparent: req.traceparent ?? null,
				created_at: now,
				started_at: now,
				completed_at: null,
				updated_at: now
			};
			await core.store.insertExecution(tx, execution);
			await core.store.insertStepRuns(tx, steps);
			const event = core.event(execution, "WorkflowExecutionStarted", {
				inputs: req.inputs,
				trigger: req.trigger,
				parent_execution_id: execution.parent_execution_id,
				started_by: req.startedBy ?? null,
				client_ip: req.clientIp ?? null
			});
			await core.commitEvents(tx, execution, [event], after, ready[0]?.step_id ?? null, 0, {}, { inserted: true });
			after.dispatch.push(...ready.map(s => ({ execution_id: id, step_id: s.step_id })));
			return { execution, created: true };
		});
	} catch (err) {
		// Two requests with one idempotency key: the second finds the first's execution.
		if (isUniqueViolation(err) && req.idempotencyKey) {
			const existing = await core.store.executionByIdempotencyKey(req.ownerId, req.idempotencyKey);
			if (existing) return { execution: existing, created: false };
		}
		throw err;
	}
	if (result.created) core.cache.remember(result.execution, req.definition);
	core.afterCommit(after);
	return result;
}
