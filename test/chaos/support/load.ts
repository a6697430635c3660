import { randomUUID } from "node:crypto";

/** One run a client asked for: accepted with an id, or given up on after `giveUpMs` of refusals. */
export interface SubmittedRun {
	n: number;
	key: string;
	id?: string;
	/** When the client first asked, and when it was accepted (ms epoch). */
	askedAt: number;
	acceptedAt?: number;
	/** Every answer on the way (0: no connection). */
	answers: number[];
}

/** How long a client keeps asking for one run (each time after Retry-After) before it gives up on it (ms). */
const GIVE_UP_MS = 60_000;
/** Wait between asks when the answer named none (ms). */
const DEFAULT_RETRY_MS = 500;

/**
 * Clients starting runs at a steady rate, each the way a careful client does: with an
 * Idempotency-Key, asking again (after Retry-After) on 503, 5xx or no connection, until
 * accepted. Every answer is kept, so a test can say what clients saw during a fault.
 */
export class Load {
	readonly runs: SubmittedRun[] = [];
	/** Why asks got no answer (the error's code), and how often. */
	readonly noConnection = new Map<string, number>();
	/** The longest one ask took to be answered, or to fail (ms): a client kept waiting shows here. */
	slowestMs = 0;
	private timer?: NodeJS.Timeout;
	private readonly pending = new Set<Promise<void>>();
	private seq = 0;

	constructor(
		private readonly baseUrl: string,
		private readonly auth: Record<string, string>,
		private readonly workflowId: string,
		private readonly runsPerSecond: number
	) {}

	start(): void {
		this.timer = setInterval(() => this.submitOne(), Math.round(1000 / this.runsPerSecond));
	}

	/** Stops asking for new runs and waits for the asks in flight to be answered for good. */
	async stop(): Promise<void> {
		clearInterval(this.timer);
		await Promise.all([...this.pending]);
	}

	accepted(): (SubmittedRun & { id: string; acceptedAt: number })[] {
		return this.runs.filter((r): r is SubmittedRun & { id: string; acceptedAt: number } => r.id !== undefined);
	}

	/** How many answers had each status, over every ask (0: no connection). */
	answerCounts(from = 0, to = Infinity): Record<string, number> {
		const counts: Record<string, number> = {};
		for (const r of this.runs) if (r.askedAt >= from && r.askedAt <= to) for (const a of r.answers) counts[a] = (counts[a] ?? 0) + 1;
		return counts;
	}

	private submitOne(): void {
		const run: SubmittedRun = { n: ++this.seq, key: randomUUID(), askedAt: Date.now(), answers: [] };
		this.runs.push(run);
		const p = this.submit(run).finally(() => this.pending.delete(p));
		this.pending.add(p);
	}

	private async submit(run: SubmittedRun): Promise<void> {
		while (Date.now() - run.askedAt < GIVE_UP_MS) {
			let wait = DEFAULT_RETRY_MS;
			const asked = Date.now();
			try {
				const res = await fetch(`${this.baseUrl}/api/v3/workflows/execute`, {
					method: "POST",
					headers: { ...this.auth, "content-type": "application/json", "idempotency-key": run.key },
					body: JSON.stringify({ workflow_id: this.workflowId, workflow_version: "1.0.0", inputs: { n: run.n } }),
					signal: AbortSignal.timeout(30_000)
				});
				run.answers.push(res.status);
				this.slowestMs = Math.max(this.slowestMs, Date.now() - asked);
				const body = (await res.json().catch(() => ({}))) as { execution_id?: string };
				if ((res.status === 202 || res.status === 200) && body.execution_id) {
					run.id = body.execution_id;
					run.acceptedAt = Date.now();
					return;
				}
				// A refusal that asking again cannot change (400, 401, 404, 409, 422): the client stops.
				if (res.status < 500 && res.status !== 429) return;
				const retryAfter = Number(res.headers.get("retry-after"));
				if (retryAfter > 0) wait = retryAfter * 1000;
			} catch (err) {
				run.answers.push(0);
				this.slowestMs = Math.max(this.slowestMs, Date.now() - asked);
				const e = err as { name?: string; cause?: { code?: string } };
				const why = e.cause?.code ?? e.name ?? "error";
				this.noConnection.set(why, (this.noConnection.get(why) ?? 0) + 1);
			}
			await new Promise(r => setTimeout(r, wait));
		}
	}
}
