/**
 * An ai_generate step on an execution node whose LLM call runs on another node (the
 * gateway's llm service): cancelling the execution, or the step timing out, aborts the
 * call in flight there. The real OpenAI SDK calls the fake server in this process.
 */
import { clusterHarness, execute, finished, postWorkflow, stepOf, waitForExecution } from "../support/engine-harness";
import { available } from "../support/env";
import { FakeLlmServer } from "../support/fake-llm-server";

const maybe = available("postgres") && available("nats") ? describe : describe.skip;

async function until(done: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await done())) {
		if (Date.now() > deadline) throw new Error("the condition did not hold in time");
		await new Promise(r => setTimeout(r, 20));
	}
}

maybe("LLM calls across nodes", () => {
	const fake = new FakeLlmServer();
	let h: Awaited<ReturnType<typeof clusterHarness>>;

	beforeAll(async () => {
		await fake.start();
		h = await clusterHarness(1, {
			LLM_OPENAI_API_KEY: "sk-test-openai-key-cluster",
			LLM_OPENAI_BASE_URL: fake.baseURL("openai"),
			LLM_PROVIDER_ORDER: "openai",
			LLM_RETRY_MAX_ATTEMPTS: "1"
		});
	});
	afterAll(async () => {
		await h?.stop();
		await fake.stop();
	});
	beforeEach(() => fake.reset());

	const slow = (id: string, timeout?: string) => ({
		workflow_id: id,
		version: "1.0.0",
		steps: [{ id: "ask", type: "ai_generate", ...(timeout ? { timeout } : {}), params: { prompt: "Take your time", max_tokens: 100 } }]
	});

	it("cancelling the execution aborts the call on the node running it", async () => {
		fake.script("openai", { delayMs: 60_000 });
		await postWorkflow(h, slow("cluster-cancel-ai"));
		const id = await execute(h, "cluster-cancel-ai");
		await until(() => fake.requestsTo("openai").length === 1);
		await h.http.post(`/api/v3/workflows/executions/${id}/cancel`).set(h.user.auth).send({}).expect(200);
		await until(() => fake.requestsTo("openai")[0].abortedByClient);
		// The aborted call gives its reservation back once its failure has come back to the step's node.
		await until(async () => Number((await h.sql<{ reserved_tokens: string }>("SELECT reserved_tokens FROM executions WHERE id = $1", [id]))[0].reserved_tokens) === 0);
	});

	it("a step's timeout aborts the call on the node running it", async () => {
		fake.script("openai", { delayMs: 60_000 });
		await postWorkflow(h, slow("cluster-timeout-ai", "3s"));
		const e = await waitForExecution(h, await execute(h, "cluster-timeout-ai"), finished);
		expect(stepOf(e, "ask").error?.type).toBe("timeout");
		await until(() => fake.requestsTo("openai")[0]?.abortedByClient);
	});
});
