/**
 * Limits shared by every node through Redis: one sorted set each for calls in flight
 * (scored by lease expiry, so a crashed node's slots come back), requests and tokens
 * (scored by time). One Lua script checks and takes a turn atomically, on Redis's clock.
 * Within a node, callers queue first so only the head of the line asks Redis.
 */
import { randomUUID } from "node:crypto";
import type Redis from "ioredis";
import { systemClock, type Clock } from "../clock";
import { Mutex } from "../../mutex";
import type { ProviderName } from "../types";
import { isUnlimited, MINUTE_MS, NO_OP_PERMIT, type LimitsByProvider, type Permit, type RateLimiter } from "./limiter";

// Returns 0 when the turn is taken, -1 when every in-flight slot is held, else milliseconds to wait.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id, maxInFlight, rpm, tpm = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tokens, lease, window = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
if maxInFlight > 0 and redis.call('ZCARD', KEYS[1]) >= maxInFlight then return -1 end
local wait = 0
if rpm > 0 then
  local count = redis.call('ZCARD', KEYS[2])
  if count >= rpm then
    local oldest = redis.call('ZRANGE', KEYS[2], count - rpm, count - rpm, 'WITHSCORES')
    wait = tonumber(oldest[2]) + window - now
  end
end
if tpm > 0 then
  local entries = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
  local used = 0
  for i = 1, #entries, 2 do used = used + tonumber(string.match(entries[i], ':(%d+)$')) end
  local i = 1
  while used > 0 and used + tokens > tpm and i < #entries do
    used = used - tonumber(string.match(entries[i], ':(%d+)$'))
    wait = math.max(wait, tonumber(entries[i + 1]) + window - now)
    i = i + 2
  end
end
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now + lease, id)
redis.call('ZADD', KEYS[2], now, id)
redis.call('ZADD', KEYS[3], now, id .. ':' .. tokens)
local ttl = math.max(window, lease) * 2
for k = 1, 3 do redis.call('PEXPIRE', KEYS[k], ttl) end
return 0
`;

// Frees the in-flight slot and replaces the token estimate by what the call really used.
const RELEASE = `
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[3] ~= '' then
  local estimate = ARGV[1] .. ':' .. ARGV[2]
  local score = redis.call('ZSCORE', KEYS[3], estimate)
  if score then
    redis.call('ZREM', KEYS[3], estimate)
    redis.call('ZADD', KEYS[3], score, ARGV[1] .. ':' .. ARGV[3])
  end
end
return 0
`;

// How often the head of a node's line asks again while every slot is held.
const SLOT_POLL_MS = 10;

export interface RedisRateLimiterOptions {
	/** Key prefix, unique per deployment (and per test). */
	prefix: string;
	/** How long a slot stays held if its node dies before releasing it, in milliseconds. */
	leaseMs: number;
	windowMs?: number;
	clock?: Clock;
}

export class RedisRateLimiter implements RateLimiter {
	private readonly lines = new Map<ProviderName, Mutex>();
	private readonly windowMs: number;
	private readonly clock: Clock;

	constructor(
		private readonly redis: Redis,
		private readonly limits: LimitsByProvider,
		private readonly options: RedisRateLimiterOptions
	) {
		this.windowMs = options.windowMs ?? MINUTE_MS;
		this.clock = options.clock ?? systemClock;
	}

	async acquire(provider: ProviderName, tokens: number): Promise<Permit> {
		const limits = this.limits[provider];
		if (!limits || isUnlimited(limits)) return NO_OP_PERMIT;
		const keys = this.keys(provider);
		const id = randomUUID();
		const estimate = Math.max(0, Math.round(tokens));
		let line = this.lines.get(provider);
		if (!line) {
			line = new Mutex();
			this.lines.set(provider, line);
		}
		await line.run(async () => {
			for (;;) {
				const answer = Number(
					await this.redis.eval(
						ACQUIRE,
						keys.length,
						...keys,
						id,
						limits.maxInFlight,
						limits.requestsPerMinute,
						limits.tokensPerMinute,
						estimate,
						this.options.leaseMs,
						this.windowMs
					)
				);
				if (answer === 0) return;
				await this.clock.sleep(answer < 0 ? SLOT_POLL_MS : answer);
			}
		});
		let released = false;
		return {
			release: async actualTokens => {
				if (released) return;
				released = true;
				const actual = actualTokens === undefined ? "" : String(Math.max(0, Math.round(actualTokens)));
				await this.redis.eval(RELEASE, keys.length, ...keys, id, estimate, actual);
			}
		};
	}

	private keys(provider: ProviderName): string[] {
		// One hash tag per provider keeps the three keys on one Redis Cluster slot.
		const base = `${this.options.prefix}:{llm-limits:${provider}}`;
		return [`${base}:in-flight`, `${base}:requests`, `${base}:tokens`];
	}
}
