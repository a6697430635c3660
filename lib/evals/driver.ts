/**
 * Drives evals: the node holding an eval's lease starts its items' runs (at most
 * `concurrency` unscored at once, each started with an idempotency key so a node that
 * takes the lease over never starts one twice), scores each run that ended, and completes
 * the eval with the mean score per scorer once every item is scored. Everything it knows
 * is in the database, so an eval whose node stops goes on when another takes the lease.
 */
import type { UserCode } from "../steps/types";
import { score, scorerNames, type Score } from "./scorers";
import type { EvalItem, EvalRecord, EvalStore } from "./store";

/** A run as far as scoring needs it; null when it is gone. */
export interface RunState {
	status: string;
	outputs: unknown;
	error: string | null;
}

export interface DriverOptions {
	store: EvalStore;
	/** This node's name in leases. */
	leaseOwner: string;
	/** How long a lease holds without being renewed (ms). */
	leaseMs: number;
	/** EVAL_CONCURRENCY: runs of one eval unscored at once. */
	concurrency: number;
	/**
	 * Starts a run of the eval's workflow version as its owner; `key` makes a second start of
	 * the same item answer the first run. Throws an error with `final: true` when no item
	 * can run (the version is gone or inactive), with `later: true` when the refusal passes
	 * (a full queue, a node short of disk: the item is tried again next tick), else the item
	 * alone fails.
	 */
	start(e: EvalRecord, inputs: Record<string, unknown>, key: string): Promise<string>;
	run(executionId: string): Promise<RunState | null>;
	userCode: UserCode;
	judge(ownerId: string, request: { system: string; prompt: string; model?: string }, signal: AbortSignal): Promise<string>;
	/** Longest a run's scoring may take (ms): a slow judge or expression is stopped. */
	scoreTimeoutMs: number;
}

const ENDED = new Set(["completed", "failed", "cancelled"]);

/** Mean score per scorer over the scored items (an item whose run failed scores 0 on each). */
export function aggregatesOf(names: readonly string[], items: readonly Pick<EvalItem, "scores">[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const name of names) {
		const scores = items.map(i => i.scores?.[name]?.score ?? 0);
		out[name] = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 0;
	}
	return out;
}

export class EvalDriver {
	/** Evals this node is moving now: one pass each at a time. */
	private readonly busy = new Set<string>();

	constructor(private readonly opts: DriverOptions) {}

	/** One pass over every running eval this node may drive. */
	async tick(): Promise<void> {
		for (const id of await this.opts.store.runnable(this.opts.leaseOwner)) await this.advance(id);
	}

	/** One pass over one eval: score what ended, start what has room, finish when all are scored. */
	async advance(id: string): Promise<void> {
		if (this.busy.has(id)) return;
		this.busy.add(id);
		try {
			const { store } = this.opts;
			if (!(await store.lease(id, this.opts.leaseOwner, this.opts.leaseMs))) return;
			const e = await store.eval(id);
			if (!e || e.status !== "running") return;
			const names = scorerNames(e.scorers);
			let items = await store.items(id);
			for (const item of items) if (item.execution_id && !item.scores) await this.scoreIfEnded(e, names, item);
			items = await store.items(id);
			const inFlight = items.filter(i => i.execution_id && !i.scores).length;
			const waiting = items.filter(i => !i.execution_id && !i.scores).slice(0, Math.max(0, this.opts.concurrency - inFlight));
			for (const item of waiting) {
				try {
					const executionId = await this.opts.start(e, item.inputs, `eval:${e.id}:${item.position}`);
					await store.itemStarted(id, item.position, executionId);
				} catch (err) {
					if ((err as { later?: boolean }).later) break;
					if ((err as { final?: boolean }).final) {
						await store.finish(id, "failed", null, (err as Error).message);
						return;
					}
					await store.itemScored(id, item.position, { run_status: null, outputs: null, scores: zeroScores(names, (err as Error).message), error: `The run could not start: ${(err as Error).message}` });
				}
			}
			items = await store.items(id);
			if (items.every(i => i.scores)) await store.finish(id, "completed", aggregatesOf(names, items), null);
		} finally {
			this.busy.delete(id);
		}
	}

	private async scoreIfEnded(e: EvalRecord, names: string[], item: EvalItem): Promise<void> {
		const run = await this.opts.run(item.execution_id!);
		if (run && !ENDED.has(run.status)) return;
		if (!run || run.status !== "completed") {
			const error = run ? `The run ${run.status}${run.error ? `: ${run.error}` : ""}` : "The run is gone";
			await this.opts.store.itemScored(e.id, item.position, { run_status: run?.status ?? null, outputs: run?.outputs ?? null, scores: zeroScores(names, error), error });
			return;
		}
		const signal = AbortSignal.timeout(this.opts.scoreTimeoutMs);
		const scores: Record<string, Score> = {};
		for (const [i, scorer] of e.scorers.entries()) {
			scores[names[i]] = await score(scorer, {
				inputs: item.inputs,
				outputs: run.outputs,
				expected: item.expected,
				signal,
				userCode: this.opts.userCode,
				judge: (request, s) => this.opts.judge(e.owner_id, request, s)
			});
		}
		await this.opts.store.itemScored(e.id, item.position, { run_status: run.status, outputs: run.outputs, scores, error: null });
	}
}

function zeroScores(names: readonly string[], error: string): Record<string, Score> {
	return Object.fromEntries(names.map(n => [n, { score: 0, error }]));
}
