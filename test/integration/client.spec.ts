/**
 * @cognitionos/client against a real server: loading by require and import, sessions and
 * their refresh, each resource's calls, typed errors, wait, and watch (a run's stream in
 * order, resumed after the server drops the socket, ending when the run ends).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ApiError, CognitionOS, ConnectionError, WaitTimeoutError, workflow, WorkflowValidationError, type Session, type StreamMessage } from "@cognitionos/client";
import { realtimeHubOf } from "../../mixins/realtime";
import { startTestNode, type TestNode } from "../support/broker";
import { AUTH_ENV, createUser, TEST_PASSWORD, type TestUser } from "../support/factories";

const run = promisify(execFile);

const SLOW = {
	workflow_id: "client-slow",
	version: "1.0.0",
	steps: [
		{ id: "a", type: "transform", params: { expression: "1" } },
		{ id: "b", type: "delay", depends_on: ["a"], params: { duration: "400ms" } },
		{ id: "c", type: "delay", depends_on: ["b"], params: { duration: "400ms" } },
		{ id: "d", type: "transform", depends_on: ["c"], params: { expression: "4" } }
	]
};

const APPROVAL_YAML = `workflow:
  id: client-approval
  version: "1.0.0"
  steps:
    - id: gate
      type: approval
      params:
        message: Go?
`;

async function collect(iterable: AsyncIterable<StreamMessage>, onMessage?: (m: StreamMessage) => void): Promise<StreamMessage[]> {
	const out: StreamMessage[] = [];
	for await (const m of iterable) {
		out.push(m);
		onMessage?.(m);
	}
	return out;
}

describe("@cognitionos/client", () => {
	let node: TestNode;
	let user: TestUser;
	let client: CognitionOS;

	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
		user = await createUser(node.http, { tag: "client" });
		client = new CognitionOS({ baseUrl: node.url });
		await client.auth.login({ email: user.email, password: TEST_PASSWORD });
		await client.workflows.create(SLOW);
		await client.workflows.create(APPROVAL_YAML);
	});
	afterAll(() => node.stop());

	it("loads with require and with import", async () => {
		const pkg = path.resolve(__dirname, "../../packages/client");
		const cjs = await run(process.execPath, ["-e", "const c = require('@cognitionos/client'); console.log(typeof c.CognitionOS, typeof c.ApiError)"], { cwd: pkg });
		expect(cjs.stdout.trim()).toBe("function function");
		const esm = await run(process.execPath, ["--input-type=module", "-e", "import { CognitionOS, ApiError, isTerminal } from '@cognitionos/client'; console.log(typeof CognitionOS, typeof ApiError, isTerminal('failed'))"], { cwd: pkg });
		expect(esm.stdout.trim()).toBe("function function true");
	});

	it("stores workflows from objects and YAML, lists them and moves their status", async () => {
		const again = await client.workflows.create(SLOW);
		expect(again).toMatchObject({ created: false, workflow: { workflow_id: "client-slow", status: "active" } });
		const got = await client.workflows.get("client-approval", "1.0.0");
		expect(got.steps.map(s => s.id)).toEqual(["gate"]);
		const page = await client.workflows.list({ q: "client-" });
		expect(page.workflows.map(w => w.workflow_id).sort()).toEqual(["client-approval", "client-slow"]);
		const created = await client.workflows.create({ ...SLOW, workflow_id: "client-lifecycle" });
		expect(created.created).toBe(true);
		expect((await client.workflows.setStatus("client-lifecycle", "1.0.0", "deprecated")).status).toBe("deprecated");
	});

	it("throws ApiError with {error, message, detail, trace_id} and the status", async () => {
		const invalid = await client.workflows.create({ workflow_id: "x", version: "1.0.0", steps: [{ id: "s", type: "no_such_type" }] }).catch(e => e);
		expect(invalid).toBeInstanceOf(ApiError);
		expect(invalid).toMatchObject({ status: 422, error: "validation_error", trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
		expect(invalid.problems[0]).toMatchObject({ path: "steps[0].type" });
		const missing = await client.executions.get("00000000-0000-0000-0000-000000000000").catch(e => e);
		expect(missing).toMatchObject({ status: 404, error: "not_found" });
		const offline = await new CognitionOS({ baseUrl: "http://127.0.0.1:9" }).auth.me().catch(e => e);
		expect(offline).toBeInstanceOf(ConnectionError);
	});

	it("refreshes a refused access token by itself and hands the new session to onSession", async () => {
		const tokens = await new CognitionOS({ baseUrl: node.url }).auth.login({ email: user.email, password: TEST_PASSWORD });
		const seen: (Session | null)[] = [];
		// A token the server does not accept (signed by no one), with the session's real refresh token.
		const forged = `${tokens.access_token.split(".").slice(0, 2).join(".")}.AAAA`;
		const c = new CognitionOS({ baseUrl: node.url, token: forged, refreshToken: tokens.refresh_token, onSession: s => seen.push(s) });
		expect((await c.auth.me()).email).toBe(user.email);
		expect(seen).toHaveLength(1);
		expect(seen[0]!.refresh_token).not.toBe(tokens.refresh_token);
		// The spent refresh token is refused: rotation happened on the server.
		const spent = new CognitionOS({ baseUrl: node.url, token: forged, refreshToken: tokens.refresh_token });
		await expect(spent.auth.me()).rejects.toMatchObject({ status: 401 });
	});

	it("starts, lists, waits for, cancels and retries runs, and decides approvals", async () => {
		const started = await client.executions.start({ workflow_id: "client-slow", workflow_version: "1.0.0", inputs: {} });
		const tooSoon = await client.executions.wait(started.execution_id, { timeoutMs: 1 }).catch(e => e);
		expect(tooSoon).toBeInstanceOf(WaitTimeoutError);
		const done = await client.executions.wait(started.execution_id);
		expect(done).toMatchObject({ status: "completed", progress: 100 });
		expect(done.steps.map(s => s.status)).toEqual(["completed", "completed", "completed", "completed"]);
		const listed = await client.executions.list({ workflow_id: "client-slow" });
		expect(listed.executions.map(x => x.execution_id)).toContain(started.execution_id);

		const gated = await client.executions.start({ workflow_id: "client-approval", workflow_version: "1.0.0" });
		let waiting = await client.executions.get(gated.execution_id);
		while (waiting.steps[0].waiting_for !== "approval") waiting = await client.executions.get(gated.execution_id);
		await client.executions.reject(gated.execution_id, "gate", "not today");
		expect((await client.executions.wait(gated.execution_id)).status).toBe("failed");
		const retried = await client.executions.retry(gated.execution_id);
		expect(retried.status).toBe("running");
		while ((await client.executions.get(gated.execution_id)).steps[0].waiting_for !== "approval");
		await client.executions.approve(gated.execution_id, "gate", "now");
		expect((await client.executions.wait(gated.execution_id)).status).toBe("completed");

		const cancelled = await client.executions.start({ workflow_id: "client-slow", workflow_version: "1.0.0" });
		expect((await client.executions.cancel(cancelled.execution_id, "changed my mind")).status).toBe("cancelled");
	});

	it("watch yields the run's messages in order and ends with its final status", async () => {
		const started = await client.executions.start({ workflow_id: "client-slow", workflow_version: "1.0.0" });
		const messages = await collect(client.executions.watch(started.execution_id));
		const seqs = messages.map(m => m.seq);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		expect(messages[0]).toMatchObject({ type: "event", data: { event_type: "WorkflowExecutionStarted" } });
		expect(messages.at(-1)).toMatchObject({ type: "workflow_status", data: { status: "completed", progress: 100 } });
		// A run that has ended is replayed from the start and ends the same way.
		const replayed = await collect(client.executions.watch(started.execution_id));
		expect(replayed.map(m => m.seq)).toEqual(seqs);
		const later = await collect(client.executions.watch(started.execution_id, { since: seqs[3] }));
		expect(later.map(m => m.seq)).toEqual(seqs.slice(4));
	});

	it("watch resumes after the server drops the socket, without gaps or repeats", async () => {
		const started = await client.executions.start({ workflow_id: "client-slow", workflow_version: "1.0.0" });
		const hub = realtimeHubOf(node.broker);
		let dropped = 0;
		const messages = await collect(client.executions.watch(started.execution_id), m => {
			// Drop every connection once the first delay waits: the rest arrives over a new socket.
			if (!dropped && m.data.event_type === "StepExecutionWaiting") {
				dropped = hub.allClients().length;
				for (const c of hub.allClients()) c.close("slow_client");
			}
		});
		expect(dropped).toBeGreaterThan(0);
		const uninterrupted = await collect(client.executions.watch(started.execution_id));
		expect(messages.map(m => m.seq)).toEqual(uninterrupted.map(m => m.seq));
		expect(messages.at(-1)).toMatchObject({ type: "workflow_status", data: { status: "completed" } });
	});

	it("builds workflows with the typed builder, checked offline by the server's own validator", async () => {
		const built = workflow("client-built", "1.0.0")
			.description("Made by the builder")
			.input("who", { type: "string", default: "world" })
			.step("greet", "transform", { expression: "'Hello, ' & inputs.who" })
			.step("pause", "delay", { duration: "10ms" }, { depends_on: ["greet"] })
			.step("poem", "ai_generate", { prompt: "One line about ${{ steps.greet.output }}", max_tokens: 40 }, { depends_on: ["pause"], retry: 1 })
			.output("greeting", "${{ steps.greet.output }}")
			.build();
		expect((await client.workflows.create(built)).created).toBe(true);
		const run = await client.executions.start({ workflow_id: "client-built", workflow_version: "1.0.0", inputs: { who: "Ada" } });
		expect(await client.executions.wait(run.execution_id)).toMatchObject({ status: "completed", outputs: { greeting: "Hello, Ada" } });

		// The same problems, with the same paths, offline and from the server.
		const invalid = workflow("client-invalid", "1.0").step("fetch", "http_request", { url: "ftp://example.com" }).step("use", "transform", { expression: "steps.nowhere.output" }, { depends_on: ["fetch"] });
		const offline = invalid.problems();
		expect(() => invalid.build()).toThrow(WorkflowValidationError);
		const online = await client.workflows.create(invalid.toJSON()).catch(e => e as ApiError);
		expect(online).toMatchObject({ status: 422 });
		expect(offline.map(p => p.path).sort()).toEqual((online as ApiError).problems.map(p => p.path).sort());
		expect(offline.length).toBeGreaterThanOrEqual(2);

		// A step may depend only on steps declared before it: the compiler says so.
		const typed = () =>
			workflow("t", "1.0.0")
				.step("a", "transform", { expression: "1" })
				// @ts-expect-error "b" is not a step declared before this one
				.step("c", "transform", { expression: "2" }, { depends_on: ["b"] });
		expect(typeof typed).toBe("function");
	});

	it("watch of another user's run is refused as not found", async () => {
		const other = await createUser(node.http, { tag: "client-other" });
		const theirs = new CognitionOS({ baseUrl: node.url, token: other.token });
		const started = await client.executions.start({ workflow_id: "client-slow", workflow_version: "1.0.0" });
		await expect(collect(theirs.executions.watch(started.execution_id))).rejects.toMatchObject({ status: 404, error: "not_found" });
	});
});

describe("the client's generated types", () => {
	let node: TestNode;
	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
	});
	afterAll(() => node.stop());

	it("match the served OpenAPI document (else the failure names `npm run client:types`)", async () => {
		// openapi-typescript loads ES modules that jest's module system cannot: the check runs as the script itself.
		const script = path.resolve(__dirname, "../../packages/client/scripts/client-types.js");
		const check = await run(process.execPath, [script, "--check", "--from", node.url]).catch(err => err as { code: number; stdout: string; stderr: string });
		if ("code" in check && check.code) throw new Error(check.stderr);
		expect(check.stdout).toContain("matches the served OpenAPI document");
	});
});
