/**
 * When a failed attempt runs again: exponential backoff from the step's retry_delay,
 * with full jitter over the upper half, capped.
 */
export interface RetryPolicy {
	/** Delay before the first retry (the step's `retry_delay`), ms. */
	baseDelayMs: number;
	multiplier: number;
	/** Never wait longer than this between attempts, ms. */
	maxDelayMs: number;
}

// Retries double their wait and never wait more than 10 minutes.
export const DEFAULT_RETRY: Omit<RetryPolicy, "baseDelayMs"> = { multiplier: 2, maxDelayMs: 10 * 60_000 };

/** Milliseconds to wait before attempt `nextAttempt` (2 for the first retry). */
export function retryDelay(policy: RetryPolicy, nextAttempt: number, random: () => number = Math.random): number {
	const exponential = policy.baseDelayMs * policy.multiplier ** Math.max(0, nextAttempt - 2);
	const capped = Math.min(policy.maxDelayMs, exponential);
	// Half fixed, half random: spreads retries of many runs without ever retrying at once.
	return Math.round(capped / 2 + (random() * capped) / 2);
}
