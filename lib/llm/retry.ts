/**
 * Retry policy as data, after graphile-worker: how many attempts one provider gets and
 * how long to wait between them. The wait doubles (by `multiplier`) from `minDelay` up to
 * `maxDelay`; a provider's Retry-After wins when it is longer.
 */
export interface RetryPolicy {
	/** Attempts per provider, the first included. */
	maxAttempts: number;
	/** Milliseconds before the second attempt. */
	minDelay: number;
	/** Longest wait in milliseconds; a Retry-After beyond it moves on to the next provider instead. */
	maxDelay: number;
	multiplier: number;
}

/** Wait before attempt `attempt + 1` (attempt counts from 1), or null when the provider should be left. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number | null {
	if (attempt >= policy.maxAttempts) return null;
	const backoff = Math.min(policy.maxDelay, policy.minDelay * policy.multiplier ** (attempt - 1));
	if (retryAfterMs === undefined) return backoff;
	if (retryAfterMs > policy.maxDelay) return null;
	return Math.max(backoff, retryAfterMs);
}
