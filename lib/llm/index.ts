/** The LLM layer: providers behind one interface, routing, retries and fallback, pricing, budgets and limits. */
import type Redis from "ioredis";
import type { Clock } from "./clock";
import { LlmClient, type LlmObserver } from "./client";
import type { RateLimiter } from "./limits/limiter";
import { MemoryRateLimiter } from "./limits/memory";
import { RedisRateLimiter } from "./limits/redis";
import { createProviders } from "./providers";
import type { LlmSettings } from "./settings";

export { LlmClient, type CallOptions, type CallOutcome, type LlmObserver } from "./client";
export { llmSettingsFrom, type LlmSettings } from "./settings";
export * from "./types";

export interface LlmClientDeps {
	/** Shares limits across the cluster; memory limits when absent. */
	redis?: Redis;
	/** Prefix of the Redis keys (unique per deployment and per test). */
	redisPrefix?: string;
	clock?: Clock;
	observer?: LlmObserver;
	/** Warnings about settings a provider's API ignores. */
	warn?: (message: string) => void;
}

// A held in-flight slot is given back after one attempt's timeout plus this margin if its node died.
const SLOT_LEASE_MARGIN_MS = 30_000;

export function createRateLimiter(settings: LlmSettings, deps: LlmClientDeps): RateLimiter {
	if (deps.redis) {
		return new RedisRateLimiter(deps.redis, settings.limits, {
			prefix: deps.redisPrefix ?? "cognitionos",
			leaseMs: settings.timeout + SLOT_LEASE_MARGIN_MS,
			clock: deps.clock
		});
	}
	return new MemoryRateLimiter(settings.limits, deps.clock);
}

export function createLlmClient(settings: LlmSettings, deps: LlmClientDeps = {}): LlmClient {
	return new LlmClient({
		providers: createProviders(settings, { warn: deps.warn }),
		routing: settings.routing,
		retry: settings.retry,
		breaker: settings.breaker,
		pricing: settings.pricing,
		limiter: createRateLimiter(settings, deps),
		defaultMaxTokens: settings.defaultMaxTokens,
		defaultBudget: settings.defaultBudget,
		clock: deps.clock,
		observer: deps.observer
	});
}
