import { existsSync } from "node:fs";
import path from "node:path";
import workerpool from "workerpool";
import { LimitExceeded } from "./errors";
import { formatBytes } from "./size";
import type { Task, TaskResult } from "./tasks";

export interface PoolOptions {
	/** Worker processes at most (started on demand). */
	workers: number;
	/** Heap (old generation) a worker may use, in bytes; a task that needs more ends its worker. */
	memoryBytes: number;
	/** How long `close` waits for the workers to be gone (ms; CLOSE_WAIT_MS unless set). */
	closeWaitMs?: number;
}

/** How long a cancelled worker may take to exit before it is killed (ms): a frozen one never answers. */
const TERMINATE_TIMEOUT_MS = 100;
/**
 * Longest a node's stop waits for workerpool to report its workers gone (ms). Each is sent
 * SIGKILL after TERMINATE_TIMEOUT_MS; should the report not come (workerpool's termination
 * promise has been reported never to settle: josdejong/workerpool#498), the stop goes on.
 */
const CLOSE_WAIT_MS = 2000;

/**
 * The compiled worker. Tests run the sources through ts-jest, which a worker process
 * does not: they use the build that the test setup makes (dist/).
 */
export function workerFile(): string {
	const beside = path.join(__dirname, "worker.js");
	if (existsSync(beside)) return beside;
	const built = path.resolve(__dirname, "../../dist/lib/isolation/worker.js");
	if (existsSync(built)) return built;
	throw new Error(`The isolation worker is not built (looked for ${beside} and ${built}): run npm run build`);
}

/**
 * A pool of worker processes for user work (workerpool). Processes, not threads: a
 * worker thread that passes its heap limit with one large allocation (a list of ten
 * million items) takes the whole process down with it, while a worker process just
 * dies. A task runs until it answers or its signal aborts; an aborted task's worker is
 * killed (JSONata never yields, so nothing short of that stops it) and replaced on
 * demand.
 */
export class WorkerPool {
	private readonly pool: ReturnType<typeof workerpool.pool>;
	private closed = false;

	constructor(private readonly opts: PoolOptions) {
		this.pool = workerpool.pool(workerFile(), {
			workerType: "process",
			maxWorkers: opts.workers,
			workerTerminateTimeout: TERMINATE_TIMEOUT_MS,
			// The worker's output is caught, never mixed into this node's JSON log lines (V8 writes its out-of-memory report there).
			emitStdStreams: true,
			forkOpts: {
				// Only the heap limit: none of this process's flags (an inspector, a profiler) carry over.
				execArgv: [`--max-old-space-size=${Math.max(16, Math.floor(opts.memoryBytes / (1024 * 1024)))}`],
				env: { NODE_ENV: process.env.NODE_ENV ?? "production" }
			}
		});
	}

	/**
	 * Runs a task; throws `LimitExceeded` (`memory_limit`, `isolation_error`) when its
	 * worker died, and the signal's reason as soon as it aborts (the caller knows why).
	 * `workMs` limits the task's own time, counted from when a worker begins it (a
	 * `timeout` LimitExceeded), where the signal counts from the call.
	 */
	async run(task: Task, signal: AbortSignal, workMs?: number): Promise<TaskResult> {
		if (this.closed) throw new LimitExceeded("The worker pool is closed (the node is stopping)", "isolation_error", false);
		signal.throwIfAborted();
		let outOfMemory = false;
		let stop: ((err: unknown) => void) | undefined;
		let workTimer: NodeJS.Timeout | undefined;
		const running = this.pool.exec("run", [task], {
			on: (payload: { stderr?: string; started?: boolean }) => {
				if (typeof payload?.stderr === "string" && payload.stderr.includes("heap out of memory")) outOfMemory = true;
				if (payload?.started && workMs !== undefined)
					workTimer = setTimeout(() => stop?.(new LimitExceeded(`It took longer than ${workMs} ms`, "timeout")), workMs);
			}
		});
		const stopped = new Promise<never>((_, reject) => {
			stop = err => {
				// Settled before the cancel (which rejects `running` too), so the race reports why; the worker is killed in the background.
				reject(err);
				running.cancel();
			};
		});
		const onAbort = () => stop!(signal.reason);
		signal.addEventListener("abort", onAbort, { once: true });
		try {
			return (await Promise.race([running, stopped])) as TaskResult;
		} catch (err) {
			if (signal.aborted) throw signal.reason;
			if (err instanceof LimitExceeded) throw err;
			// V8 aborts the process when the heap limit is reached: that exit (or its report on stderr) is the memory limit.
			if (outOfMemory || /signalCode: `SIGABRT`/.test((err as Error).message ?? ""))
				throw new LimitExceeded(`It needed more than ${formatBytes(this.opts.memoryBytes)} of memory (ISOLATION_WORKER_MEMORY)`, "memory_limit");
			// A worker that died otherwise (killed from outside, a crash in native code): the task may well work on a fresh one.
			throw new LimitExceeded(`Its worker process failed: ${String((err as Error).message ?? err).split("\n")[0]}`, "isolation_error", false);
		} finally {
			clearTimeout(workTimer);
			signal.removeEventListener("abort", onAbort);
			stopped.catch(() => undefined);
		}
	}

	/** Worker processes running now, and tasks waiting for one. */
	stats(): { workers: number; queued: number } {
		const s = this.pool.stats();
		return { workers: s.totalWorkers, queued: s.pendingTasks };
	}

	/** Kills every worker, running tasks included; waits for them at most `closeWaitMs`. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		let timer: NodeJS.Timeout | undefined;
		const waited = new Promise<void>(resolve => (timer = setTimeout(resolve, this.opts.closeWaitMs ?? CLOSE_WAIT_MS)));
		try {
			await Promise.race([this.pool.terminate(true), waited]);
		} finally {
			clearTimeout(timer);
		}
	}
}
