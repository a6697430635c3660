import type { Context, ServiceSchema } from "moleculer";
import { startTestNode, type TestNode } from "../support/broker";
import { execute, finished, postWorkflow, stepOf, waitForExecution, type EngineHarness } from "../support/engine-harness";
import type { Usage } from "../../lib/engine/types";
import { runtimeOf } from "../../lib/runtime";
import { createTestDatabase } from "../support/postgres";
import { AUTH_ENV, createUser, type TestUser } from "../support/factories";
import { FakeLlmServer } from "../support/fake-llm-server";
import { watchStatements } from "../support/statements";

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

/** Polls until `done` holds (the fake server saw something), failing after `timeoutMs`. */
async function until(done: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await done())) {
		if (Date.now() > deadline) throw new Error("the condition did not hold in time");
		await new Promise(r => setTimeout(r, 20));
	}
}


async function fullExecution(h: EngineHarness, id: string): Promise<{ usage: Usage | null; steps: { step_id: string; usage: Usage | null }[] }> {
	return (await h.http.get(`/api/v3/workflows/executions/${id}`).set(h.user.auth)).body;
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

		it("cancelling the execution aborts its step's LLM call in flight", async () => {
			fake.script("openai", { delayMs: 60_000 });
			await postWorkflow(ctx.h, summarize("cancel-ai"));
			const id = await execute(ctx.h, "cancel-ai", { topic: "slow" });
			await until(() => fake.requestsTo("openai").length === 1);
			const res = await ctx.h.http.post(`/api/v3/workflows/executions/${id}/cancel`).set(ctx.user.auth).send({});
			expect(res.status).toBe(200);
			await until(() => fake.requestsTo("openai")[0].abortedByClient);
		});

		it("a step that times out aborts its LLM call in flight", async () => {
			fake.script("openai", { delayMs: 60_000 });
			await postWorkflow(ctx.h, { ...summarize("timeout-ai"), steps: [{ ...summarize("x").steps[0], timeout: "3s" }] });
			const e = await waitForExecution(ctx.h, await execute(ctx.h, "timeout-ai", { topic: "slow" }), finished);
			expect(e.status).toBe("failed");
			expect(stepOf(e, "summary").error?.type).toBe("timeout");
			await until(() => fake.requestsTo("openai")[0]?.abortedByClient);
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

describe.each(["sqlite", "postgres"] as const)("LLM tokens and budgets of an execution on %s", dialect => {
	const fake = new FakeLlmServer();
	let ctx: Awaited<ReturnType<typeof nodeHarness>>;
	let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;

	beforeAll(async () => {
		await fake.start();
		if (dialect === "postgres") db = await createTestDatabase();
		ctx = await nodeHarness({
			LLM_OPENAI_API_KEY: "sk-test-openai-key-0002",
			LLM_OPENAI_BASE_URL: fake.baseURL("openai"),
			LLM_PROVIDER_ORDER: "openai",
			LLM_RETRY_MAX_ATTEMPTS: "1",
			...(db ? { DATABASE_URL: db.url } : {})
		});
	});
	afterAll(async () => {
		await ctx.h.stop();
		await fake.stop();
		await db?.drop();
	});
	beforeEach(() => fake.reset());

	/** What the execution's LLM calls in flight hold against its budget (nothing once they have all answered). */
	async function reserved(id: string): Promise<{ tokens: number; cost_usd: number }> {
		const db = await runtimeOf(ctx.node.broker).database();
		const [row] = await db.sql.all<Record<string, unknown>>("SELECT reserved_tokens, reserved_cost_usd FROM executions WHERE id = $1", [id]);
		return { tokens: Number(row.reserved_tokens), cost_usd: Number(row.reserved_cost_usd) };
	}

	it("holds a call's worst case while it is in flight, and the sweeper gives back what a lost node's call held", async () => {
		fake.script("openai", { delayMs: 60_000 });
		await postWorkflow(ctx.h, { workflow_id: "lost-reservation", version: "1.0.0", steps: [{ id: "ask", type: "ai_generate", params: { prompt: "Say something", max_tokens: 300 } }] });
		const id = await execute(ctx.h, "lost-reservation");
		await until(() => fake.requestsTo("openai").length === 1);
		const held = await reserved(id);
		expect(held.tokens).toBeGreaterThan(300);
		// The node running the call "dies": its lease lapses and the sweeper recovers the step.
		const db = await runtimeOf(ctx.node.broker).database();
		await db.sqlTransaction(tx => tx.run("UPDATE step_runs SET lease_owner = 'a-dead-node', lease_expires_at = 1 WHERE execution_id = $1", [id]));
		const engine = (ctx.node.broker.getLocalService("execution") as unknown as { engine: { sweep(graceMs: number): Promise<{ recovered: number }> } }).engine;
		expect((await engine.sweep(60_000)).recovered).toBe(1);
		expect(await reserved(id)).toEqual({ tokens: 0, cost_usd: 0 });
		// The lost call, when it ends, gives back nothing more than its step still holds.
		await ctx.h.http.post(`/api/v3/workflows/executions/${id}/cancel`).set(ctx.user.auth).send({}).expect(200);
		await until(() => fake.requestsTo("openai")[0].abortedByClient);
		await new Promise(r => setTimeout(r, 100));
		expect(await reserved(id)).toEqual({ tokens: 0, cost_usd: 0 });
	});

	const schema = { type: "object", required: ["score"], properties: { score: { type: "integer" } } };
	const rated = (id: string, extra: Record<string, unknown> = {}) => ({
		workflow_id: id,
		version: "1.0.0",
		steps: [{ id: "rate", type: "ai_generate", retry: 1, retry_delay: "10ms", params: { prompt: "Rate this", max_tokens: 100, json_schema: schema } }],
		...extra
	});

	it("charges the tokens of an attempt whose answer was not the JSON asked for, on the step and the execution", async () => {
		fake.script("openai", { text: '{"score": "high"}', usage: { prompt: 100, completion: 50 } }, { text: '{"score": 7}', usage: { prompt: 100, completion: 20 } });
		await postWorkflow(ctx.h, rated("charged-retry"));
		const e = await waitForExecution(ctx.h, await execute(ctx.h, "charged-retry"), finished);
		expect(e.status).toBe("completed");
		expect(stepOf(e, "rate").attempts).toBe(2);
		const full = await fullExecution(ctx.h, e.execution_id);
		expect(full.usage).toMatchObject({ prompt_tokens: 200, completion_tokens: 70, total_tokens: 270 });
		expect(full.usage!.cost_usd).toBeGreaterThan(0);
		// The execution holds sums only; the step also names who answered and how long its calls took.
		expect(Object.keys(full.usage!).sort()).toEqual(["completion_tokens", "cost_usd", "prompt_tokens", "total_tokens"]);
		const step = full.steps.find(s => s.step_id === "rate")!.usage!;
		expect(step).toMatchObject({ prompt_tokens: 200, completion_tokens: 70, total_tokens: 270, cost_usd: full.usage!.cost_usd, provider: "openai", model: "gpt-5.4" });
		expect(step.latency_ms).toEqual(expect.any(Number));
		expect(await reserved(e.execution_id)).toEqual({ tokens: 0, cost_usd: 0 });
	});

	it("charges a failed step's tokens to its failed execution", async () => {
		fake.script("openai", { text: "not json at all", usage: { prompt: 30, completion: 12 } });
		await postWorkflow(ctx.h, rated("charged-failure", { steps: [{ ...rated("x").steps[0], retry: 0 }] }));
		const e = await waitForExecution(ctx.h, await execute(ctx.h, "charged-failure"), finished);
		expect(e.status).toBe("failed");
		expect(stepOf(e, "rate").error?.type).toBe("invalid_json");
		const full = await fullExecution(ctx.h, e.execution_id);
		expect(full.usage).toMatchObject({ total_tokens: 42 });
		expect(full.steps[0].usage).toMatchObject({ total_tokens: 42, provider: "openai" });
	});

	it("counts a failed attempt's tokens against the budget: the retry that would pass it is refused", async () => {
		fake.script("openai", { text: '{"score": "high"}', usage: { prompt: 450, completion: 450 } }, { text: '{"score": 7}' });
		await postWorkflow(ctx.h, rated("budget-after-failure", { budget: { max_tokens: 1000 } }));
		const e = await waitForExecution(ctx.h, await execute(ctx.h, "budget-after-failure"), finished);
		expect(e.status).toBe("failed");
		expect(stepOf(e, "rate").error?.type).toBe("budget_exceeded");
		expect(fake.requestsTo("openai")).toHaveLength(1);
		expect((await fullExecution(ctx.h, e.execution_id)).usage).toMatchObject({ total_tokens: 900 });
	});

	it("takes a budget reservation again when the database ended it at the statement timeout (a loaded database), and the call is made once", async () => {
		fake.script("openai", { text: '{"score": 7}', usage: { prompt: 10, completion: 5 } });
		await postWorkflow(ctx.h, rated("reservation-timed-out", { budget: { max_tokens: 1000 } }));
		// The first reservation's lock of the execution row fails as PostgreSQL's statement_timeout does.
		const db = await runtimeOf(ctx.node.broker).database();
		let timedOut = 0;
		const watching = watchStatements(db, sql => {
			if (timedOut === 0 && /^SELECT (e\.)?status, (e\.)?usage, (e\.)?tree_usage, (e\.)?budget/.test(sql)) {
				timedOut++;
				throw Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
			}
		});
		try {
			const e = await waitForExecution(ctx.h, await execute(ctx.h, "reservation-timed-out"), finished);
			expect(timedOut).toBe(1);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "rate")).toMatchObject({ attempts: 1, output: expect.objectContaining({ json: { score: 7 } }) });
			expect(fake.requestsTo("openai")).toHaveLength(1);
		} finally {
			watching.restore();
		}
	});

	it("refuses calls of parallel steps that together would pass the budget", async () => {
		// Each call may use its prompt plus 200 tokens: two fit in 600, three never do.
		for (let i = 0; i < 4; i++) fake.script("openai", { delayMs: 400, usage: { prompt: 10, completion: 200 } });
		const step = (id: string) => ({ id, type: "ai_generate", params: { prompt: `Write about ${id}`, max_tokens: 200 } });
		await postWorkflow(ctx.h, { workflow_id: "parallel-budget", version: "1.0.0", budget: { max_tokens: 600 }, steps: ["a", "b", "c", "d"].map(step) });
		const e = await waitForExecution(ctx.h, await execute(ctx.h, "parallel-budget"), finished);
		expect(e.status).toBe("failed");
		expect(e.error?.type).toBe("budget_exceeded");
		expect(fake.requestsTo("openai").length).toBeLessThanOrEqual(2);
		const full = await fullExecution(ctx.h, e.execution_id);
		expect(full.usage?.total_tokens ?? 0).toBeLessThanOrEqual(600);
		// Refused and aborted calls give their reservations back.
		await until(async () => (await reserved(e.execution_id)).tokens === 0);
	});
});
