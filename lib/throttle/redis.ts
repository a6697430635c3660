import type Redis from "ioredis";
import { AppError, serviceUnavailable } from "../errors";
import type { AttemptLimiter, AttemptLimits } from "./attempts";

/**
 * A Redis command failed (down, restarting, timed out): sign-ins wait rather than go
 * unthrottled, and the client hears 503 with Retry-After, not 500.
 */
async function orUnavailable<T>(command: () => Promise<T>): Promise<T> {
	try {
		return await command();
	} catch (err) {
		if (err instanceof AppError) throw err;
		throw serviceUnavailable("redis", "Sign-in limits cannot be checked because Redis is not available; try again shortly");
	}
}

/** Failure counts shared by every node: INCR with an expiry set by the first failure. */
export class RedisAttemptLimiter implements AttemptLimiter {
	constructor(
		private readonly redis: Redis,
		private readonly limits: AttemptLimits,
		private readonly prefix: string
	) {}

	private key(key: string): string {
		return `${this.prefix}${key}`;
	}

	async blockedFor(key: string): Promise<number> {
		const [[, count], [, ttl]] = (await orUnavailable(() => this.redis.multi().get(this.key(key)).pttl(this.key(key)).exec())) as [[null, string | null], [null, number]];
		return Number(count ?? 0) >= this.limits.maxFailures && ttl > 0 ? Math.ceil(ttl / 1000) : 0;
	}

	async recordFailure(key: string): Promise<number> {
		const k = this.key(key);
		const [[, count]] = (await orUnavailable(() => this.redis.multi().incr(k).pexpire(k, this.limits.windowMs, "NX").exec())) as [[null, number], unknown];
		if (count < this.limits.maxFailures) return 0;
		return this.blockedFor(key);
	}

	async reset(key: string): Promise<void> {
		await orUnavailable(() => this.redis.del(this.key(key)));
	}
}
