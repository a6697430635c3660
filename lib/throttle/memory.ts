import type { AttemptLimiter, AttemptLimits } from "./attempts";

/** In-process failure counts: one fixed window per key, started by its first failure. */
export class MemoryAttemptLimiter implements AttemptLimiter {
	private readonly windows = new Map<string, { count: number; resetAt: number }>();

	constructor(
		private readonly limits: AttemptLimits,
		private readonly now: () => number = Date.now
	) {}

	private current(key: string) {
		const w = this.windows.get(key);
		if (w && w.resetAt <= this.now()) {
			this.windows.delete(key);
			return undefined;
		}
		return w;
	}

	async blockedFor(key: string): Promise<number> {
		const w = this.current(key);
		return w && w.count >= this.limits.maxFailures ? Math.ceil((w.resetAt - this.now()) / 1000) : 0;
	}

	async recordFailure(key: string): Promise<number> {
		let w = this.current(key);
		if (!w) {
			w = { count: 0, resetAt: this.now() + this.limits.windowMs };
			this.windows.set(key, w);
			if (this.windows.size > 100_000) this.sweep();
		}
		w.count++;
		return this.blockedFor(key);
	}

	async reset(key: string): Promise<void> {
		this.windows.delete(key);
	}

	/** Bounds memory when many keys fail once and never return. */
	private sweep(): void {
		const now = this.now();
		for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
	}
}
