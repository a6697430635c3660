/**
 * LLM transcripts: the model calls of runs whose workflow says `llm_capture: true` (here
 * LLM_CAPTURE is off) are kept with their messages, answer, tool calls, usage and latency,
 * secrets masked, listed per run for its owner, and pruned and archived with the run.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { embeddedHarness, execute, finished, postWorkflow, waitForExecution, type EngineHarness } from "../support/engine-harness";
import type { TestNode } from "../support/broker";
import { describeWith } from "../support/env";
import { createUser, loginAdmin } from "../support/factories";
import { FakeLlmServer } from "../support/fake-llm-server";
import { createTestDatabase } from "../support/postgres";

interface Call {
	step_id: string;
	attempt: number;
	status: string;
	provider: string;
	model: string;
	request: { messages: { role: string; content: string; tool_calls?: unknown[]; name?: string }[]; system: string | null; tools: string[] };
	response: { text: string; tool_calls: { id: string; name: string; arguments: unknown }[] } | null;
	usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
	latency_ms: number;
	truncated: boolean;
}

const fake = new FakeLlmServer();
let h: EngineHarness & { readonly node: TestNode };

beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

async function llmCalls(id: string, auth = h.user.auth): Promise<{ status: number; body: { llm_calls: Call[]; total: number; page: number; page_size: number } }> {
	const res = await h.http.get(`/api/v3/workflows/executions/${id}/llm-calls`).set(auth);
	return { status: res.status, body: res.body };
}

const generate = (id: string, prompt: string, capture: boolean) => ({
	workflow_id: id,
	version: "1.0.0",
	...(capture ? { llm_capture: true } : {}),
	inputs: [{ name: "topic", type: "string", default: "durability" }],
	steps: [{ id: "summary", type: "ai_generate", params: { prompt, system: "Be brief.", model: "gpt-5.4", max_tokens: 100 } }]
});

function defineTranscriptSuite(title: string, setup: () => Promise<{ env: Record<string, string>; drop?: () => Promise<void> }>): void {
	describe(title, () => {
		let drop: (() => Promise<void>) | undefined;
		beforeAll(async () => {
			const s = await setup();
			drop = s.drop;
			h = await embeddedHarness({
				LLM_OPENAI_API_KEY: "sk-test-openai-key-0001",
				LLM_OPENAI_BASE_URL: fake.baseURL("openai"),
				LLM_PROVIDER_ORDER: "openai",
				LLM_RETRY_MAX_ATTEMPTS: "1",
				STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
				...s.env
			});
		});
		afterAll(async () => {
			await h?.stop();
			await drop?.();
		});

		it("keeps an ai_generate call's messages, answer, usage, latency, provider and model", async () => {
			fake.script("openai", { text: "Durable runs survive crashes.", usage: { prompt: 12, completion: 5 } });
			await postWorkflow(h, generate("captured-generate", "Summarize ${{ inputs.topic }}.", true));
			const run = await waitForExecution(h, await execute(h, "captured-generate", { topic: "durability" }), finished);
			expect(run.status).toBe("completed");
			const { status, body } = await llmCalls(run.execution_id);
			expect(status).toBe(200);
			expect(body).toMatchObject({ total: 1, page: 1, page_size: 20 });
			const [call] = body.llm_calls;
			expect(call).toMatchObject({
				step_id: "summary",
				attempt: 1,
				status: "completed",
				provider: "openai",
				model: "gpt-5.4",
				request: { system: "Be brief.", messages: [{ role: "user", content: "Summarize durability." }], tools: [] },
				response: { text: "Durable runs survive crashes.", tool_calls: [] },
				usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
				truncated: false
			});
			expect(call.latency_ms).toBeGreaterThanOrEqual(0);
		});

		it("keeps each turn of an agent, with the tool calls it asked for and their results fed back", async () => {
			fake.script("openai", { toolCalls: [{ id: "s1", name: "search_docs", arguments: { q: "umbrella" } }] });
			fake.script("openai", { text: "No umbrella needed." });
			await postWorkflow(h, {
				workflow_id: "captured-agent",
				version: "1.0.0",
				llm_capture: true,
				steps: [
					{
						id: "ask",
						type: "agent",
						params: {
							model: "gpt-5.4",
							prompt: "Do I need an umbrella?",
							tools: [
								{
									name: "search_docs",
									description: "Search the docs",
									http: { method: "GET", url: `${h.target.url}/ok?value=\${{ args.q }}` },
									parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] }
								}
							]
						}
					}
				]
			});
			const run = await waitForExecution(h, await execute(h, "captured-agent"), finished);
			expect(run.status).toBe("completed");
			const { body } = await llmCalls(run.execution_id);
			expect(body.total).toBe(2);
			const [first, second] = body.llm_calls;
			expect(first).toMatchObject({ step_id: "ask", status: "completed", request: { tools: ["search_docs"] }, response: { tool_calls: [{ id: "s1", name: "search_docs", arguments: { q: "umbrella" } }] } });
			expect(first.request.messages.at(-1)).toMatchObject({ role: "user", content: "Do I need an umbrella?" });
			// The second turn carried the assistant's tool call and the tool's result.
			const roles = second.request.messages.map(m => m.role);
			expect(roles.slice(-2)).toEqual(["assistant", "tool"]);
			expect(second.request.messages.at(-1)).toMatchObject({ role: "tool", name: "search_docs", content: '{"value":"umbrella"}' });
			expect(second.response).toMatchObject({ text: "No umbrella needed.", tool_calls: [] });
			// Pages: one call per page.
			const page2 = (await h.http.get(`/api/v3/workflows/executions/${run.execution_id}/llm-calls?page=2&page_size=1`).set(h.user.auth)).body;
			expect(page2).toMatchObject({ total: 2, page: 2, page_size: 1 });
			expect(page2.llm_calls.map((c: Call) => c.response?.text)).toEqual(["No umbrella needed."]);
		});

		it("keeps nothing when neither LLM_CAPTURE nor the workflow asks for it", async () => {
			fake.script("openai", { text: "Not kept." });
			await postWorkflow(h, generate("uncaptured-generate", "Summarize ${{ inputs.topic }}.", false));
			const run = await waitForExecution(h, await execute(h, "uncaptured-generate"), finished);
			expect(run.status).toBe("completed");
			expect(fake.requestsTo("openai")).toHaveLength(1);
			const { status, body } = await llmCalls(run.execution_id);
			expect(status).toBe(200);
			expect(body).toMatchObject({ llm_calls: [], total: 0 });
			expect(await h.sql("SELECT id FROM llm_calls WHERE execution_id = $1", [run.execution_id])).toEqual([]);
		});

		it("masks a secret the prompt read, in the request and in an answer that repeats it", async () => {
			const value = "tok-transcript-9f8e7d6c5b4a";
			expect((await h.http.put("/api/v3/secrets/TRANSCRIPT_TOKEN").set(h.user.auth).send({ value })).status).toBeLessThan(300);
			fake.script("openai", { text: `I saw ${value}.` });
			await postWorkflow(h, generate("captured-secret", "Use the key ${{ secrets.TRANSCRIPT_TOKEN }} for ${{ inputs.topic }}.", true));
			const run = await waitForExecution(h, await execute(h, "captured-secret"), finished);
			expect(run.status).toBe("completed");
			// The model was sent the value itself.
			expect(JSON.stringify(fake.requestsTo("openai")[0].body.messages)).toContain(value);
			const { body } = await llmCalls(run.execution_id);
			expect(body.llm_calls[0].request.messages[0].content).toBe("Use the key *** for durability.");
			expect(body.llm_calls[0].response?.text).toBe("I saw ***.");
			const rows = await h.sql<Record<string, unknown>>("SELECT * FROM llm_calls WHERE execution_id = $1", [run.execution_id]);
			expect(rows).toHaveLength(1);
			expect(JSON.stringify(rows)).not.toContain(value);
		});

		it("answers 404 for another user's run, and 422 naming a bad page", async () => {
			fake.script("openai", { text: "Mine." });
			await postWorkflow(h, generate("captured-private", "Summarize ${{ inputs.topic }}.", true));
			const run = await waitForExecution(h, await execute(h, "captured-private"), finished);
			const other = await createUser(h.http);
			expect((await llmCalls(run.execution_id, other.auth)).status).toBe(404);
			expect((await llmCalls("00000000-0000-4000-8000-000000000000")).status).toBe(404);
			const admin = await loginAdmin(h.http);
			expect((await llmCalls(run.execution_id, admin.auth)).body.total).toBe(1);
			const bad = await h.http.get(`/api/v3/workflows/executions/${run.execution_id}/llm-calls?page_size=1000`).set(h.user.auth);
			expect(bad.status).toBe(422);
			expect(JSON.stringify(bad.body.detail)).toContain("page_size");
		});

		it("refuses an llm_capture that is not true or false at upload", async () => {
			const res = await h.http.post("/api/v3/workflows").set(h.user.auth).send({ ...generate("bad-capture", "x", false), llm_capture: "yes" });
			expect(res.status).toBe(422);
			expect(res.body.detail).toEqual([expect.objectContaining({ path: "llm_capture" })]);
		});

		it("prunes a run's calls with it, and archives them in its line", async () => {
			fake.script("openai", { text: "Archived answer." });
			await postWorkflow(h, generate("captured-pruned", "Summarize ${{ inputs.topic }}.", true));
			const run = await waitForExecution(h, await execute(h, "captured-pruned"), finished);
			expect(run.status).toBe("completed");
			expect((await llmCalls(run.execution_id)).body.total).toBe(1);
			const admin = await loginAdmin(h.http);
			const res = await h.http.post("/api/v3/admin/prune").set(admin.auth).send({ older_than: "0s" });
			expect(res.status).toBe(200);
			expect(await h.sql("SELECT id FROM llm_calls WHERE execution_id = $1", [run.execution_id])).toEqual([]);
			expect((await llmCalls(run.execution_id)).status).toBe(404);
			const lines = (res.body.archives as string[]).flatMap(name =>
				gunzipSync(readFileSync(path.join(h.node.dataDir, "archive", name)))
					.toString("utf8")
					.trim()
					.split("\n")
					.map(l => JSON.parse(l) as { execution: { id: string }; llm_calls: { step_id: string; response: string }[] })
			);
			const line = lines.find(l => l.execution.id === run.execution_id)!;
			expect(line.llm_calls).toHaveLength(1);
			expect(JSON.parse(line.llm_calls[0].response)).toMatchObject({ text: "Archived answer." });
		});
	});
}

defineTranscriptSuite("LLM transcripts (embedded, SQLite)", async () => ({ env: {} }));

describeWith(["postgres"])("on PostgreSQL", () => {
	defineTranscriptSuite("LLM transcripts (PostgreSQL)", async () => {
		const db = await createTestDatabase();
		return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
	});
});
