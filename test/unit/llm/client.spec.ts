/** The client's retry, fallback, breaker, pricing and budget rules, with the real SDKs against the fake server. */
import type { AppError } from "../../../lib/errors";
import { FakeLlmServer } from "../../support/fake-llm-server";
import { ANTHROPIC_KEY, fakeClient, OPENAI_KEY } from "../../support/llm-client";

const server = new FakeLlmServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
afterEach(() => server.reset());

const ask = (extra: object = {}) => ({ messages: [{ role: "user" as const, content: "Write a haiku about rollbacks" }], ...extra });

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
	try {
		await promise;
	} catch (err) {
		return err as AppError;
	}
	throw new Error("expected the call to fail");
}

describe("LLM client", () => {
	it("answers from the default provider with usage, cost and latency", async () => {
		const { client } = fakeClient(server);
		server.script("openai", { text: "Quiet revert", usage: { prompt: 1000, completion: 500 } });
		const { result } = await client.complete(ask());
		expect(result).toMatchObject({
			text: "Quiet revert",
			provider: "openai",
			model: "gpt-5.4",
			usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
			// gpt-5.4: 1,000 × $2.50/M + 500 × $15/M
			cost_usd: 0.01,
			fallbacks: []
		});
		expect(result.latency_ms).toBeGreaterThanOrEqual(0);
	});

	it("retries a 429 after the Retry-After the provider asked for", async () => {
		const { client, clock } = fakeClient(server);
		server.script("openai", { status: 429, retryAfter: "2" }, { text: "ok" });
		const { result } = await client.complete(ask());
		expect(result.text).toBe("ok");
		expect(clock.sleeps).toEqual([2000]);
		expect(server.requestsTo("openai")).toHaveLength(2);
	});

	it("backs off exponentially on 5xx, then falls back to Anthropic with Anthropic's model for the tier", async () => {
		const { client, clock } = fakeClient(server);
		server.script("openai", { status: 500 }, { status: 502 }, { status: 503 });
		server.script("anthropic", { text: "from claude", usage: { prompt: 2000, completion: 1000 } });
		const { result } = await client.complete(ask({ model: "gpt-5.4" }));
		expect(clock.sleeps).toEqual([100, 200]);
		expect(server.requestsTo("openai")).toHaveLength(3);
		expect(server.requestsTo("anthropic").map(r => r.body.model)).toEqual(["claude-sonnet-4-6"]);
		expect(result).toMatchObject({ provider: "anthropic", model: "claude-sonnet-4-6", text: "from claude", cost_usd: 0.021 });
		expect(result.fallbacks).toEqual([{ provider: "openai", model: "gpt-5.4", reason: expect.stringContaining("openai answered 503") }]);
	});

	it("maps the small tier too, and moves on at once when Retry-After is longer than the policy allows", async () => {
		const { client, clock } = fakeClient(server);
		server.script("openai", { status: 429, retryAfter: "3600" });
		const { result } = await client.complete(ask({ agent_role: "executor" }));
		expect(clock.sleeps).toEqual([]);
		expect(server.requestsTo("anthropic")[0].body.model).toBe("claude-haiku-4-5");
		expect(result.model).toBe("claude-haiku-4-5");
	});

	it("falls back when a provider is too slow", async () => {
		const { client } = fakeClient(server, { timeout: 150, retry: { maxAttempts: 1, minDelay: 1, maxDelay: 1, multiplier: 1 } });
		server.script("openai", { delayMs: 3000 });
		const { result } = await client.complete(ask());
		expect(result.provider).toBe("anthropic");
		expect(result.fallbacks[0].reason).toContain("did not answer within 150 ms");
	});

	it("aborts the request in flight when the caller's signal aborts, and neither retries nor falls back", async () => {
		const { client } = fakeClient(server);
		server.script("openai", { delayMs: 30_000 });
		const controller = new AbortController();
		const call = errorOf(client.complete(ask(), { signal: controller.signal }));
		while (server.requests.length === 0) await new Promise(r => setTimeout(r, 10));
		controller.abort(new Error("step cancelled"));
		expect(await call).toMatchObject({ type: "llm_aborted" });
		while (!server.requests[0].abortedByClient) await new Promise(r => setTimeout(r, 10));
		expect(server.requests).toHaveLength(1);
		expect(client.breaker("openai").state).toBe("closed");
	});

	it("refuses a call whose signal has already aborted without calling anyone", async () => {
		const { client } = fakeClient(server);
		const controller = new AbortController();
		controller.abort(new Error("gone"));
		expect(await errorOf(client.complete(ask(), { signal: controller.signal }))).toMatchObject({ type: "llm_aborted" });
		expect(server.requests).toHaveLength(0);
	});

	it("neither retries nor falls back on a 4xx request error", async () => {
		const { client } = fakeClient(server);
		server.script("openai", { status: 400, message: "This model's maximum context length is 128000 tokens" });
		const err = await errorOf(client.complete(ask()));
		expect(err).toMatchObject({ code: 422, type: "llm_request_rejected" });
		expect(err.message).toContain("maximum context length");
		expect(server.requests).toHaveLength(1);
	});

	it("says which providers failed and why when none can answer", async () => {
		const { client } = fakeClient(server, { retry: { maxAttempts: 1, minDelay: 1, maxDelay: 1, multiplier: 1 } });
		server.script("openai", { status: 500 });
		server.script("anthropic", { status: 529, message: "Overloaded" });
		const err = await errorOf(client.complete(ask()));
		expect(err).toMatchObject({ code: 503, type: "llm_unavailable" });
		expect(err.message).toBe(
			"No LLM provider could answer: openai (gpt-5.4): openai answered 500: Scripted failure 500 (after 1 attempt); " +
				"anthropic (claude-sonnet-4-6): anthropic answered 529: Overloaded (after 1 attempt)"
		);
	});

	it("opens a provider's breaker after repeated failures, skips it, and lets one trial through after the reset timeout", async () => {
		const { client, clock } = fakeClient(server, {
			retry: { maxAttempts: 1, minDelay: 1, maxDelay: 1, multiplier: 1 },
			breaker: { failureThreshold: 2, resetTimeout: 10_000 }
		});
		server.script("openai", { status: 500 }, { status: 500 });
		await client.complete(ask());
		await client.complete(ask());
		expect(client.breaker("openai").state).toBe("open");

		const skipped = await client.complete(ask());
		expect(server.requestsTo("openai")).toHaveLength(2);
		expect(skipped.result.provider).toBe("anthropic");
		expect(skipped.result.fallbacks).toEqual([{ provider: "openai", model: "gpt-5.4", reason: "circuit open" }]);

		clock.advance(10_000);
		expect(client.breaker("openai").state).toBe("half-open");
		const trial = await client.complete(ask());
		expect(trial.result.provider).toBe("openai");
		expect(client.breaker("openai").state).toBe("closed");
	});

	it("streams deltas in order and returns the whole answer, retrying a failure that came before the first delta", async () => {
		const { client } = fakeClient(server);
		server.script("openai", { status: 503 }, { text: "one two three", usage: { prompt: 10, completion: 3 } });
		const deltas: string[] = [];
		const { result } = await client.complete(ask(), { onDelta: d => void deltas.push(d) });
		expect(deltas).toEqual(["one ", "two ", "three"]);
		expect(result).toMatchObject({ text: "one two three", usage: { total_tokens: 13 }, provider: "openai" });
	});

	it("streams from Anthropic after a fallback", async () => {
		const { client } = fakeClient(server, { retry: { maxAttempts: 1, minDelay: 1, maxDelay: 1, multiplier: 1 } });
		server.script("openai", { status: 500 });
		server.script("anthropic", { text: "alpha beta", usage: { prompt: 7, completion: 2 } });
		const deltas: string[] = [];
		const { result } = await client.complete(ask(), { onDelta: d => void deltas.push(d) });
		expect(deltas.join("")).toBe("alpha beta");
		expect(result).toMatchObject({ provider: "anthropic", model: "claude-sonnet-4-6", usage: { prompt_tokens: 7, completion_tokens: 2 } });
	});

	it("does not retry a stream that broke after text went out", async () => {
		const { client } = fakeClient(server);
		server.script("openai", { text: "a b c d", breakStreamAfter: 2 });
		const deltas: string[] = [];
		const err = await errorOf(client.complete(ask(), { onDelta: d => void deltas.push(d) }));
		expect(err).toMatchObject({ type: "llm_unavailable" });
		expect(deltas).toEqual(["a ", "b "]);
		expect(server.requests).toHaveLength(1);
	});

	it("refuses a call that would pass the budget before calling anyone", async () => {
		const { client } = fakeClient(server);
		const err = await errorOf(client.complete(ask({ max_tokens: 4000 }), { budget: { used_tokens: 29_000 } }));
		expect(err).toMatchObject({ code: 402, type: "budget_exceeded" });
		expect(err.message).toContain("only 3,000 of the execution's 32,000-token budget remain");
		expect(server.requests).toHaveLength(0);
	});

	it("refuses by cost with the table's prices", async () => {
		const { client } = fakeClient(server);
		// 100,000 output tokens of gpt-5.4 could cost $1.50 alone.
		const err = await errorOf(client.complete(ask({ max_tokens: 100_000 }), { budget: { max_tokens: 1_000_000, used_cost_usd: 0.5 } }));
		expect(err).toMatchObject({ type: "budget_exceeded", data: expect.objectContaining({ reason: "cost" }) });
	});

	it("adds the call to the budget and reports crossing 80 %", async () => {
		const { client } = fakeClient(server);
		server.script("openai", { usage: { prompt: 400, completion: 200 } });
		const { budget } = await client.complete(ask({ max_tokens: 1000 }), { budget: { max_tokens: 10_000, used_tokens: 7500 } });
		expect(budget).toEqual({ max_tokens: 10_000, max_cost_usd: 1, used_tokens: 8100, used_cost_usd: 0.004, crossed: ["tokens"] });
	});

	it("parses JSON answers, fenced or not, and says why when it cannot", async () => {
		const { client } = fakeClient(server);
		server.script("openai", { text: '```json\n{"steps": 2}\n```' }, { text: "Sure! Here it is" });
		expect((await client.complete(ask({ json: {} }))).result.json).toEqual({ steps: 2 });
		const bad = (await client.complete(ask({ json: {} }))).result;
		expect(bad.json).toBeUndefined();
		expect(bad.json_error).toContain("The answer is not JSON");
	});

	it("never puts a key in an error, even when the provider echoes it", async () => {
		const { client } = fakeClient(server);
		server.expectedKeys = { openai: "sk-the-right-one-000000" };
		const err = await errorOf(client.complete(ask()));
		expect(err).toMatchObject({ code: 502, type: "llm_auth_failed" });
		const everything = JSON.stringify({ message: err.message, stack: err.stack, data: err.data });
		expect(everything).not.toContain(OPENAI_KEY);
		expect(everything).not.toContain(ANTHROPIC_KEY);
		expect(err.message).toContain("[REDACTED]");
	});
});
