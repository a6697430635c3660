/**
 * Rate and concurrency limits per provider: requests per minute, tokens per minute and
 * calls in flight. A call over a limit waits its turn instead of failing. Two backends
 * behind this interface: `memory` (one process) and `redis` (the whole cluster).
 */
import type { ProviderName } from "../types";

export interface ProviderLimits {
	/** 0 means no limit. */
	requestsPerMinute: number;
	/** 0 means no limit; a call counts its estimate until it reports what it used. */
	tokensPerMinute: number;
	/** 0 means no limit. */
	maxInFlight: number;
}

export type LimitsByProvider = Partial<Record<ProviderName, ProviderLimits>>;

/** A granted turn: release it when the call ends, with the tokens it really used when known. */
export interface Permit {
	release(actualTokens?: number): Promise<void>;
}

export interface RateLimiter {
	/** Waits until `provider` can take a call of `tokens` tokens, then holds a slot for it. */
	acquire(provider: ProviderName, tokens: number): Promise<Permit>;
}

export const UNLIMITED: ProviderLimits = { requestsPerMinute: 0, tokensPerMinute: 0, maxInFlight: 0 };

export const isUnlimited = (limits: ProviderLimits | undefined): boolean =>
	!limits || (limits.requestsPerMinute <= 0 && limits.tokensPerMinute <= 0 && limits.maxInFlight <= 0);

export const NO_OP_PERMIT: Permit = { release: async () => undefined };

// Limits are per minute; tests shorten the window to keep runs short.
export const MINUTE_MS = 60_000;
