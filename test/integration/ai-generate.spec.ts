import type { Context, ServiceSchema } from "moleculer";
import { startTestNode, type TestNode } from "../support/broker";
import { execute, finished, postWorkflow, stepOf, waitForExecution, type EngineHarness } from "../support/engine-harness";
import { AUTH_ENV, createUser, type TestUser } from "../support/factories";
import { FakeLlmServer } from "../support/fake-llm-server";

/** An engine harness over one in-process node with the given settings (no restart needed here). */
async function nodeHarness(env: Record<string, string>, extraServices: ServiceSchema[] = []): Promise<{ h: EngineHarness; node: TestNode; user: TestUser }> {
	const node = await startTestNode({ env: { ...AUTH_ENV, ...env }, extraServices });
	const user = await createUser(node.http);
	const h = {
		mode: "embedded" as const,
		http: node.http,
		user,
		target: undefined as never,
		sql: async () => [],
		restartWorkers: async () => undefined,
		stop: () => node.stop()
	};
	return { h, node, user };
}

const summarize = (id: string, extra: Record<string, unknown> = {}) => ({
	workflow_id: id,
	version: "1.0.0",
	inputs: [{ name: "topic", type: "string", required: true }],
	steps: [
		{
			id: "summary",
			type: "ai_generate",
			agent_role: "summarizer",
			params: { prompt: "Summarize what ${{ inputs.topic }} means for workflow engines.", max_tokens: 200, ...extra }
		}
	]
});

describe("ai_generate steps", () => {
	describe("with no keys (the offline local provider)", () => {
		let ctx: Awaited<ReturnType<typeof nodeHarness>>;
		beforeAll(async () => {
			ctx = await nodeHarness({});
		});
		afterAll(() => ctx.h.stop());

		it("runs, labelled as the local provider, and records usage on the step and the execution", async () => {
			await postWorkflow(ctx.h, summarize("local-ai"));
			const e = await waitForExecution(ctx.h, await execute(ctx.h, "local-ai", { topic: "durable execution" }), finished);
			expect(e.status).toBe("completed");
			const output = stepOf(e, "summary").output as { text: string; provider: string; usage: { total_tokens: number }; cost_usd: number };
			expect(output.provider).toBe("local");
			expect(output.text).toContain("durable execution");
			expect(output.usage.total_tokens).toBeGreaterThan(0);
			const full = (await ctx.h.http.get(`/api/v3/workflows/executions/${e.execution_id}`).set(ctx.user.auth)).body;
			expect(full.usage.total_tokens).toBe(output.usage.total_tokens);
			expect(full.steps[0].usage.total_tokens).toBe(output.usage.total_tokens);
		});
	});

	describe("with keys pointed at a server speaking the vendors' protocols", () => {
		const fake = new FakeLlmServer();
		const tokens: { execution_id: string; step_id: string; seq: number; delta: string }[] = [];
		let ctx: Awaited<ReturnType<typeof nodeHarness>>;

		beforeAll(async () => {
			await fake.start();
			const listener: ServiceSchema = {
				name: "token-listener",
				events: {
					"llm.token"(c: Context<{ execution_id: string; step_id: string; seq: number; delta: string }>) {
						tokens.push(c.params);
					}
				}
			};
			ctx = await nodeHarness(
				{
					LLM_OPENAI_API_KEY: "sk-test-openai-key-0001",
					LLM_OPENAI_BASE_URL: fake.baseURL("openai"),
					LLM_ANTHROPIC_API_KEY: "sk-ant-test-anthropic-key-0001",
					LLM_ANTHROPIC_BASE_URL: fake.baseURL("anthropic"),
					LLM_PROVIDER_ORDER: "openai,anthropic",
					LLM_RETRY_MAX_ATTEMPTS: "1",
					LLM_RETRY_MIN_DELAY: "10ms"
				},
				[listener]
			);
		});
		afterAll(async () => {
			await ctx.h.stop();
			await fake.stop();
		});
		beforeEach(() => fake.reset());

		it("calls OpenAI through its SDK, with the prompt templated, and sums usage and cost", async () => {
			fake.script("openai", { text: "Durable execution survives crashes.", usage: { prompt: 1000, completion: 500 } });
			await postWorkflow(ctx.h, summarize("openai-ai"));
			const e = await waitForExecution(ctx.h, await execute(ctx.h, "openai-ai", { topic: "durability" }), finished);
			expect(e.status).toBe("completed");
			const output = stepOf(e, "summary").output as Record<string, unknown>;
			expect(output).toMatchObject({ text: "Durable execution survives crashes.", provider: "openai", usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 } });
			expect(output.cost_usd as number).toBeGreaterThan(0);
			const sent = fake.requestsTo("openai")[0];
			expect(JSON.stringify(sent.body.messages)).toContain("Summarize what durability means");
			expect(sent.headers.authorization).toBe("Bearer sk-test-openai-key-0001");
		});

		it("falls back to Anthropic with Anthropic's model when OpenAI keeps failing", async () => {
			fake.script("openai", { status: 500 }, { status: 500 }, { status: 500 });
			fake.script("anthropic", { text: "From Claude." });
			await postWorkflow(ctx.h, summarize("fallback-ai"));
			const e = await waitForExecution(ctx.h, await execute(ctx.h, "fallback-ai", { topic: "x" }), finished);
			expect(e.status).toBe("completed");
			const output = stepOf(e, "summary").output as { provider: string; model: string };
			expect(output.provider).toBe("anthropic");
			expect(output.model).toMatch(/^claude/);
			expect(String(fake.requestsTo("anthropic")[0].body.model)).toMatch(/^claude/);
		});

		it("asks for JSON, validates it against json_schema, and retries an answer that does not match", async () => {
			const schema = { type: "object", required: ["score"], properties: { score: { type: "integer", minimum: 0, maximum: 10 } } };
			fake.script("openai", { text: '{"score": "high"}' }, { text: '{"score": 7}' });
			await postWorkflow(ctx.h, {
				...summarize("json-ai", { json_schema: schema }),
				steps: [{ ...summarize("x").steps[0], retry: 1, retry_delay: "10ms", params: { prompt: "Rate ${{ inputs.topic }}", json_schema: schema } }]
			});
			const e = await waitForExecution(ctx.h, await execute(ctx.h, "json-ai", { topic: "y" }), finished);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "summary").attempts).toBe(2);
			expect((stepOf(e, "summary").output as { json: unknown }).json).toEqual({ score: 7 });
		});

		it("refuses a call that would pass the execution's token budget, failing the step with a readable error", async () => {
			await postWorkflow(ctx.h, { ...summarize("budget-ai"), budget: { max_tokens: 50 } });
			const e = await waitForExecution(ctx.h, await execute(ctx.h, "budget-ai", { topic: "z" }), finished);
			expect(e.status).toBe("failed");
			expect(stepOf(e, "summary").error?.message).toMatch(/budget/i);
			expect(fake.requestsTo("openai")).toHaveLength(0);
		});

		it("streams tokens to subscribers as they arrive, tagged with the execution and step", async () => {
			fake.script("openai", { text: "one two three four" });
			await postWorkflow(ctx.h, summarize("stream-ai", { stream: true }));
			const id = await execute(ctx.h, "stream-ai", { topic: "w" });
			const e = await waitForExecution(ctx.h, id, finished);
			expect(e.status).toBe("completed");
			const mine = tokens.filter(t => t.execution_id === id);
			expect(mine.length).toBeGreaterThan(1);
			expect(mine.map(t => t.delta).join("")).toBe((stepOf(e, "summary").output as { text: string }).text);
			expect(mine.every(t => t.step_id === "summary")).toBe(true);
		});
	});
});
