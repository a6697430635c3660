/**
 * Evals: a dataset of three items, two versions of a workflow evaluated over it with every
 * scorer type (the judge through the wire fake of the LLM vendors), the aggregates each
 * should get, the side-by-side comparison, and the routes' validation and ownership.
 */
import { embeddedHarness, execute, finished, postWorkflow, waitForExecution, type EngineHarness } from "../support/engine-harness";
import type { TestNode } from "../support/broker";
import { describeWith } from "../support/env";
import { createUser, loginAdmin } from "../support/factories";
import { FakeLlmServer } from "../support/fake-llm-server";
import { createTestDatabase } from "../support/postgres";

const fake = new FakeLlmServer();
let h: EngineHarness & { readonly node: TestNode };

beforeAll(async () => {
	await fake.start();
	// The judge: full marks for a greeting that ends with "!", half for any other.
	fake.respond = request => {
		const prompt = JSON.stringify(request.body.messages);
		const output = prompt.slice(prompt.lastIndexOf("Output:"));
		return { text: JSON.stringify({ score: output.includes("!") ? 1 : 0.5, reason: "graded" }) };
	};
});
afterAll(() => fake.stop());

const greeter = (version: string, expression: string) => ({
	workflow_id: "greeter",
	version,
	inputs: [{ name: "who", type: "string", required: true }],
	outputs: [{ name: "greeting", value: "${{ steps.greet.output }}" }],
	steps: [{ id: "greet", type: "transform", params: { expression } }]
});

const items = [
	{ inputs: { who: "Ada" }, expected: { greeting: "Hello, Ada" } },
	{ inputs: { who: "Bob" }, expected: { greeting: "Hello, Bob" } },
	{ inputs: { who: "Cy" }, expected: { greeting: "Hello, Cy!" } }
];

const scorers = [
	{ type: "exact" },
	{ type: "contains", path: "greeting" },
	{ type: "json_schema", schema: { type: "object", required: ["greeting"], properties: { greeting: { type: "string", pattern: "!$" } } } },
	{ type: "jsonata", expression: "$length(outputs.greeting) <= 10" },
	{ type: "llm_judge", rubric: "An enthusiastic greeting ends with an exclamation mark." }
];

interface EvalView {
	status: string;
	error: string | null;
	aggregates: Record<string, number>;
	progress: { items: number; scored: number };
	items: { execution_id: string | null; outputs: unknown; scores: Record<string, { score: number }> | null; error: string | null }[];
}

async function finishedEval(id: string, auth = h.user.auth): Promise<EvalView> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const res = await h.http.get(`/api/v3/evals/${id}`).set(auth);
		expect(res.status).toBe(200);
		if (res.body.status !== "running") return res.body;
		if (Date.now() > deadline) throw new Error(`the eval did not finish: ${JSON.stringify(res.body)}`);
		await new Promise(r => setTimeout(r, 50));
	}
}

function defineEvalSuite(title: string, setup: () => Promise<{ env: Record<string, string>; drop?: () => Promise<void> }>): void {
	describe(title, () => {
		let datasetId: string;
		let drop: (() => Promise<void>) | undefined;

		beforeAll(async () => {
			const s = await setup();
			drop = s.drop;
			h = await embeddedHarness({
				LLM_OPENAI_API_KEY: "sk-test-openai-key-0001",
				LLM_OPENAI_BASE_URL: fake.baseURL("openai"),
				LLM_PROVIDER_ORDER: "openai",
				LLM_RETRY_MAX_ATTEMPTS: "1",
				EVAL_TICK_INTERVAL: "50ms",
				EVAL_CONCURRENCY: "2",
				EVAL_DATASET_MAX_ITEMS: "5",
				...s.env
			});
		});
		afterAll(async () => {
			await h?.stop();
			await drop?.();
		});

		it("stores a dataset and answers it to its owner only", async () => {
			const created = await h.http.post("/api/v3/datasets").set(h.user.auth).send({ name: "greetings", items });
			expect(created.status).toBe(201);
			datasetId = created.body.id;
			const got = await h.http.get(`/api/v3/datasets/${datasetId}`).set(h.user.auth);
			expect(got.body).toMatchObject({ id: datasetId, name: "greetings", item_count: 3, items });
			const list = await h.http.get("/api/v3/datasets").set(h.user.auth);
			expect(list.body).toMatchObject({ total: 1, datasets: [{ id: datasetId, item_count: 3 }] });
			const other = await createUser(h.http);
			expect((await h.http.get(`/api/v3/datasets/${datasetId}`).set(other.auth)).status).toBe(404);
			expect((await h.http.delete(`/api/v3/datasets/${datasetId}`).set(other.auth)).status).toBe(404);
		});

		it("refuses datasets and evals that are not valid, naming the field", async () => {
			const noName = await h.http.post("/api/v3/datasets").set(h.user.auth).send({ items });
			expect(noName.status).toBe(422);
			expect(JSON.stringify(noName.body.detail)).toContain("name");
			const tooMany = await h.http.post("/api/v3/datasets").set(h.user.auth).send({ name: "big", items: Array.from({ length: 6 }, () => items[0]) });
			expect(tooMany.status).toBe(422);
			expect(tooMany.body.detail).toEqual([expect.objectContaining({ path: "items" })]);
			const noInputs = await h.http.post("/api/v3/datasets").set(h.user.auth).send({ name: "x", items: [{ expected: 1 }] });
			expect(noInputs.status).toBe(422);
			expect(JSON.stringify(noInputs.body.detail)).toContain("inputs");

			await postWorkflow(h, greeter("1.0.0", "'Hello, ' & inputs.who"));
			const base = { workflow_id: "greeter", workflow_version: "1.0.0", dataset_id: datasetId };
			const badType = await h.http.post("/api/v3/evals").set(h.user.auth).send({ ...base, scorers: [{ type: "vibes" }] });
			expect(badType.status).toBe(422);
			expect(badType.body.detail).toEqual([expect.objectContaining({ path: "scorers[0].type" })]);
			const badExpression = await h.http.post("/api/v3/evals").set(h.user.auth).send({ ...base, scorers: [{ type: "exact" }, { type: "jsonata", expression: "outputs.(" }] });
			expect(badExpression.status).toBe(422);
			expect(badExpression.body.detail).toEqual([expect.objectContaining({ path: "scorers[1].expression" })]);
			const noRubric = await h.http.post("/api/v3/evals").set(h.user.auth).send({ ...base, scorers: [{ type: "llm_judge" }] });
			expect(noRubric.body.detail).toEqual([expect.objectContaining({ path: "scorers[0].rubric" })]);
			const noScorers = await h.http.post("/api/v3/evals").set(h.user.auth).send({ ...base, scorers: [] });
			expect(noScorers.status).toBe(422);
			expect(JSON.stringify(noScorers.body.detail)).toContain("scorers");
			expect((await h.http.post("/api/v3/evals").set(h.user.auth).send({ ...base, workflow_version: "9.9.9", scorers: [{ type: "exact" }] })).status).toBe(404);
			expect((await h.http.post("/api/v3/evals").set(h.user.auth).send({ ...base, dataset_id: "00000000-0000-4000-8000-000000000000", scorers: [{ type: "exact" }] })).status).toBe(404);
		});

		it("takes a dataset from JSON lines, refusing a bad line by its number", async () => {
			const post = (body: Record<string, unknown>) => h.http.post("/api/v3/datasets").set(h.user.auth).send({ name: "lines", ...body });
			const jsonl = `${JSON.stringify(items[0])}\r\n\n${JSON.stringify({ inputs: { who: "Dee" } })}\n`;
			const created = await post({ jsonl });
			expect(created.status).toBe(201);
			const got = await h.http.get(`/api/v3/datasets/${created.body.id}`).set(h.user.auth);
			expect(got.body).toMatchObject({ item_count: 2, items: [items[0], { inputs: { who: "Dee" } }] });

			const refused = async (body: Record<string, unknown>, path: string, message: RegExp) => {
				const res = await post(body);
				expect(res.status).toBe(422);
				expect(res.body.detail).toEqual([{ path, message: expect.stringMatching(message) }]);
				return res;
			};
			const notJson = await refused({ jsonl: `${JSON.stringify(items[0])}\n{"inputs": \n` }, "jsonl", /^line 2: not JSON/);
			expect(notJson.body.message).toBe("Line 2 of jsonl is not a dataset item");
			await refused({ jsonl: `${JSON.stringify(items[0])}\n\n{"expected": 1}` }, "jsonl", /^line 3: 'inputs' must be an object/);
			await refused({ jsonl: '{"inputs": {}, "extra": 1}' }, "jsonl", /^line 1: unknown field 'extra'/);
			await refused({ jsonl: "[1]" }, "jsonl", /^line 1: must be an object/);
			await refused({ jsonl: Array.from({ length: 6 }, () => JSON.stringify(items[0])).join("\n") }, "jsonl", /^line 6: a dataset holds at most 5 items/);
			await refused({ jsonl: " \n\n" }, "jsonl", /holds no items/);
			await refused({ items, jsonl }, "jsonl", /exactly one of/);
			await refused({}, "items", /exactly one of/);
		});

		it("takes a dataset from past runs: their inputs, and their outputs as expected", async () => {
			await postWorkflow(h, {
				workflow_id: "shout",
				version: "1.0.0",
				inputs: [{ name: "who", type: "string", required: true }],
				outputs: [{ name: "greeting", value: "${{ steps.greet.output }}" }],
				steps: [{ id: "greet", type: "transform", params: { expression: "inputs.who = 'Zed' ? $error('no Zed') : 'Hi, ' & inputs.who" } }]
			});
			for (const who of ["Ada", "Bob", "Cy", "Zed"]) await waitForExecution(h, await execute(h, "shout", { who }), finished);
			const post = (from_executions: Record<string, unknown>, auth = h.user.auth) => h.http.post("/api/v3/datasets").set(auth).send({ name: "past runs", from_executions });
			const items = async (from_executions: Record<string, unknown>) => {
				const created = await post(from_executions);
				expect(created.status).toBe(201);
				return (await h.http.get(`/api/v3/datasets/${created.body.id}`).set(h.user.auth)).body.items;
			};
			// Newest first; completed runs by default.
			const all = await items({ workflow_id: "shout", workflow_version: "1.0.0" });
			expect(all).toEqual([
				{ inputs: { who: "Cy" }, expected: { greeting: "Hi, Cy" } },
				{ inputs: { who: "Bob" }, expected: { greeting: "Hi, Bob" } },
				{ inputs: { who: "Ada" }, expected: { greeting: "Hi, Ada" } }
			]);
			expect(await items({ workflow_id: "shout", limit: 2 })).toEqual(all.slice(0, 2));
			expect(await items({ workflow_id: "shout", status: "failed" })).toEqual([{ inputs: { who: "Zed" } }]);

			const refused = async (res: { status: number; body: { detail: unknown } }, path: string) => {
				expect(res.status).toBe(422);
				expect(res.body.detail).toEqual([expect.objectContaining({ path })]);
			};
			await refused(await post({ workflow_id: "shout", limit: 6 }), "from_executions.limit");
			await refused(await post({ workflow_id: "shout", limit: 0 }), "from_executions.limit");
			const running = await post({ workflow_id: "shout", status: "running" });
			await refused(running, "from_executions.status");
			expect(running.body.detail[0].message).toBe("The 'from_executions.status' field must be one of completed, failed, cancelled.");
			await refused(await post({ workflow_id: "shout", workflow_version: "9.9.9" }), "from_executions");
			const unknown = await post({ workflow_id: "shout", unknown: 1 });
			await refused(unknown, "from_executions");
			expect(JSON.stringify(unknown.body.detail)).toContain("'unknown'");
			// Only the caller's own runs.
			await refused(await post({ workflow_id: "shout" }, (await createUser(h.http)).auth), "from_executions");

			// The runs of today are the expectations of tomorrow: the same version scores full marks.
			const dataset = await post({ workflow_id: "shout" });
			const res = await h.http.post("/api/v3/evals").set(h.user.auth).send({ workflow_id: "shout", workflow_version: "1.0.0", dataset_id: dataset.body.id, scorers: [{ type: "exact" }] });
			expect(res.status).toBe(201);
			const e = await finishedEval(res.body.id);
			expect(e).toMatchObject({ status: "completed", aggregates: { exact: 1 } });
		});

		it("evaluates two versions over a 3-item dataset with the expected aggregate scores, and compares them", async () => {
			await postWorkflow(h, greeter("2.0.0", "'Hello, ' & inputs.who & '!'"));
			const start = async (version: string) => {
				const res = await h.http.post("/api/v3/evals").set(h.user.auth).send({ workflow_id: "greeter", workflow_version: version, dataset_id: datasetId, scorers });
				expect(res.status).toBe(201);
				return res.body.id as string;
			};
			const [a, b] = [await start("1.0.0"), await start("2.0.0")];
			const one = await finishedEval(a);
			const two = await finishedEval(b);
			expect(one.status).toBe("completed");
			expect(two.status).toBe("completed");
			// v1 greets "Hello, X": exact and contains on Ada and Bob, never "!", all within 10 characters, the judge's half marks.
			expect(one.aggregates).toEqual({ exact: 2 / 3, contains: 2 / 3, json_schema: 0, jsonata: 1, llm_judge: 0.5 });
			// v2 greets "Hello, X!": exact only on Cy, contains everywhere, "!" always, only "Hello, Cy!" within 10, the judge's full marks.
			expect(two.aggregates).toEqual({ exact: 1 / 3, contains: 1, json_schema: 1, jsonata: 1 / 3, llm_judge: 1 });
			expect(one.progress).toEqual({ items: 3, scored: 3 });
			expect(one.items.map(i => i.outputs)).toEqual([{ greeting: "Hello, Ada" }, { greeting: "Hello, Bob" }, { greeting: "Hello, Cy" }]);
			expect(one.items[0]).toMatchObject({ run_status: "completed", scores: { exact: { score: 1 }, llm_judge: { score: 0.5, reason: "graded" } } });
			// Each item ran once, as the owner, through the engine.
			const run = await h.http.get(`/api/v3/workflows/executions/${one.items[0].execution_id}`).set(h.user.auth);
			expect(run.body).toMatchObject({ status: "completed", workflow_id: "greeter", workflow_version: "1.0.0", owner_id: h.user.user_id });

			const compare = await h.http.get(`/api/v3/evals/compare?a=${a}&b=${b}`).set(h.user.auth);
			expect(compare.status).toBe(200);
			const exact = compare.body.scorers.find((s: { name: string }) => s.name === "exact");
			expect(exact.a).toBeCloseTo(2 / 3);
			expect(exact.b).toBeCloseTo(1 / 3);
			expect(exact.delta).toBeCloseTo(-1 / 3);
			expect(compare.body.items).toHaveLength(3);
			expect(compare.body.items[2]).toMatchObject({ position: 2, inputs: { who: "Cy" }, a: { outputs: { greeting: "Hello, Cy" } }, b: { outputs: { greeting: "Hello, Cy!" } } });
			expect(compare.body.a).toMatchObject({ id: a, workflow_version: "1.0.0" });

			const other = await createUser(h.http);
			expect((await h.http.get(`/api/v3/evals/${a}`).set(other.auth)).status).toBe(404);
			expect((await h.http.get(`/api/v3/evals/compare?a=${a}&b=${b}`).set(other.auth)).status).toBe(404);
			expect((await h.http.get(`/api/v3/evals/compare?a=${a}`).set(h.user.auth)).status).toBe(422);
		});

		it("lists the caller's evals newest first, narrowed by workflow, version and status; admins see everyone's", async () => {
			const mine = await h.http.get("/api/v3/evals?workflow_id=greeter").set(h.user.auth);
			expect(mine.status).toBe(200);
			expect(mine.body).toMatchObject({ total: 2, page: 1, page_size: 20 });
			const [newest, oldest] = mine.body.evals;
			expect(newest).toMatchObject({ workflow_id: "greeter", workflow_version: "2.0.0", status: "completed", progress: { items: 3, scored: 3 }, owner_id: h.user.user_id });
			expect(newest.aggregates).toEqual({ exact: 1 / 3, contains: 1, json_schema: 1, jsonata: 1 / 3, llm_judge: 1 });
			expect(newest.scorers.map((s: { name: string }) => s.name)).toEqual(["exact", "contains", "json_schema", "jsonata", "llm_judge"]);
			expect(newest).not.toHaveProperty("items");
			expect(oldest).toMatchObject({ workflow_version: "1.0.0" });
			const paged = await h.http.get("/api/v3/evals?workflow_id=greeter&page=2&page_size=1").set(h.user.auth);
			expect(paged.body).toMatchObject({ total: 2, page: 2, page_size: 1, evals: [{ id: oldest.id }] });
			expect((await h.http.get("/api/v3/evals?workflow_id=greeter&workflow_version=1.0.0").set(h.user.auth)).body.evals.map((e: { id: string }) => e.id)).toEqual([oldest.id]);
			expect((await h.http.get("/api/v3/evals?status=failed").set(h.user.auth)).body).toMatchObject({ total: 0, evals: [] });
			// Another user sees none of them; an admin sees them all.
			const other = await createUser(h.http);
			expect((await h.http.get("/api/v3/evals").set(other.auth)).body).toMatchObject({ total: 0, evals: [] });
			const admin = await loginAdmin(h.http);
			expect((await h.http.get("/api/v3/evals?workflow_id=greeter").set(admin.auth)).body.evals.map((e: { id: string }) => e.id)).toEqual([newest.id, oldest.id]);
			// Hostile parameters are refused, naming the field.
			const bad = await h.http.get("/api/v3/evals?status=sideways&page_size=1000").set(h.user.auth);
			expect(bad.status).toBe(422);
			expect(JSON.stringify(bad.body.detail)).toContain("status");
			expect(JSON.stringify(bad.body.detail)).toContain("page_size");
		});

		it("scores 0 an item whose run cannot start, and keeps an eval whole when its dataset is deleted", async () => {
			const created = await h.http.post("/api/v3/datasets").set(h.user.auth).send({ name: "one bad", items: [items[0], { inputs: {}, expected: { greeting: "Hello, nobody" } }] });
			const res = await h.http.post("/api/v3/evals").set(h.user.auth).send({ workflow_id: "greeter", workflow_version: "1.0.0", dataset_id: created.body.id, scorers: [{ type: "exact" }] });
			expect((await h.http.delete(`/api/v3/datasets/${created.body.id}`).set(h.user.auth)).status).toBe(204);
			const e = await finishedEval(res.body.id);
			expect(e.status).toBe("completed");
			expect(e.aggregates).toEqual({ exact: 0.5 });
			expect(e.items[1]).toMatchObject({ execution_id: null, scores: { exact: { score: 0 } } });
			expect(e.items[1].error).toMatch(/could not start/);
			expect((await h.http.get(`/api/v3/datasets/${created.body.id}`).set(h.user.auth)).status).toBe(404);
		});

		it("fails an eval whose workflow version cannot run", async () => {
			await postWorkflow(h, { ...greeter("3.0.0-draft", "'Hello'"), status: "draft" });
			const res = await h.http.post("/api/v3/evals").set(h.user.auth).send({ workflow_id: "greeter", workflow_version: "3.0.0-draft", dataset_id: datasetId, scorers: [{ type: "exact" }] });
			expect(res.status).toBe(201);
			const e = await finishedEval(res.body.id);
			expect(e.status).toBe("failed");
			expect(e.error).toMatch(/draft/);
		});
	});
}

defineEvalSuite("evals (embedded, SQLite)", async () => ({ env: {} }));

describeWith(["postgres"])("on PostgreSQL", () => {
	defineEvalSuite("evals (PostgreSQL)", async () => {
		const db = await createTestDatabase();
		return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
	});
});
