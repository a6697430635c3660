import type { SqlRunner } from "../db/database";
import type { TemplateScope, WorkflowDefinition } from "../dsl";
import { jsonSize } from "../isolation/size";
import { planOf, type ExecutionPlan } from "./plan";
import type { EngineStore } from "./store";
import type { ExecutionRow } from "./types";

/** What a node keeps about an execution it runs steps of: immutable parts only. */
export interface ExecutionContext {
	execution: Pick<ExecutionRow, "id" | "owner_id" | "inputs" | "budget" | "workflow_id" | "workflow_ref" | "traceparent">;
	plan: ExecutionPlan;
	/** Recorded outputs of finished steps (immutable once recorded); skipped steps hold null. */
	outputs: Map<string, unknown>;
}

/** Executions whose context a node keeps (the oldest is dropped first). */
const MAX_EXECUTIONS = 5000;
/** Bytes of inputs and outputs (as JSON) those contexts may hold together: a few large runs must not fill the heap. */
const MAX_CACHED_BYTES = 256 * 1024 * 1024;

/**
 * Inputs, plan and recorded step outputs of executions, so a step whose predecessor ran
 * on this node reads its output from memory; anything missing is read from the ledger.
 */
export class ExecutionCache {
	private readonly contexts = new Map<string, ExecutionContext>();
	private readonly loading = new Map<string, Promise<ExecutionContext>>();
	/** What each kept context holds, in bytes of JSON, and their sum. */
	private readonly weights = new Map<string, number>();
	private bytes = 0;

	constructor(
		private readonly store: EngineStore,
		private readonly loadDefinition: (workflowRef: string) => Promise<WorkflowDefinition>
	) {}

	remember(execution: ExecutionContext["execution"], definition: WorkflowDefinition): ExecutionContext {
		const context: ExecutionContext = {
			execution: {
				id: execution.id,
				owner_id: execution.owner_id,
				inputs: execution.inputs,
				budget: execution.budget,
				workflow_id: execution.workflow_id,
				workflow_ref: execution.workflow_ref,
				traceparent: execution.traceparent
			},
			plan: planOf(definition),
			outputs: new Map()
		};
		this.forget(execution.id);
		this.contexts.set(execution.id, context);
		this.weigh(execution.id, jsonSize(execution.inputs, MAX_CACHED_BYTES));
		return context;
	}

	/** Adds to what a context holds, then drops the oldest contexts until the bounds hold (the one just weighed stays). */
	private weigh(executionId: string, bytes: number): void {
		if (!this.contexts.has(executionId)) return;
		this.weights.set(executionId, (this.weights.get(executionId) ?? 0) + bytes);
		this.bytes += bytes;
		while (this.contexts.size > 1 && (this.contexts.size > MAX_EXECUTIONS || this.bytes > MAX_CACHED_BYTES)) {
			const oldest = this.contexts.keys().next().value as string;
			if (oldest === executionId) break;
			this.forget(oldest);
		}
	}

	async context(executionId: string): Promise<ExecutionContext> {
		const cached = this.contexts.get(executionId);
		if (cached) return cached;
		let pending = this.loading.get(executionId);
		if (!pending) {
			pending = (async () => {
				const execution = await this.store.execution(executionId);
				if (!execution) throw new Error(`Execution ${executionId} does not exist`);
				return this.remember(execution, await this.loadDefinition(execution.workflow_ref));
			})().finally(() => this.loading.delete(executionId));
			this.loading.set(executionId, pending);
		}
		return pending;
	}

	recordOutput(executionId: string, stepId: string, output: unknown): void {
		const context = this.contexts.get(executionId);
		if (!context) return;
		context.outputs.set(stepId, output);
		this.weigh(executionId, jsonSize(output ?? null, MAX_CACHED_BYTES));
	}

	forget(executionId: string): void {
		this.contexts.delete(executionId);
		this.bytes -= this.weights.get(executionId) ?? 0;
		this.weights.delete(executionId);
	}

	/** The template scope for a step: the run's inputs and the outputs of the steps it reads. */
	async scope(context: ExecutionContext, reads: readonly string[], tx?: SqlRunner): Promise<TemplateScope> {
		const missing = reads.filter(id => !context.outputs.has(id));
		if (missing.length) {
			const loaded = await this.store.outputs(context.execution.id, missing, tx);
			for (const [id, { status, output }] of loaded) {
				if (status !== "completed" && status !== "skipped") continue;
				// On the object the caller holds, even if the cache let it go meanwhile.
				context.outputs.set(id, status === "completed" ? output : null);
				if (this.contexts.get(context.execution.id) === context) this.weigh(context.execution.id, jsonSize(output ?? null, MAX_CACHED_BYTES));
			}
		}
		const steps: TemplateScope["steps"] = {};
		for (const id of reads) steps[id] = { output: context.outputs.has(id) ? context.outputs.get(id) : null };
		return { inputs: context.execution.inputs, steps };
	}
}
