/**
 * Counts failures per key (an email, a client address) over a sliding window and says
 * when a key is blocked and for how long. `memory.ts` keeps counts in process
 * (embedded); `redis.ts` shares them across the cluster.
 */
export interface AttemptLimiter {
	/** Seconds until `key` may try again, or 0 when it is not blocked. */
	blockedFor(key: string): Promise<number>;
	/** Records a failure; returns the seconds `key` is now blocked for (0 if still under the limit). */
	recordFailure(key: string): Promise<number>;
	/** Forgets `key`'s failures (after a success). */
	reset(key: string): Promise<void>;
}

export interface AttemptLimits {
	maxFailures: number;
	windowMs: number;
}
