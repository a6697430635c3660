/** Rate and concurrency limits that queue calls instead of failing them: in memory, and across nodes through Redis. */
import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { RedisRateLimiter } from "../../lib/llm/limits/redis";
import { startTestNode, type TestNode } from "../support/broker";
import { describeWith, TEST_REDIS_URL } from "../support/env";
import { FakeLlmServer } from "../support/fake-llm-server";

const keyEnv = (server: FakeLlmServer) => ({
	LLM_OPENAI_API_KEY: "sk-limits-test-0000000000",
	LLM_OPENAI_BASE_URL: server.baseURL("openai"),
	LLM_PROVIDER_ORDER: "openai"
});

const calls = (node: TestNode, n: number) =>
	Promise.all(Array.from({ length: n }, (_, i) => node.broker.call("llm.complete", { prompt: `call ${i}` }) as Promise<{ provider: string }>));

describe("in-flight limit in memory", () => {
	const server = new FakeLlmServer();
	let node: TestNode;
	beforeAll(async () => {
		await server.start();
		node = await startTestNode({ services: ["llm"], env: { ...keyEnv(server), LLM_OPENAI_MAX_IN_FLIGHT: "2" } });
	});
	afterAll(async () => {
		await node.stop();
		await server.stop();
	});

	it("makes calls over the limit wait their turn, and all of them succeed", async () => {
		server.defaultDelayMs = 100;
		const results = await calls(node, 8);
		expect(results.map(r => r.provider)).toEqual(Array(8).fill("openai"));
		expect(server.requests).toHaveLength(8);
		expect(server.maxInFlight).toBe(2);
	});
});

describeWith(["redis"])("limits shared through Redis", () => {
	const server = new FakeLlmServer();
	const namespace = `llm-limits-${randomUUID().slice(0, 8)}`;
	const redis = new Redis(TEST_REDIS_URL);
	let nodes: TestNode[];
	beforeAll(async () => {
		await server.start();
		const env = { ...keyEnv(server), REDIS_URL: TEST_REDIS_URL, NAMESPACE: namespace, LLM_OPENAI_MAX_IN_FLIGHT: "3" };
		// Two nodes that share only Redis, as two pods of one deployment would.
		nodes = [await startTestNode({ services: ["llm"], env }), await startTestNode({ services: ["llm"], env })];
	});
	afterAll(async () => {
		for (const node of nodes) await node.stop();
		await server.stop();
		const keys = await redis.keys(`*${namespace}*`);
		if (keys.length) await redis.del(...keys);
		await redis.quit();
	});

	it("holds the in-flight limit across nodes, queueing the rest", async () => {
		server.defaultDelayMs = 100;
		const results = (await Promise.all(nodes.map(node => calls(node, 6)))).flat();
		expect(results).toHaveLength(12);
		expect(server.requests).toHaveLength(12);
		expect(server.maxInFlight).toBe(3);
	});

	it("spaces requests to the per-window limit", async () => {
		const prefix = `${namespace}-rpm`;
		const windowMs = 400;
		const limiter = new RedisRateLimiter(redis, { anthropic: { requestsPerMinute: 2, tokensPerMinute: 0, maxInFlight: 0 } }, { prefix, leaseMs: 5000, windowMs });
		// Grants the limiter recorded inside the last window, on Redis's clock (as the limiter decides): never more than 2.
		// Checked right after each grant; however late a check runs, a correct limiter never shows 3.
		const inWindow = async () =>
			Number(
				await redis.eval(
					"local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000); return redis.call('ZCOUNT', KEYS[1], '(' .. (now - tonumber(ARGV[1])), '+inf')",
					1,
					`${prefix}:{llm-limits:anthropic}:requests`,
					windowMs
				)
			);
		const seen: number[] = [];
		await Promise.all(
			Array.from({ length: 6 }, async () => {
				const permit = await limiter.acquire("anthropic", 10);
				seen.push(await inWindow());
				await permit.release(10);
			})
		);
		expect(seen).toHaveLength(6);
		expect(Math.max(...seen)).toBeLessThanOrEqual(2);
		expect(Math.max(...seen)).toBeGreaterThan(0);
	});

	it("gives back the slot of a node that died holding it, once its lease runs out", async () => {
		const prefix = `${namespace}-lease`;
		const limiter = new RedisRateLimiter(redis, { openai: { requestsPerMinute: 0, tokensPerMinute: 0, maxInFlight: 1 } }, { prefix, leaseMs: 200 });
		await limiter.acquire("openai", 1);
		// Never released, as if its node had crashed; the next caller still gets a turn.
		const next = await limiter.acquire("openai", 1);
		await next.release(1);
		expect(await redis.zcard(`${prefix}:{llm-limits:openai}:in-flight`)).toBe(0);
	});
});
