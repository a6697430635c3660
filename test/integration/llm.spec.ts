/** The `llm.complete` action on an in-process broker: local with no keys, and the real SDKs against the fake server. */
import type { ServiceBroker, ServiceSchema } from "moleculer";
import { ServiceBroker as Broker } from "moleculer";
import { loadConfig } from "../../lib/config";
import { createRootLogger } from "../../lib/logging";
import { attachRuntime, Runtime } from "../../lib/runtime";
import { brokerOptions } from "../../moleculer.config";
import LlmService, { type TokenEvent } from "../../services/llm.service";
import { startTestNode, type TestNode } from "../support/broker";
import { FakeLlmServer } from "../support/fake-llm-server";
import { LogCapture } from "../support/logs";

const OPENAI_KEY = "sk-integration-openai-abcdef123456";
const ANTHROPIC_KEY = "sk-ant-integration-abcdef123456";

/** Collects the events the LLM service emits, as the engine or the notifier would. */
function listener(received: { tokens: TokenEvent[]; thresholds: Record<string, unknown>[] }): ServiceSchema {
	return {
		name: "llm-listener",
		events: {
			"llm.token"(ctx: { params: TokenEvent }) {
				received.tokens.push(ctx.params);
			},
			"llm.budget.threshold"(ctx: { params: Record<string, unknown> }) {
				received.thresholds.push(ctx.params);
			}
		}
	};
}

describe("llm.complete with no keys", () => {
	let node: TestNode;
	const received = { tokens: [] as TokenEvent[], thresholds: [] as Record<string, unknown>[] };
	beforeAll(async () => {
		node = await startTestNode({ services: ["llm"], extraServices: [listener(received)] });
	});
	afterAll(() => node.stop());

	it("answers with the local provider, labelled, and the same way twice", async () => {
		const params = { prompt: "Plan the rollout of version 2", agent_role: "planner" };
		const first = await node.broker.call("llm.complete", params);
		const second = await node.broker.call("llm.complete", params);
		expect(first).toMatchObject({ provider: "local", model: "local-echo", cost_usd: 0, fallbacks: [] });
		expect((first as { text: string }).text).toContain("no language model was called");
		expect({ ...(first as object), latency_ms: 0 }).toEqual({ ...(second as object), latency_ms: 0 });
	});

	it("streams each delta as an llm.token event with the caller's correlation, in order", async () => {
		const result = (await node.broker.call("llm.complete", {
			prompt: "Say hello",
			stream: true,
			correlation: { execution_id: "exec-1", step_id: "greet", attempt: 1 }
		})) as { text: string };
		await new Promise(resolve => setImmediate(resolve));
		expect(received.tokens.length).toBeGreaterThan(3);
		expect(received.tokens.map(t => t.seq)).toEqual(received.tokens.map((_, i) => i));
		expect(received.tokens.map(t => t.delta).join("")).toBe(result.text);
		expect(received.tokens[0]).toEqual({ execution_id: "exec-1", step_id: "greet", attempt: 1, seq: 0, delta: expect.any(String) });
	});

	it("returns the budget after the call and emits an event when it crosses 80 %", async () => {
		const result = (await node.broker.call("llm.complete", {
			prompt: "Summarize",
			max_tokens: 100,
			correlation: { execution_id: "exec-2" },
			budget: { max_tokens: 1000, used_tokens: 750 }
		})) as { usage: { total_tokens: number }; budget: Record<string, unknown> };
		expect(result.budget).toEqual({ max_tokens: 1000, max_cost_usd: 1, used_tokens: 750 + result.usage.total_tokens, used_cost_usd: 0, crossed: ["tokens"] });
		expect(received.thresholds).toEqual([{ execution_id: "exec-2", limit: "tokens", ratio: 0.8, used: 750 + result.usage.total_tokens, max: 1000 }]);
	});

	it("refuses a call over budget with a message the user can read", async () => {
		await expect(node.broker.call("llm.complete", { prompt: "Write a novel", max_tokens: 5000, budget: { used_tokens: 30_000 } })).rejects.toMatchObject({
			code: 402,
			type: "budget_exceeded",
			message: expect.stringContaining("but only 2,000 of the execution's 32,000-token budget remain")
		});
	});

	it("refuses bad input with a 422 naming the field", async () => {
		await expect(node.broker.call("llm.complete", { system: "no prompt" })).rejects.toMatchObject({
			code: 422,
			data: [{ path: "prompt", message: "Give a prompt or at least one user message" }]
		});
		await expect(node.broker.call("llm.complete", { prompt: "x", temperature: 7 })).rejects.toMatchObject({
			code: 422,
			data: [expect.objectContaining({ field: "temperature" })]
		});
		await expect(node.broker.call("llm.complete", { prompt: "x", provider: "openai" })).rejects.toMatchObject({
			code: 422,
			message: "The openai provider is not configured (set LLM_OPENAI_API_KEY)"
		});
	});
});

describe("llm.complete with keys pointed at the fake server", () => {
	const server = new FakeLlmServer();
	let node: TestNode;
	const received = { tokens: [] as TokenEvent[], thresholds: [] as Record<string, unknown>[] };
	beforeAll(async () => {
		await server.start();
		node = await startTestNode({
			services: ["llm"],
			extraServices: [listener(received)],
			env: {
				OBSERVABILITY_LOG_LEVEL: "debug",
				LLM_OPENAI_API_KEY: OPENAI_KEY,
				LLM_OPENAI_BASE_URL: server.baseURL("openai"),
				LLM_ANTHROPIC_API_KEY: ANTHROPIC_KEY,
				LLM_ANTHROPIC_BASE_URL: server.baseURL("anthropic"),
				LLM_RETRY_MIN_DELAY: "10ms",
				LLM_RETRY_MAX_DELAY: "2s"
			}
		});
	});
	afterAll(async () => {
		await node.stop();
		await server.stop();
	});
	afterEach(() => server.reset());

	it("answers from OpenAI first, priced from the table", async () => {
		server.script("openai", { text: "Ship it", usage: { prompt: 1000, completion: 500 } });
		const result = await node.broker.call("llm.complete", { prompt: "Should we ship?" });
		expect(result).toMatchObject({ text: "Ship it", provider: "openai", model: "gpt-5.4", cost_usd: 0.01, usage: { total_tokens: 1500 } });
		expect(server.requestsTo("openai")[0].body.model).toBe("gpt-5.4");
	});

	it("falls back to Anthropic with Anthropic's model for the role's tier, honouring Retry-After first", async () => {
		server.script("openai", { status: 429, retryAfter: "0" }, { status: 500 }, { status: 503 });
		server.script("anthropic", { text: "Summary", usage: { prompt: 100, completion: 10 } });
		const result = await node.broker.call("llm.complete", { prompt: "Summarize the incident", agent_role: "summarizer" });
		expect(server.requestsTo("openai").map(r => r.body.model)).toEqual(["gpt-5.4-mini", "gpt-5.4-mini", "gpt-5.4-mini"]);
		expect(server.requestsTo("anthropic").map(r => r.body.model)).toEqual(["claude-haiku-4-5"]);
		expect(result).toMatchObject({ provider: "anthropic", model: "claude-haiku-4-5", text: "Summary", cost_usd: 0.00015 });
	});

	it("streams from Anthropic as llm.token events", async () => {
		server.script("anthropic", { text: "one two three" });
		const result = (await node.broker.call("llm.complete", { prompt: "Count", provider: "anthropic", stream: true, correlation: { step_id: "count" } })) as {
			text: string;
		};
		await new Promise(resolve => setImmediate(resolve));
		const mine = received.tokens.filter(t => t.step_id === "count");
		expect(mine.map(t => t.delta)).toEqual(["one ", "two ", "three"]);
		expect(result.text).toBe("one two three");
		expect(server.requestsTo("anthropic")[0].stream).toBe(true);
	});

	it("keeps the keys out of errors and logs, even when the provider echoes them", async () => {
		server.expectedKeys = { openai: "another", anthropic: "another" };
		const err = (await node.broker.call("llm.complete", { prompt: "Hi" }).catch((e: unknown) => e)) as Error & { data?: unknown };
		expect(err).toMatchObject({ code: 502, type: "llm_auth_failed" });
		const everything = JSON.stringify({ message: err.message, stack: err.stack, data: err.data }) + node.logs.text();
		expect(node.logs.raw.length).toBeGreaterThan(0);
		expect(everything).not.toContain(OPENAI_KEY);
		expect(everything).not.toContain(ANTHROPIC_KEY);
	});
});

describe("llm metrics", () => {
	const server = new FakeLlmServer();
	let broker: ServiceBroker;
	beforeAll(async () => {
		await server.start();
		const config = loadConfig({
			ENVIRONMENT: "test",
			LLM_OPENAI_API_KEY: OPENAI_KEY,
			LLM_OPENAI_BASE_URL: server.baseURL("openai"),
			LLM_ANTHROPIC_API_KEY: ANTHROPIC_KEY,
			LLM_ANTHROPIC_BASE_URL: server.baseURL("anthropic"),
			LLM_RETRY_MAX_ATTEMPTS: "1"
		});
		const runtime = new Runtime(config, createRootLogger({ level: "warn", base: {}, destination: new LogCapture() }));
		broker = new Broker({ ...brokerOptions(config, runtime), metrics: { enabled: true, reporter: [] }, skipProcessEventRegistration: true });
		attachRuntime(broker, runtime);
		broker.createService(LlmService);
		await broker.start();
	});
	afterAll(async () => {
		await broker.stop();
		await server.stop();
	});

	const valueOf = (name: string, labels: Record<string, string>) => broker.metrics.getMetric(name)?.get(labels)?.value;

	it("counts requests by outcome, tokens by type and cost by model", async () => {
		server.script("openai", { status: 500 }, { usage: { prompt: 1000, completion: 500 } });
		server.script("anthropic", { usage: { prompt: 2000, completion: 1000 } });
		await broker.call("llm.complete", { prompt: "a" });
		await broker.call("llm.complete", { prompt: "b" });
		expect(valueOf("llm_requests_total", { provider: "openai", model: "gpt-5.4", status: "server_error" })).toBe(1);
		expect(valueOf("llm_requests_total", { provider: "openai", model: "gpt-5.4", status: "success" })).toBe(1);
		expect(valueOf("llm_requests_total", { provider: "anthropic", model: "claude-sonnet-4-6", status: "success" })).toBe(1);
		expect(valueOf("llm_tokens_used_total", { provider: "openai", model: "gpt-5.4", token_type: "prompt" })).toBe(1000);
		expect(valueOf("llm_tokens_used_total", { provider: "openai", model: "gpt-5.4", token_type: "completion" })).toBe(500);
		expect(valueOf("llm_cost_usd_total", { provider: "openai", model: "gpt-5.4" })).toBeCloseTo(0.01, 10);
		expect(valueOf("llm_cost_usd_total", { provider: "anthropic", model: "claude-sonnet-4-6" })).toBeCloseTo(0.021, 10);
		const duration = broker.metrics.getMetric("llm_request_duration_seconds")?.get({ provider: "openai", model: "gpt-5.4" }) as { count?: number } | null;
		expect(duration?.count).toBe(2);
	});
});
