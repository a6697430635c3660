import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import supertest from "supertest";
import { appendToOutbox, domainEvent } from "../../lib/events/outbox";
import { runtimeOf } from "../../lib/runtime";
import { startTestNode } from "../support/broker";
import { getExecution, waitForRoute, type EngineHarness, type ExecutionView } from "../support/engine-harness";
import { describeWith, TEST_NATS_URL } from "../support/env";
import { eventually } from "../support/event-bus-harness";
import { AUTH_ENV, createUser, login, loginAdmin, TEST_ADMIN, type TestUser } from "../support/factories";
import { startNodeProcess, type NodeProcess } from "../support/node-process";
import { createTestDatabase } from "../support/postgres";
import { runRepl } from "../support/repl";

const count = (text: string, part: string) => text.split(part).length - 1;

const APPROVAL_FLOW = {
	workflow_id: "release",
	version: "1.0.0",
	steps: [
		{ id: "build", type: "transform", params: { expression: "'built'" } },
		{ id: "gate", type: "approval", params: { message: "Ship it?" }, depends_on: ["build"] },
		{ id: "ship", type: "transform", params: { expression: "'shipped'" }, depends_on: ["gate"] }
	]
};

async function startRun(http: ReturnType<typeof supertest>, user: TestUser, workflowId: string): Promise<string> {
	const res = await http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0" });
	if (res.status !== 202) throw new Error(`execute failed: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body.execution_id as string;
}

async function waitFor(http: ReturnType<typeof supertest>, user: TestUser, id: string, done: (e: ExecutionView) => boolean): Promise<ExecutionView> {
	const h = { http } as EngineHarness;
	for (const until = Date.now() + 20000; ; ) {
		const e = await getExecution(h, id, user);
		if (done(e)) return e;
		if (Date.now() > until) throw new Error(`execution ${id} stayed ${e.status}`);
		await new Promise(r => setTimeout(r, 50));
	}
}

/**
 * The operator REPL joins a cluster of node processes (gateway, execution) over NATS and
 * drives the real services; what it may see and do is what its operator may through the API.
 */
describeWith(["postgres", "nats"])("the operator REPL in a cluster", () => {
	let db: Awaited<ReturnType<typeof createTestDatabase>>;
	let env: Record<string, string>;
	let nodes: NodeProcess[];
	let http: ReturnType<typeof supertest>;
	let alice: TestUser;
	let bob: TestUser;
	let aliceRun: string;
	let bobRun: string;

	beforeAll(async () => {
		db = await createTestDatabase();
		env = { ...AUTH_ENV, TRANSPORTER: TEST_NATS_URL, NAMESPACE: `repl-${randomBytes(4).toString("hex")}`, DATABASE_URL: db.url, API_HOST: "127.0.0.1", API_PORT: "0" };
		nodes = [await startNodeProcess({ ...env, SERVICES: "api-gateway,auth,workflow,llm", NODE_ID: "gateway" })];
		nodes.push(await startNodeProcess({ ...env, SERVICES: "execution", NODE_ID: "worker-1" }));
		http = supertest(nodes[0].url!);
		await waitForRoute(http, "post", "/api/v3/workflows/execute");
		alice = await createUser(http, { tag: "alice" });
		bob = await createUser(http, { tag: "bob" });
		for (const user of [alice, bob]) await http.post("/api/v3/workflows").set(user.auth).send(APPROVAL_FLOW).expect(201);
		aliceRun = await startRun(http, alice, "release");
		bobRun = await startRun(http, bob, "release");
		for (const [user, id] of [[alice, aliceRun], [bob, bobRun]] as const) await waitFor(http, user, id, e => e.steps.some(s => s.step_id === "gate" && s.waiting_for === "approval"));
	}, 60000);

	afterAll(async () => {
		await Promise.all((nodes ?? []).map(n => n.kill()));
		await db?.drop();
	});

	it("acts as a plain user with that user's rights: own runs only, no admin views", async () => {
		const { code, stdout, stderr } = await runRepl({ ...env, REPL_OPERATOR_EMAIL: alice.email }, [
			"whoami",
			"workflows",
			"executions",
			`execution ${aliceRun}`,
			`execution ${bobRun}`,
			`cancel ${bobRun}`,
			`approve ${aliceRun} gate --comment "looks good"`,
			"outbox",
			"cluster",
			"dead-letters"
		]);
		expect({ code, stderr: stderr.includes("acting as") }).toEqual({ code: 0, stderr: true });
		expect(stdout).toContain(`${alice.email} (${alice.user_id}), roles: user`);
		expect(stdout).toMatch(/release\s+1\.0\.0\s+active\s+3\s+-\s+\S+/);
		expect(stdout).toContain("1 workflows");
		expect(stdout).toContain(aliceRun);
		expect(stdout).toMatch(/gate\s+approval\s+running\s+\d+\s+approval/);
		// Bob's run does not exist for Alice: both the inspection and the cancellation say so.
		expect(count(stdout, "error (404 not_found): Execution not found")).toBe(2);
		expect(stdout).not.toContain(`Cancelled ${bobRun}`);
		expect(stdout).toContain(`Approved gate of ${aliceRun}`);
		expect(count(stdout, "error (403 forbidden): This needs the admin role")).toBe(2);
		expect(stdout).toContain("The event-bus service is not running in this cluster");

		// The approval went through the services: Alice's run finishes, Bob's still waits.
		const done = await waitFor(http, alice, aliceRun, e => e.status === "completed");
		expect(done.steps.find(s => s.step_id === "ship")?.output).toBe("shipped");
		expect((await getExecution({ http } as EngineHarness, bobRun, bob)).status).toBe("running");
	});

	it("acts as an admin over every owner's runs, the outbox and the cluster's nodes", async () => {
		const { code, stdout } = await runRepl({ ...env, REPL_OPERATOR_EMAIL: TEST_ADMIN.email }, [
			"executions --status running",
			`cancel ${bobRun} --reason "stopped by the operator"`,
			`execution ${bobRun}`,
			"outbox --type WorkflowExecutionCancelled",
			`retry ${bobRun}`,
			"cluster",
			"executions --page nope",
			"execution no-such-run",
			"dead-letters"
		]);
		expect(code).toBe(0);
		expect(stdout).toContain(bobRun);
		expect(stdout).not.toContain(aliceRun); // completed, so not among the running ones
		expect(stdout).toContain(`Cancelled ${bobRun}: cancelled`);
		expect(stdout).toMatch(/status\s+cancelled/);
		expect(stdout).toMatch(new RegExp(`\\d+\\s+WorkflowExecutionCancelled\\s+execution ${bobRun}`));
		expect(stdout).toMatch(new RegExp(`Retrying ${bobRun}: (pending|running)`));
		// Every node with its services; the execution node with its load. CPU shows once a node's first heartbeat (2 s) arrived.
		expect(stdout).toMatch(/gateway\s+up\s+(\d+%|-)\s+-\s+-\s+\S*api\S*/);
		expect(stdout).toMatch(/worker-1\s+up\s+(\d+%|-)\s+\d+\/64\s+\d+\s+execution/); // 64: ENGINE_WORKER_CONCURRENCY's default
		expect(stdout).toMatch(/repl-\S+\s+up\s+.*this REPL/);
		expect(stdout).toContain('error: --page must be a positive whole number, got "nope"');
		expect(stdout).toContain("error (404 not_found): Execution not found");
		expect(stdout).toContain("The event-bus service is not running in this cluster");

		const retried = await waitFor(http, bob, bobRun, e => e.steps.some(s => s.step_id === "gate" && s.waiting_for === "approval"));
		expect(retried.status).toBe("running");
	});

	it("refuses to start as a user that does not exist", async () => {
		const { code, stderr } = await runRepl({ ...env, REPL_OPERATOR_EMAIL: "nobody@example.com" }, ["whoami"]);
		expect(code).toBe(78);
		expect(stderr).toContain("No user nobody@example.com exists (REPL_OPERATOR_EMAIL)");
	});
});

/** Without a transporter the REPL is the embedded node itself, on the data directory it is given. */
describe("the operator REPL embedded", () => {
	it("starts CognitionOS in its own process and works on its data", async () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), "cos-repl-data-"));
		try {
			const node = await startTestNode({ env: AUTH_ENV, dataDir });
			const user = await createUser(node.http);
			await node.http.post("/api/v3/workflows").set(user.auth).send(APPROVAL_FLOW).expect(201);
			const id = await startRun(node.http, user, "release");
			await waitFor(node.http, user, id, e => e.steps.some(s => s.step_id === "gate" && s.waiting_for === "approval"));
			// A dead letter: a step event without its owner, which the statistics handler refuses for good.
			const poison = domainEvent("StepExecutionCompleted", { type: "execution", id: randomUUID() }, { step_id: "poison" });
			await (await runtimeOf(node.broker).database()).sqlTransaction(tx => appendToOutbox(tx, [poison]));
			const admin = await loginAdmin(node.http);
			const letters = await eventually(
				async () => (await node.http.get("/api/v3/events/dead-letters").set(admin.auth)).body as { dead_letters: { id: string | number; event_id: string }[] },
				b => b.dead_letters.some(d => d.event_id === poison.event_id),
				"the dead letter"
			);
			const letterId = letters.dead_letters.find(d => d.event_id === poison.event_id)!.id;
			await node.stop();

			const env = { ...AUTH_ENV, DATA_DIR: dataDir, API_HOST: "127.0.0.1", API_PORT: "0" };
			const { code, stdout } = await runRepl(env, [
				"whoami",
				"executions",
				`approve ${id} gate`,
				`execution ${id}`,
				"cluster",
				"dead-letters",
				`replay-dead-letter ${letterId}`,
				"dead-letters --status replayed",
				"replay-dead-letter 999999"
			]);
			expect(code).toBe(0);
			expect(stdout).toContain(`${TEST_ADMIN.email} (`);
			expect(stdout).toMatch(new RegExp(`${id}\\s+release 1\\.0\\.0\\s+running`));
			expect(stdout).toContain(`Approved gate of ${id}`);
			expect(stdout).toMatch(/repl-\S+\s+up\s+.*\d+\/64.*this REPL/);
			// The dead letter is listed, replayed to its handler, then listed among the replayed ones.
			expect(stdout).toMatch(new RegExp(`${letterId}\\s+step-statistics\\s+StepExecutionCompleted\\s+${poison.event_id}`));
			expect(stdout).toMatch(new RegExp(`Replayed dead letter ${letterId} \\(StepExecutionCompleted to step-statistics\\): replayed`));
			expect(stdout).toMatch(new RegExp(`${letterId}\\s+step-statistics\\s+StepExecutionCompleted\\s+${poison.event_id}\\s+.*\\s+1\\s*\\n`));
			expect(stdout).toContain("error (404 not_found)");

			// The approval was recorded: the node started again on the same data finds the run finished.
			const again = await startTestNode({ env: AUTH_ENV, dataDir });
			try {
				const done = await waitFor(again.http, await login(again.http, user.email, user.password), id, e => e.status === "completed");
				expect(done.steps.map(s => s.status)).toEqual(["completed", "completed", "completed"]);
			} finally {
				await again.stop();
			}
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	}, 90000);
});
