import type Redis from "ioredis";
import type { AttemptLimiter, AttemptLimits } from "./attempts";

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
		const [[, count], [, ttl]] = (await this.redis.multi().get(this.key(key)).pttl(this.key(key)).exec()) as [[null, string | null], [null, number]];
		return Number(count ?? 0) >= this.limits.maxFailures && ttl > 0 ? Math.ceil(ttl / 1000) : 0;
	}

	async recordFailure(key: string): Promise<number> {
		const k = this.key(key);
		const [[, count]] = (await this.redis.multi().incr(k).pexpire(k, this.limits.windowMs, "NX").exec()) as [[null, number], unknown];
		if (count < this.limits.maxFailures) return 0;
		return this.blockedFor(key);
	}

	async reset(key: string): Promise<void> {
		await this.redis.del(this.key(key));
	}
}
