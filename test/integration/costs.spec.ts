/**
 * The cost API: every answered model call (an ai_generate, each turn of an agent) is
 * counted per day, owner, workflow and model through the real SDK path against the fake
 * LLM server, with LLM_CAPTURE off; users see their own spend, admins everyone's or one
 * user's, and bad parameters are refused naming the field.
 */
import { embeddedHarness, finished, postWorkflow, type EngineHarness } from "../support/engine-harness";
import type { TestNode } from "../support/broker";
import { createUser, loginAdmin, type TestUser } from "../support/factories";
import { FakeLlmServer, type RecordedRequest } from "../support/fake-llm-server";
import { describeWith } from "../support/env";
import { createTestDatabase } from "../support/postgres";

interface Figures {
	calls: number;
	input_tokens: number;
	output_tokens: number;
	cost_usd: number;
}
interface Report {
	group_by: string;
	from: string;
	to: string;
	rows: (Figures & { key: string })[];
	total: Figures;
}

const fake = new FakeLlmServer();
let h: EngineHarness & { readonly node: TestNode };
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;

const day = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
// A range around today, so a run that crosses midnight UTC still counts.
const around = () => `from=${day(-1)}&to=${day(1)}`;

/** Tokens by model: gpt-5.4 calls report 100 in and 20 out, gpt-4o-mini calls 1000 in and 200 out. */
function answer(req: RecordedRequest) {
	const usage = req.body.model === "gpt-5.4" ? { prompt: 100, completion: 20 } : { prompt: 1000, completion: 200 };
	const messages = (req.body.messages ?? []) as { role: string }[];
	// The agent asks for its tool once, then answers.
	if (Array.isArray(req.body.tools) && !messages.some(m => m.role === "tool")) return { toolCalls: [{ name: "lookup", arguments: { q: "hola" } }], usage };
	return { text: "done", usage };
}
// USD per call at the default prices: gpt-5.4 $2.5 / $15 per million, gpt-4o-mini $0.15 / $0.6.
const BIG = 100 * 2.5e-6 + 20 * 15e-6;
const SMALL = 1000 * 0.15e-6 + 200 * 0.6e-6;

const summarize = (model: string) => ({
	workflow_id: "summarize",
	version: "1.0.0",
	steps: [{ id: "summary", type: "ai_generate", params: { prompt: "Summarize.", model, max_tokens: 300 } }]
});

async function run(user: TestUser, workflowId: string): Promise<void> {
	const res = await h.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0", inputs: {} });
	expect(res.status).toBe(202);
	const until = Date.now() + 20_000;
	for (;;) {
		const e = (await h.http.get(`/api/v3/workflows/executions/${res.body.execution_id}`).set(user.auth)).body;
		if (finished(e)) {
			expect(e.status).toBe("completed");
			return;
		}
		if (Date.now() > until) throw new Error(`${workflowId} did not finish: ${JSON.stringify(e)}`);
		await new Promise(r => setTimeout(r, 50));
	}
}

async function costs(user: TestUser, query: string): Promise<{ status: number; body: Report & { error?: string; detail?: { path: string }[] } }> {
	const res = await h.http.get(`/api/v3/costs?${query}`).set(user.auth);
	return { status: res.status, body: res.body };
}

function expectFigures(actual: Figures, calls: number, input: number, output: number, usd: number): void {
	expect({ calls: actual.calls, input_tokens: actual.input_tokens, output_tokens: actual.output_tokens }).toEqual({ calls, input_tokens: input, output_tokens: output });
	expect(actual.cost_usd).toBeCloseTo(usd, 9);
}

beforeAll(() => fake.start());
afterAll(() => fake.stop());

function defineCostSuite(title: string, setup: () => Promise<{ env: Record<string, string>; drop?: () => Promise<void> }>): void {
	describe(title, () => {
		let drop: (() => Promise<void>) | undefined;
		beforeAll(async () => {
			const s = await setup();
			drop = s.drop;
			fake.reset();
			fake.respond = answer;
			h = await embeddedHarness({
				LLM_OPENAI_API_KEY: "sk-test-openai-key-0001",
				LLM_OPENAI_BASE_URL: fake.baseURL("openai"),
				LLM_PROVIDER_ORDER: "openai",
				LLM_RETRY_MAX_ATTEMPTS: "1",
				LLM_CAPTURE: "off",
				...s.env
			});
			alice = h.user;
			bob = await createUser(h.http, { tag: "bob" });
			admin = await loginAdmin(h.http);
			// Alice: summarize (one gpt-5.4 call) twice; translate once (one gpt-5.4 call, then an agent's two gpt-4o-mini turns).
			await postWorkflow(h, summarize("gpt-5.4"), alice);
			await postWorkflow(
				h,
				{
					workflow_id: "translate",
					version: "1.0.0",
					steps: [
						{ id: "draft", type: "ai_generate", params: { prompt: "Translate hello.", model: "gpt-5.4", max_tokens: 300 } },
						{
							id: "polish",
							type: "agent",
							depends_on: ["draft"],
							params: {
								model: "gpt-4o-mini",
								prompt: "Polish ${{ steps.draft.output.text }}",
								tools: [
									{
										name: "lookup",
										description: "Look a word up",
										http: { method: "GET", url: `${h.target.url}/ok?value=\${{ args.q }}` },
										parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] }
									}
								]
							}
						}
					]
				},
				alice
			);
			// Bob: his own summarize (same workflow id, another model) once.
			await postWorkflow(h, summarize("gpt-4o-mini"), bob);
			await Promise.all([run(alice, "summarize"), run(alice, "summarize"), run(alice, "translate"), run(bob, "summarize")]);
		}, 60_000);

		afterAll(async () => {
			await h?.stop();
			await drop?.();
		});

		it("counts every answered call, with no transcript kept", async () => {
			expect(fake.requestsTo("openai")).toHaveLength(6);
			expect(await h.sql("SELECT id FROM llm_calls")).toHaveLength(0);
		});

		it("groups an admin's view by workflow, model, user and day", async () => {
			const byWorkflow = await costs(admin, `group_by=workflow&${around()}`);
			expect(byWorkflow.status).toBe(200);
			expect(byWorkflow.body).toMatchObject({ group_by: "workflow", from: day(-1), to: day(1) });
			expect(byWorkflow.body.rows.map(r => r.key)).toEqual(["summarize", "translate"]);
			expectFigures(byWorkflow.body.rows[0], 3, 1200, 240, 2 * BIG + SMALL);
			expectFigures(byWorkflow.body.rows[1], 3, 2100, 420, BIG + 2 * SMALL);
			expectFigures(byWorkflow.body.total, 6, 3300, 660, 3 * BIG + 3 * SMALL);

			const byModel = (await costs(admin, `group_by=model&${around()}`)).body;
			expect(byModel.rows.map(r => r.key)).toEqual(["gpt-5.4", "gpt-4o-mini"]);
			expectFigures(byModel.rows[0], 3, 300, 60, 3 * BIG);
			expectFigures(byModel.rows[1], 3, 3000, 600, 3 * SMALL);

			const byUser = (await costs(admin, `group_by=user&${around()}`)).body;
			expect(byUser.rows.map(r => r.key)).toEqual([alice.user_id, bob.user_id]);
			expectFigures(byUser.rows[0], 5, 2300, 460, 3 * BIG + 2 * SMALL);
			expectFigures(byUser.rows[1], 1, 1000, 200, SMALL);

			const byDay = (await costs(admin, `group_by=day&${around()}`)).body;
			expect(byDay.rows.reduce((n, r) => n + r.calls, 0)).toBe(6);
			expect(byDay.rows.every(r => /^\d{4}-\d{2}-\d{2}$/.test(r.key))).toBe(true);
			expectFigures(byDay.total, 6, 3300, 660, 3 * BIG + 3 * SMALL);

			const bobOnly = (await costs(admin, `group_by=workflow&user_id=${bob.user_id}&${around()}`)).body;
			expect(bobOnly.rows.map(r => r.key)).toEqual(["summarize"]);
			expectFigures(bobOnly.total, 1, 1000, 200, SMALL);
		});

		it("shows a user only their own spend", async () => {
			const mine = await costs(alice, `group_by=model&${around()}`);
			expect(mine.status).toBe(200);
			expectFigures(mine.body.rows.find(r => r.key === "gpt-5.4")!, 3, 300, 60, 3 * BIG);
			expectFigures(mine.body.rows.find(r => r.key === "gpt-4o-mini")!, 2, 2000, 400, 2 * SMALL);
			expectFigures(mine.body.total, 5, 2300, 460, 3 * BIG + 2 * SMALL);

			const his = await costs(bob, `group_by=user&${around()}`);
			expect(his.body.rows.map(r => r.key)).toEqual([bob.user_id]);
			expect((await costs(bob, `group_by=user&user_id=${bob.user_id}&${around()}`)).body.total.calls).toBe(1);
			expect((await costs(bob, `group_by=user&user_id=${alice.user_id}`)).status).toBe(403);

			const someoneNew = await createUser(h.http);
			const none = await costs(someoneNew, "group_by=day");
			expect(none.status).toBe(200);
			expect(none.body.rows).toEqual([]);
			expectFigures(none.body.total, 0, 0, 0, 0);
			// The last 30 days by default.
			expect(none.body).toMatchObject({ group_by: "day", from: day(-29), to: day(0) });
		});

		it("refuses bad parameters naming the field", async () => {
			const cases: [string, string][] = [
				["group_by=week", "group_by"],
				["from=2026-1-1", "from"],
				["to=yesterday", "to"],
				["from=2026-02-30", "from"],
				["from=2026-03-02&to=2026-03-01", "from"],
				["from=2025-01-01&to=2026-03-01", "from"]
			];
			for (const [query, field] of cases) {
				const res = await costs(alice, query);
				expect({ query, status: res.status }).toEqual({ query, status: 422 });
				expect(res.body.detail?.map(d => d.path ?? (d as { field?: string }).field)).toContain(field);
			}
		});
	});
}

defineCostSuite("costs (embedded, SQLite)", async () => ({ env: {} }));

describeWith(["postgres"])("on PostgreSQL", () => {
	defineCostSuite("costs (PostgreSQL)", async () => {
		const db = await createTestDatabase();
		return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
	});
});
