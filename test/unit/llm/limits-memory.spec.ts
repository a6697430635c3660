import { MemoryRateLimiter } from "../../../lib/llm/limits/memory";
import { ManualClock } from "../../support/manual-clock";

const flush = () => new Promise(resolve => setImmediate(resolve));

describe("memory rate limits", () => {
	it("queues calls beyond the in-flight limit and lets them in, first come first served, as others finish", async () => {
		const limiter = new MemoryRateLimiter({ openai: { requestsPerMinute: 0, tokensPerMinute: 0, maxInFlight: 2 } }, new ManualClock());
		const order: number[] = [];
		const permits = await Promise.all([limiter.acquire("openai", 1), limiter.acquire("openai", 1)]);
		const waiting = [3, 4, 5].map(n => limiter.acquire("openai", 1).then(p => (order.push(n), p)));
		await flush();
		expect(order).toEqual([]);
		await permits[0].release();
		await flush();
		expect(order).toEqual([3]);
		await permits[1].release();
		await flush();
		expect(order).toEqual([3, 4]);
		const third = await waiting[0];
		await third.release();
		await flush();
		expect(order).toEqual([3, 4, 5]);
	});

	it("gives a freed slot to the next call before the call that freed it carries on", async () => {
		const limiter = new MemoryRateLimiter({ openai: { requestsPerMinute: 0, tokensPerMinute: 0, maxInFlight: 1 } }, new ManualClock());
		const order: string[] = [];
		const first = await limiter.acquire("openai", 1);
		const next = limiter.acquire("openai", 1).then(p => (order.push("next call started"), p));
		await flush();
		await first.release().then(() => order.push("releasing call carried on"));
		await next;
		expect(order).toEqual(["next call started", "releasing call carried on"]);
	});

	it("lets the releasing call carry on at once when nobody waits", async () => {
		const limiter = new MemoryRateLimiter({ openai: { requestsPerMinute: 0, tokensPerMinute: 0, maxInFlight: 1 } }, new ManualClock());
		const permit = await limiter.acquire("openai", 1);
		let carriedOn = false;
		const released = permit.release().then(() => (carriedOn = true));
		// A few microtasks, no I/O turn: nothing to wait for.
		for (let i = 0; i < 5; i++) await Promise.resolve();
		expect(carriedOn).toBe(true);
		await released;
	});

	it("makes a call over requests per minute wait until the oldest request leaves the window", async () => {
		const clock = new ManualClock(0);
		const limiter = new MemoryRateLimiter({ anthropic: { requestsPerMinute: 2, tokensPerMinute: 0, maxInFlight: 0 } }, clock);
		for (let i = 0; i < 2; i++) await (await limiter.acquire("anthropic", 10)).release();
		clock.advance(15_000);
		await limiter.acquire("anthropic", 10);
		expect(clock.sleeps).toEqual([45_000]);
		expect(clock.now()).toBe(60_000);
	});

	it("counts tokens per minute by what calls really used, and waits when the next call would pass the limit", async () => {
		const clock = new ManualClock(0);
		const limiter = new MemoryRateLimiter({ openai: { requestsPerMinute: 0, tokensPerMinute: 1000, maxInFlight: 0 } }, clock);
		const first = await limiter.acquire("openai", 900);
		// The call used far less than its estimate.
		await first.release(100);
		clock.advance(10_000);
		await (await limiter.acquire("openai", 800)).release(800);
		expect(clock.sleeps).toEqual([]);
		clock.advance(10_000);
		await limiter.acquire("openai", 500);
		// 100 + 800 used; 500 more fits only once both have left the window (the second at 70 s).
		expect(clock.now()).toBe(70_000);
	});

	it("lets a provider without limits through at once", async () => {
		const limiter = new MemoryRateLimiter({}, new ManualClock());
		await expect(Promise.all(Array.from({ length: 100 }, () => limiter.acquire("openai", 1e6)))).resolves.toHaveLength(100);
	});
});
