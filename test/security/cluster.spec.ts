import { randomBytes } from "node:crypto";
import { Client } from "pg";
import supertest from "supertest";
import { waitForRoute } from "../support/engine-harness";
import { describeWith, TEST_NATS_URL } from "../support/env";
import { AUTH_ENV, createUser, loginAdmin } from "../support/factories";
import { watchLiveness } from "../support/liveness";
import { startNodeProcess, type NodeProcess } from "../support/node-process";
import { freePort } from "../support/ports";
import { createTestDatabase } from "../support/postgres";
import { connectSocketIo, connectWebSocket } from "../support/realtime-clients";
import { startTargetServer, type TargetServer } from "../support/target-server";

/**
 * Issue 15's cluster cases. Two gateways and three execution nodes over NATS on
 * PostgreSQL: a transform that never yields froze a node, the sweeper handed it to the
 * next node until all were frozen; a step whose node dies must not make the rounds of
 * every node; and an open socket on one gateway must follow a change made on another.
 */
describeWith(["postgres", "nats"])("isolation in a cluster", () => {
	let db: Awaited<ReturnType<typeof createTestDatabase>>;
	let pg: Client;
	let target: TargetServer;
	let gatewayA: NodeProcess;
	let gatewayB: NodeProcess;
	const workers = new Map<string, { node: NodeProcess; health: string }>();
	let http: ReturnType<typeof supertest>;

	beforeAll(async () => {
		db = await createTestDatabase();
		target = await startTargetServer();
		const env = {
			...AUTH_ENV,
			TRANSPORTER: TEST_NATS_URL,
			NAMESPACE: `isolation-${randomBytes(4).toString("hex")}`,
			DATABASE_URL: db.url,
			API_HOST: "127.0.0.1",
			API_PORT: "0",
			STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
			// Quick recovery keeps the test short; production defaults are in lib/config.ts.
			ENGINE_LEASE_TTL: "1500ms",
			ENGINE_SWEEP_INTERVAL: "200ms",
			ENGINE_DISPATCH_GRACE: "1s"
		};
		gatewayA = await startNodeProcess({ ...env, SERVICES: "api-gateway,notifier,auth,workflow,llm", NODE_ID: "gateway-a" });
		gatewayB = await startNodeProcess({ ...env, SERVICES: "api-gateway,notifier", NODE_ID: "gateway-b" });
		for (const i of [1, 2, 3]) {
			const port = await freePort();
			const node = await startNodeProcess({ ...env, SERVICES: "execution", NODE_ID: `exec-${i}`, HEALTH_PORT: String(port) });
			workers.set(`exec-${i}`, { node, health: `http://127.0.0.1:${port}` });
		}
		pg = new Client({ connectionString: db.url });
		await pg.connect();
		http = supertest(gatewayA.url!);
		await waitForRoute(http, "post", "/api/v3/workflows/execute");
		await waitForRoute(supertest(gatewayB.url!), "get", "/api/v3/auth/me");
	}, 120_000);

	afterAll(async () => {
		await Promise.all([gatewayA, gatewayB, ...[...workers.values()].map(w => w.node)].filter(Boolean).map(n => n.kill()));
		await pg?.end();
		await target?.close();
		await db?.drop();
	});

	async function finishedRun(user: { auth: Record<string, string> }, id: string, timeoutMs = 60_000) {
		const until = Date.now() + timeoutMs;
		for (;;) {
			const e = (await http.get(`/api/v3/workflows/executions/${id}`).set(user.auth)).body;
			if (["completed", "failed", "cancelled"].includes(e.status)) return e;
			if (Date.now() > until) throw new Error(`run ${id} did not finish: ${JSON.stringify(e).slice(0, 300)}`);
			await new Promise(r => setTimeout(r, 100));
		}
	}

	it("runs the freezing transform without any node ceasing to answer /health/live, and fails the run once", async () => {
		const user = await createUser(http);
		await http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({ workflow_id: "freeze", version: "1.0.0", steps: [{ id: "f", type: "transform", timeout: "1s", params: { expression: "($f := function($n){ $f($n+1) }; $f(0))" } }] })
			.expect(201);
		const watch = watchLiveness([gatewayA.url!, gatewayB.url!, ...[...workers.values()].map(w => w.health)]);
		const res = await http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "freeze", workflow_version: "1.0.0" }).expect(202);
		const run = await finishedRun(user, res.body.execution_id);
		// A few more sweeps: a lapsed lease would show now, as a recovery.
		await new Promise(r => setTimeout(r, 3000));
		const probes = await watch.stop();
		expect(probes.failures).toEqual([]);
		expect(run.status).toBe("failed");
		expect(["timeout", "memory_limit"]).toContain(run.steps[0].error.type);
		const [step] = (await pg.query("SELECT attempts, recoveries FROM step_runs WHERE execution_id = $1", [res.body.execution_id])).rows;
		expect(step).toEqual({ attempts: 1, recoveries: 0 });
		const failures = await pg.query("SELECT COUNT(*)::int AS n FROM outbox WHERE aggregate_id = $1 AND event_type = 'WorkflowExecutionFailed'", [res.body.execution_id]);
		expect(failures.rows[0].n).toBe(1);
	});

	it("fails a step whose node is lost twice with node_lost, without handing it to the third node", async () => {
		const user = await createUser(http);
		// A call that never answers in time: its node "dies" while it runs, twice.
		await http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({ workflow_id: "poison", version: "1.0.0", steps: [{ id: "p", type: "http_request", timeout: "2m", params: { url: `${target.url}/slow?ms=120000` } }] })
			.expect(201);
		const res = await http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "poison", workflow_version: "1.0.0" }).expect(202);
		const id = res.body.execution_id as string;
		const owners: string[] = [];
		for (let round = 0; round < 2; round++) {
			let owner = "";
			while (!owner || owners.includes(owner)) {
				const [row] = (await pg.query("SELECT lease_owner FROM step_runs WHERE execution_id = $1 AND status = 'running'", [id])).rows;
				owner = row?.lease_owner ? String(row.lease_owner).split(":")[0] : "";
				if (!owner || owners.includes(owner)) await new Promise(r => setTimeout(r, 50));
			}
			owners.push(owner);
			await workers.get(owner)!.node.kill();
		}
		const run = await finishedRun(user, id);
		expect(run.status).toBe("failed");
		expect(run.steps[0].error).toEqual(expect.objectContaining({ type: "node_lost" }));
		const third = [...workers.keys()].find(n => !owners.includes(n))!;
		const started = await pg.query("SELECT payload FROM outbox WHERE aggregate_id = $1 AND event_type = 'StepExecutionStarted'", [id]);
		expect(started.rows.length).toBe(2);
		// The third node is alive and never held the step.
		const held = await pg.query("SELECT COUNT(*)::int AS n FROM step_runs WHERE execution_id = $1 AND lease_owner LIKE $2", [id, `${third}:%`]);
		expect(held.rows[0].n).toBe(0);
		expect((await fetch(`${workers.get(third)!.health}/health/live`)).status).toBe(200);
	});

	it("closes a socket on one gateway when the user is deactivated through the other", async () => {
		const user = await createUser(http);
		const admin = await loginAdmin(http);
		const onB = await connectWebSocket(gatewayB.url!, user.token);
		const ioOnB = await connectSocketIo(gatewayB.url!, user.token);
		await onB.waitFor(m => m.type === "connected");
		await ioOnB.waitFor(m => m.type === "connected");
		const ioGone = new Promise<string>(resolve => ioOnB.socket.once("disconnect", reason => resolve(reason)));
		await http.patch(`/api/v3/auth/users/${user.user_id}`).set(admin.auth).send({ is_active: false }).expect(200);
		expect((await onB.closed).code).toBe(1008);
		expect(await ioGone).toBe("io server disconnect");
	});
});
