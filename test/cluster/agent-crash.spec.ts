/**
 * A node killed (SIGKILL) while an agent step's tool call is in flight: embedded (the
 * process restarts on the same data directory) and in a cluster (another execution node
 * takes the step over). The run completes; the fake LLM server saw each finished turn
 * once; the ledger holds each tool call once; the tool call that had finished before the
 * kill did not run again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import supertest from "supertest";
import { waitForRoute } from "../support/engine-harness";
import { describeWith } from "../support/env";
import { AUTH_ENV, createUser, type TestUser } from "../support/factories";
import { FakeLlmServer, toolResultsOf, turnsBefore } from "../support/fake-llm-server";
import { startNodeProcess, type NodeProcess } from "../support/node-process";
import { startTargetServer, type TargetServer } from "../support/target-server";
import { startWorkerCluster, type WorkerCluster } from "../support/worker-cluster";

type Http = ReturnType<typeof supertest>;

const fake = new FakeLlmServer();
beforeAll(() => fake.start());
afterAll(() => fake.stop());

const llmEnv = () => ({
	LLM_OPENAI_API_KEY: "sk-test-openai-key-0001",
	LLM_OPENAI_BASE_URL: fake.baseURL("openai"),
	LLM_PROVIDER_ORDER: "openai",
	LLM_RETRY_MAX_ATTEMPTS: "1",
	STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
	// Quick recovery keeps the test short; production defaults are in lib/config.ts.
	ENGINE_LEASE_TTL: "1500ms",
	ENGINE_SWEEP_INTERVAL: "200ms",
	ENGINE_DISPATCH_GRACE: "1s"
});

interface Entry {
	kind: string;
	call_id?: string;
	turn?: number;
}

/** Starts the agent run: turn 1 asks for a quick and a slow HTTP tool at once, turn 2 answers. */
async function startRun(http: Http, user: TestUser, target: TargetServer): Promise<string> {
	fake.reset();
	fake.respond = req =>
		turnsBefore(req) === 0
			? {
					toolCalls: [
						{ id: "quick", name: "quick", arguments: { v: "q" } },
						{ id: "slow", name: "slow", arguments: { ms: 4000 } }
					]
				}
			: { text: `done after ${toolResultsOf(req).length} results` };
	const param = (name: string) => ({ type: "object", properties: { [name]: { type: name === "ms" ? "integer" : "string" } }, required: [name] });
	await http
		.post("/api/v3/workflows")
		.set(user.auth)
		.send({
			workflow_id: "crash-agent",
			version: "1.0.0",
			steps: [
				{
					id: "ask",
					type: "agent",
					timeout: "60s",
					params: {
						prompt: "Do both",
						model: "gpt-5.4",
						tools: [
							{ name: "quick", http: { url: `${target.url}/ok?value=\${{ args.v }}` }, parameters: param("v") },
							{ name: "slow", http: { url: `${target.url}/slow?ms=\${{ args.ms }}` }, parameters: param("ms") }
						]
					}
				}
			]
		})
		.expect(201);
	const res = await http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "crash-agent", workflow_version: "1.0.0" }).expect(202);
	return res.body.execution_id as string;
}

async function transcript(http: Http, user: TestUser, id: string): Promise<Entry[]> {
	const res = await http.get(`/api/v3/workflows/executions/${id}/steps/ask/transcript`).set(user.auth);
	return res.status === 200 ? (res.body.entries as Entry[]) : [];
}

/** Until the quick call is journaled and the slow one is in flight at the target. */
async function untilMidToolCall(http: Http, user: TestUser, target: TargetServer, id: string): Promise<void> {
	for (;;) {
		const entries = await transcript(http, user, id);
		if (entries.some(e => e.kind === "tool" && e.call_id === "quick") && target.calls.get(`agent:${id}:ask:slow`)) return;
		await new Promise(r => setTimeout(r, 25));
	}
}

async function expectCompletedOnce(http: Http, user: TestUser, target: TargetServer, id: string): Promise<void> {
	let e: { status: string; steps: { output: { text: string; turns: number; tool_calls: unknown[] } }[] };
	for (;;) {
		e = (await http.get(`/api/v3/workflows/executions/${id}`).set(user.auth)).body;
		if (["completed", "failed", "cancelled"].includes(e.status)) break;
		await new Promise(r => setTimeout(r, 100));
	}
	expect(e.status).toBe("completed");
	expect(e.steps[0].output).toMatchObject({ text: "done after 2 results", turns: 2 });
	expect(e.steps[0].output.tool_calls).toHaveLength(2);
	// Each finished turn reached the model once: one request per position in the conversation.
	const positions = fake.requestsTo("openai").map(turnsBefore);
	expect(positions).toEqual([0, 1]);
	// The ledger holds each turn and each tool call once.
	const entries = await transcript(http, user, id);
	expect(entries.filter(x => x.kind === "turn").map(x => x.turn)).toEqual([1, 2]);
	expect(entries.filter(x => x.kind === "tool").map(x => x.call_id).sort()).toEqual(["quick", "slow"]);
	// The call that had finished was not run again; the one in flight ran again under the same key.
	expect(target.calls.get(`agent:${id}:ask:quick`)).toBe(1);
	expect(target.calls.get(`agent:${id}:ask:slow`)).toBeGreaterThanOrEqual(1);
}

describe("an agent step whose embedded node is killed during a tool call", () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), "cos-agent-crash-"));
	let node: NodeProcess | undefined;
	let target: TargetServer;
	afterAll(async () => {
		await node?.kill();
		await target?.close();
		rmSync(dataDir, { recursive: true, force: true });
	});

	it("resumes after a restart on the same data: no finished turn or tool call again", async () => {
		target = await startTargetServer();
		const env = { ...AUTH_ENV, ...llmEnv(), DATA_DIR: dataDir, API_PORT: "0", API_HOST: "127.0.0.1" };
		node = await startNodeProcess(env);
		let http = supertest(node.url!);
		const user = await createUser(http);
		const id = await startRun(http, user, target);
		await untilMidToolCall(http, user, target, id);
		await node.kill();
		node = await startNodeProcess(env);
		http = supertest(node.url!);
		await expectCompletedOnce(http, user, target, id);
	}, 60000);
});

describeWith(["postgres", "nats"])("an agent step whose cluster node is killed during a tool call", () => {
	let cluster: WorkerCluster;
	beforeAll(async () => {
		cluster = await startWorkerCluster("agentcrash", llmEnv());
	}, 60000);
	afterAll(() => cluster?.stop());

	it("is taken over by another node: no finished turn or tool call again", async () => {
		const { gateway, workers, target, pg } = cluster;
		const http = supertest(gateway.url!);
		await waitForRoute(http, "post", "/api/v3/workflows/execute");
		const user = await createUser(http);
		const id = await startRun(http, user, target);
		await untilMidToolCall(http, user, target, id);
		const { rows } = await pg.query<{ lease_owner: string }>("SELECT lease_owner FROM step_runs WHERE execution_id = $1 AND step_id = 'ask'", [id]);
		const owner = rows[0].lease_owner.slice(0, rows[0].lease_owner.lastIndexOf(":"));
		// Lease owners are `<nodeID>:<random>`; the workers are agentcrash-1..3.
		await workers[Number(owner.split("-").pop()) - 1].kill();
		await expectCompletedOnce(http, user, target, id);
		const { rows: after } = await pg.query<{ lease_owner: string | null; status: string }>("SELECT lease_owner, status FROM step_runs WHERE execution_id = $1", [id]);
		expect(after[0].status).toBe("completed");
	}, 90000);
});
