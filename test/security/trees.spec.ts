import { runtimeOf } from "../../lib/runtime";
import type { TestNode } from "../support/broker";
import { embeddedHarness, execute, finished, postWorkflow, stepOf, waitForExecution, type EngineHarness } from "../support/engine-harness";
import { FakeLlmServer } from "../support/fake-llm-server";

type Harness = EngineHarness & { readonly node: TestNode };

async function sql<T = Record<string, unknown>>(h: Harness, query: string, bind: unknown[] = []): Promise<T[]> {
	return (await runtimeOf(h.node.broker).database()).sql.all<T>(query, bind);
}

/** Polls until `done` holds, failing after `timeoutMs`. */
async function until(done: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await done())) {
		if (Date.now() > deadline) throw new Error("the condition did not hold in time");
		await new Promise(r => setTimeout(r, 50));
	}
}

const calls = (target: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `call${i}`, type: "sub_workflow", params: { workflow_id: target } }));

/**
 * Issue 15, "sub-workflow trees are unbounded": two workflows that call each other three
 * times each made 88,573 executions from one request, and a run's LLM budget did not hold
 * across its tree. With the defaults the tree stops (EXECUTION_MAX_TREE_SIZE,
 * EXECUTION_MAX_DEPTH) with a clear error, and the root's budget covers every call.
 */
describe("bounded trees of sub-workflows (embedded, default limits)", () => {
	let h: Harness;
	beforeAll(async () => {
		h = await embeddedHarness();
	});
	afterAll(() => h.stop());

	it("stops two workflows that call each other three times each under 1,000 executions, failing the run with the limit's name", async () => {
		await postWorkflow(h, { workflow_id: "ping", version: "1.0.0", steps: calls("pong", 3) });
		await postWorkflow(h, { workflow_id: "pong", version: "1.0.0", steps: calls("ping", 3) });
		const id = await execute(h, "ping");
		const run = await waitForExecution(h, id, finished, 180_000);
		expect(run.status).toBe("failed");
		expect(run.error?.message).toMatch(/EXECUTION_MAX_TREE_SIZE|EXECUTION_MAX_DEPTH/);
		// Everything the tree started ends too: no execution keeps running.
		await until(async () => (await sql<{ n: number }>(h, "SELECT COUNT(*) AS n FROM executions WHERE status IN ('running', 'queued')"))[0].n === 0 || false);
		const [{ n }] = await sql<{ n: number }>(h, "SELECT COUNT(*) AS n FROM executions WHERE id = $1 OR root_execution_id = $1", [id]);
		expect(Number(n)).toBeLessThanOrEqual(1000);
		const [root] = await sql<{ tree_size: number }>(h, "SELECT tree_size FROM executions WHERE id = $1", [id]);
		expect(Number(root.tree_size)).toBe(Number(n));
		const refusals = await sql<{ error: string }>(h, "SELECT error FROM step_runs WHERE error LIKE '%execution_tree_limit%' OR error LIKE '%sub_workflow_depth%'");
		expect(refusals.length).toBeGreaterThan(0);
	});

	it("refuses a chain deeper than EXECUTION_MAX_DEPTH (8) as a step error", async () => {
		await postWorkflow(h, { workflow_id: "down", version: "1.0.0", steps: calls("under", 1) });
		await postWorkflow(h, { workflow_id: "under", version: "1.0.0", steps: calls("down", 1) });
		const run = await waitForExecution(h, await execute(h, "down"), finished, 60_000);
		expect(run.status).toBe("failed");
		expect(run.error?.message).toMatch(/nest deeper than 8 levels/);
		const deepest = await sql<{ depth: number }>(h, "SELECT MAX(depth) AS depth FROM executions WHERE root_execution_id = $1", [run.execution_id]);
		expect(Number(deepest[0].depth)).toBe(8);
	});
});

describe("the root's LLM budget covers its whole tree (embedded)", () => {
	const fake = new FakeLlmServer();
	let h: Harness;
	beforeAll(async () => {
		await fake.start();
		h = await embeddedHarness({ LLM_OPENAI_API_KEY: "sk-test-openai-key-0015", LLM_OPENAI_BASE_URL: fake.baseURL("openai"), LLM_PROVIDER_ORDER: "openai", LLM_RETRY_MAX_ATTEMPTS: "1" });
	});
	afterAll(async () => {
		await h.stop();
		await fake.stop();
	});

	it("refuses the calls of sub-workflows once the tree has used the root's budget", async () => {
		// Every call answers 10 + 200 tokens and may use up to its prompt plus 200: about four fit in 1,000.
		for (let i = 0; i < 12; i++) fake.script("openai", { usage: { prompt: 10, completion: 200 } });
		const ask = (id: string) => ({ id, type: "ai_generate", params: { prompt: `Write about ${id}`, max_tokens: 200 } });
		await postWorkflow(h, { workflow_id: "leaf", version: "1.0.0", steps: [ask("a"), { ...ask("b"), depends_on: ["a"] }] });
		await postWorkflow(h, { workflow_id: "tree-root", version: "1.0.0", budget: { max_tokens: 1000 }, steps: calls("leaf", 3) });
		const run = await waitForExecution(h, await execute(h, "tree-root"), finished, 60_000);
		expect(run.status).toBe("failed");
		const budgetErrors = await sql<{ error: string }>(h, "SELECT error FROM step_runs WHERE error LIKE '%budget_exceeded%'");
		expect(budgetErrors.length).toBeGreaterThan(0);
		// Six calls were wanted; a budget per execution (the old behaviour) would have let all six through.
		expect(fake.requestsTo("openai").length).toBeLessThanOrEqual(4);
		const [root] = await sql<{ tree_usage: string }>(h, "SELECT tree_usage FROM executions WHERE id = $1", [run.execution_id]);
		expect(JSON.parse(root.tree_usage).total_tokens).toBeLessThanOrEqual(1000);
		const spent = await sql<{ usage: string | null }>(h, "SELECT usage FROM step_runs WHERE type = 'ai_generate' AND usage IS NOT NULL");
		expect(spent.reduce((sum, r) => sum + JSON.parse(r.usage!).total_tokens, 0)).toBeLessThanOrEqual(1000);
		// Nothing stays reserved once the tree has ended.
		await until(async () => Number((await sql<{ n: number }>(h, "SELECT reserved_tokens AS n FROM executions WHERE id = $1", [run.execution_id]))[0].n) === 0);
	});
});

describe("a per-user cap on running executions (embedded, EXECUTION_MAX_RUNNING_PER_USER=2)", () => {
	let h: Harness;
	beforeAll(async () => {
		h = await embeddedHarness({ EXECUTION_MAX_RUNNING_PER_USER: "2" });
	});
	afterAll(() => h.stop());

	it("queues the runs over the cap, does not fail them, and starts each as a running one ends", async () => {
		await postWorkflow(h, { workflow_id: "held", version: "1.0.0", steps: [{ id: "gate", type: "approval" }, { id: "after", type: "transform", depends_on: ["gate"], params: { expression: "'done'" } }] });
		const ids = [await execute(h, "held"), await execute(h, "held"), await execute(h, "held")];
		const waiting = (e: { steps: { waiting_for: string | null }[] }) => e.steps.some(s => s.waiting_for === "approval");
		await waitForExecution(h, ids[0], waiting);
		await waitForExecution(h, ids[1], waiting);
		const third = (await h.http.get(`/api/v3/workflows/executions/${ids[2]}`).set(h.user.auth)).body;
		expect(third.status).toBe("queued");
		expect(third.steps.every((s: { status: string }) => s.status === "pending")).toBe(true);
		const queued = await h.http.get("/api/v3/workflows/executions").query({ status: "queued" }).set(h.user.auth).expect(200);
		expect(queued.body.executions.map((e: { execution_id: string }) => e.execution_id)).toEqual([ids[2]]);

		await h.http.post(`/api/v3/workflows/executions/${ids[0]}/steps/gate/approve`).set(h.user.auth).send({}).expect(200);
		await waitForExecution(h, ids[0], e => e.status === "completed");
		const started = await waitForExecution(h, ids[2], waiting);
		expect(started.status).toBe("running");
		await h.http.post(`/api/v3/workflows/executions/${ids[2]}/steps/gate/approve`).set(h.user.auth).send({}).expect(200);
		const done = await waitForExecution(h, ids[2], finished);
		expect(done.status).toBe("completed");
		expect(stepOf(done, "after").output).toBe("done");
	});
});
