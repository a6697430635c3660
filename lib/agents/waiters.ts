/**
 * Waits for executions to end (an agent's workflow tool waits for its child). Woken by
 * the engine's updates, from this node and others; a slow poll covers an update missed
 * while a node was busy or a message was lost.
 */
import type { ChildRun } from "./services";

/** How often a waiter reads the execution itself (ms), in case no update reaches it. */
const POLL_MS = 2000;
const ENDED = new Set(["completed", "failed", "cancelled"]);

type Load = (executionId: string) => Promise<({ status: string } & Partial<ChildRun>) | null>;

export class ExecutionWaiters {
	private readonly waiting = new Map<string, Set<() => void>>();
	private closed = false;

	constructor(private readonly load: Load) {}

	/** An update of `executionId` was committed: waiters read it if it ended. */
	updated(executionId: string, status: string): void {
		if (!ENDED.has(status)) return;
		for (const wake of this.waiting.get(executionId) ?? []) wake();
	}

	async wait(executionId: string, signal: AbortSignal): Promise<ChildRun> {
		for (;;) {
			signal.throwIfAborted();
			if (this.closed) throw new Error("The node is stopping");
			const run = await this.load(executionId);
			if (!run) throw new Error(`Execution ${executionId} is gone`);
			if (ENDED.has(run.status)) return { status: run.status as ChildRun["status"], outputs: run.outputs ?? null, error: run.error ?? null };
			await new Promise<void>(resolve => {
				const wake = () => {
					clearTimeout(timer);
					signal.removeEventListener("abort", wake);
					this.waiting.get(executionId)?.delete(wake);
					if (this.waiting.get(executionId)?.size === 0) this.waiting.delete(executionId);
					resolve();
				};
				const timer = setTimeout(wake, POLL_MS);
				signal.addEventListener("abort", wake, { once: true });
				let set = this.waiting.get(executionId);
				if (!set) this.waiting.set(executionId, (set = new Set()));
				set.add(wake);
			});
		}
	}

	close(): void {
		this.closed = true;
		for (const set of this.waiting.values()) for (const wake of set) wake();
	}
}
