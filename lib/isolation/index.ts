import { conditionFilters, conditionValues, evaluateConditionOver } from "../dsl/conditions";
import type { WorkflowDefinition } from "../dsl/model";
import type { TemplateScope } from "../dsl/templates";
import { AppError } from "../errors";
import { LimitExceeded, UserCodeError } from "./errors";
import { evaluateInline } from "./inline-jsonata";
import { WorkerPool } from "./pool";
import { formatBytes, jsonSize } from "./size";
import { jsonataMessage, type Task, type TaskError, type TaskResult } from "./tasks";

export { LimitExceeded, UserCodeError, type LimitType } from "./errors";
export { formatBytes, jsonSize } from "./size";

/** The limits user work runs under (lib/config.ts names each setting). */
export interface IsolationOptions {
	/** ISOLATION_WORKERS */
	workers: number;
	/** ISOLATION_WORKER_MEMORY, bytes */
	workerMemoryBytes: number;
	/** STEP_MAX_OUTPUT_BYTES: an expression's result past this fails with output_too_large. */
	maxOutputBytes: number;
	/** WORKFLOW_PARSE_TIMEOUT, ms: an upload that takes longer to parse and check is refused. */
	parseTimeoutMs: number;
}

/** Conditions run inline when their text and the values they read are at most this long (characters, bytes): their cost is then a few microseconds. */
const INLINE_CONDITION_CHARS = 1000;
const INLINE_CONDITION_BYTES = 64 * 1024;
/** How long an upload may wait for a free worker (and its start) before the node says it is busy (ms). */
const UPLOAD_WAIT_MS = 20_000;

/**
 * Where user work runs: JSONata transforms, conditions and workflow uploads. Work whose
 * cost is bounded by construction runs inline (see inline-jsonata.ts); the rest runs in
 * a pool of worker processes, stopped by the caller's signal (a step's timeout) and by a
 * heap limit, so the event loop that moves the engine's state never waits on it.
 */
export class Isolation {
	private pool?: WorkerPool;

	constructor(readonly opts: IsolationOptions) {}

	/** The value of a JSONata expression over `input`; throws UserCodeError (transform_error) or LimitExceeded. */
	async jsonata(expression: string, input: unknown, signal: AbortSignal): Promise<unknown> {
		signal.throwIfAborted();
		try {
			const inline = await evaluateInline(expression, input);
			if (!inline.moved) return inline.value === undefined ? null : inline.value;
		} catch (err) {
			throw new UserCodeError(jsonataMessage(err), "transform_error");
		}
		const value = await this.run({ kind: "jsonata", expression, input, maxOutputBytes: this.opts.maxOutputBytes }, signal);
		return JSON.parse(value as string);
	}

	/** Whether a condition holds over the run's values; throws UserCodeError (condition_error) or LimitExceeded. */
	async condition(source: string, scope: TemplateScope, signal: AbortSignal): Promise<boolean> {
		let values: unknown[];
		let inline: boolean;
		try {
			values = conditionValues(source, scope);
			inline = source.length <= INLINE_CONDITION_CHARS && !conditionFilters(source) && jsonSize(values, INLINE_CONDITION_BYTES) <= INLINE_CONDITION_BYTES;
			if (inline) return evaluateConditionOver(source, values);
		} catch (err) {
			throw new UserCodeError((err as Error).message, "condition_error");
		}
		return (await this.run({ kind: "condition", source, values }, signal)) as boolean;
	}

	/**
	 * An uploaded definition (text, or JSON a body parser read) → a valid definition, or
	 * the 400/415/422 that `parseWorkflow` gives. Always in a worker, within
	 * WORKFLOW_PARSE_TIMEOUT: parsing YAML and checking a definition (its templates,
	 * expressions, durations) is where hostile text makes libraries slow.
	 */
	async parseWorkflow(body: unknown, contentType?: string): Promise<WorkflowDefinition> {
		const task: Task = { kind: "workflow", body: Buffer.isBuffer(body) ? body.toString() : body, contentType };
		try {
			return (await this.run(task, AbortSignal.timeout(UPLOAD_WAIT_MS), this.opts.parseTimeoutMs)) as WorkflowDefinition;
		} catch (err) {
			if (err instanceof TaskFailed) throw new AppError(err.error.message, err.error.status ?? 422, err.error.type, err.error.detail);
			if ((err as Error).name === "TimeoutError") throw new AppError("The node is too busy to check definitions right now; try again", 503, "service_unavailable");
			const why =
				err instanceof LimitExceeded && err.type === "timeout"
					? `took longer than ${this.opts.parseTimeoutMs} ms to parse and check (WORKFLOW_PARSE_TIMEOUT)`
					: err instanceof LimitExceeded && err.type === "memory_limit"
						? `needs more than ${formatBytes(this.opts.workerMemoryBytes)} of memory to parse (ISOLATION_WORKER_MEMORY)`
						: null;
			if (!why) throw err;
			throw new AppError(`The definition ${why}`, 422, "validation_error", [{ path: "body", message: why }]);
		}
	}

	/** Worker processes running, and tasks waiting for one (for metrics and tests). */
	stats(): { workers: number; queued: number } {
		return this.pool?.stats() ?? { workers: 0, queued: 0 };
	}

	async close(): Promise<void> {
		await this.pool?.close();
		this.pool = undefined;
	}

	private async run(task: Task, signal: AbortSignal, workMs?: number): Promise<unknown> {
		this.pool ??= new WorkerPool({ workers: this.opts.workers, memoryBytes: this.opts.workerMemoryBytes });
		const result: TaskResult = await this.pool.run(task, signal, workMs);
		if (!result.ok) throw new TaskFailed(result.error);
		return result.value;
	}
}

/** A task's own failure, as the worker reported it; turned into the caller's error type. */
class TaskFailed extends UserCodeError {
	constructor(readonly error: TaskError) {
		super(error.message, error.type);
	}
}
