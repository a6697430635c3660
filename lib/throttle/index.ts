import type Redis from "ioredis";
import type { AttemptLimiter, AttemptLimits } from "./attempts";
import { MemoryAttemptLimiter } from "./memory";
import { RedisAttemptLimiter } from "./redis";

export type { AttemptLimiter, AttemptLimits } from "./attempts";

/** Redis when the node has one (limits hold across the cluster), memory otherwise. */
export function createAttemptLimiter(limits: AttemptLimits, redis: Redis | undefined, prefix: string): AttemptLimiter {
	return redis ? new RedisAttemptLimiter(redis, limits, prefix) : new MemoryAttemptLimiter(limits);
}
