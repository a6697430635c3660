import { honouringRetryAfter as retryDelay, type BackoffPolicy } from "../../../lib/backoff";

const policy: BackoffPolicy = { maxAttempts: 4, minDelay: 1000, maxDelay: 5000, multiplier: 2 };

describe("LLM provider retries (backoff honouring Retry-After)", () => {
	it("backs off exponentially up to maxDelay, then gives up after maxAttempts", () => {
		expect([1, 2, 3].map(a => retryDelay(policy, a))).toEqual([1000, 2000, 4000]);
		expect(retryDelay({ ...policy, maxAttempts: 10 }, 5)).toBe(5000);
		expect(retryDelay(policy, 4)).toBeNull();
	});

	it("honours a longer Retry-After and never waits less than the backoff", () => {
		expect(retryDelay(policy, 1, 3000)).toBe(3000);
		expect(retryDelay(policy, 2, 500)).toBe(2000);
	});

	it("moves on when Retry-After asks for longer than maxDelay", () => {
		expect(retryDelay(policy, 1, 60_000)).toBeNull();
	});
});
