/**
 * Retry policy as data (after graphile-worker): how many tries, and how the wait between
 * them grows from `minDelay` by `multiplier` up to `maxDelay`. The one backoff of the
 * code base: step retries, LLM provider retries, event handler retries, webhook
 * deliveries, the relay while RabbitMQ is down, and reconnection.
 */
export interface BackoffPolicy {
	/** Tries in all, the first included (Infinity for "until it works"). */
	maxAttempts: number;
	/** Milliseconds before the second try. */
	minDelay: number;
	/** Longest wait in milliseconds. */
	maxDelay: number;
	multiplier: number;
}

/** Wait after failed try `attempt` (counted from 1) before the next one, or null when the tries are used up. */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number | null {
	if (attempt >= policy.maxAttempts) return null;
	return Math.min(policy.maxDelay, Math.round(policy.minDelay * policy.multiplier ** Math.max(0, attempt - 1)));
}

/** Every distinct wait a policy produces, in order (one RabbitMQ retry queue each). */
export function backoffDelays(policy: BackoffPolicy): number[] {
	const delays = new Set<number>();
	for (let attempt = 1; attempt < policy.maxAttempts; attempt++) {
		const delay = backoffDelay(policy, attempt)!;
		delays.add(delay);
		if (delay >= policy.maxDelay) break;
	}
	return [...delays];
}

/** The same wait spread over its upper half, so nodes that failed together do not retry together. */
export function jittered(delay: number, random: () => number = Math.random): number {
	return Math.round(delay / 2 + (random() * delay) / 2);
}

/**
 * The wait before the next try when the other side said how long to wait (an HTTP
 * `Retry-After`): never shorter than the backoff, and null (give up on this peer) when it
 * asks for longer than the policy's `maxDelay`.
 */
export function honouringRetryAfter(policy: BackoffPolicy, attempt: number, retryAfterMs?: number): number | null {
	const backoff = backoffDelay(policy, attempt);
	if (backoff === null || retryAfterMs === undefined) return backoff;
	if (retryAfterMs > policy.maxDelay) return null;
	return Math.max(backoff, retryAfterMs);
}
