import { randomBytes } from "node:crypto";
import { Client } from "pg";
import supertest from "supertest";
import { waitForRoute } from "../support/engine-harness";
import { describeWith, TEST_NATS_URL } from "../support/env";
import { AUTH_ENV, createUser, type TestUser } from "../support/factories";
import { knowsNode, startNodeProcess, type NodeProcess } from "../support/node-process";
import { freePort } from "../support/ports";
import { createTestDatabase } from "../support/postgres";
import { startTargetServer, type TargetServer } from "../support/target-server";

const RUNS = 16;
const STEPS = 6;
/** Steps one node runs at once: few, so that one node cannot take all the runs and a backlog forms. */
const SLOTS = 4;

/** Steps `execution_id:step_id` currently running under a lease of `nodeId`. */
async function heldBy(pg: Client, nodeId: string): Promise<number> {
	const { rows } = await pg.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM step_runs WHERE status = 'running' AND lease_owner LIKE $1", [`${nodeId}:%`]);
	return rows[0].n;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
		await new Promise(r => setTimeout(r, 25));
	}
}

/**
 * Execution nodes come and go under load: one added mid-run takes a share of the steps;
 * one stopped with SIGTERM mid-run finishes what it runs (or hands it back) and leaves
 * no run failed and none stuck. Real NATS and PostgreSQL, production engine settings.
 */
describeWith(["postgres", "nats"])("adding and removing execution nodes", () => {
	let db: Awaited<ReturnType<typeof createTestDatabase>>;
	let target: TargetServer;
	let pg: Client;
	let env: Record<string, string>;
	let gateway: NodeProcess;
	const nodes: NodeProcess[] = [];
	let http: ReturnType<typeof supertest>;
	let user: TestUser;

	const startWorker = async (nodeId: string, extra: Record<string, string> = {}) => {
		const healthPort = await freePort();
		const node = await startNodeProcess({ ...env, SERVICES: "execution", NODE_ID: nodeId, HEALTH_PORT: String(healthPort), ...extra });
		nodes.push(node);
		return { node, probes: `http://127.0.0.1:${healthPort}` };
	};

	const startRuns = async (workflowId: string, n: number) => {
		const ids: string[] = [];
		for (let i = 0; i < n; i += 10) {
			const batch = await Promise.all(
				Array.from({ length: Math.min(10, n - i) }, () => http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0" }))
			);
			for (const res of batch) {
				expect(res.status).toBe(202);
				ids.push(res.body.execution_id);
			}
		}
		return ids;
	};

	/** Every run of `ids` completed, every step once, and nothing left running, pending or leased. */
	const expectAllCompleted = async (ids: string[], steps: number) => {
		await until("every run has finished", async () => {
			const { rows } = await pg.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM executions WHERE id = ANY($1) AND status NOT IN ('completed', 'failed', 'cancelled')", [ids]);
			return rows[0].n === 0;
		});
		const { rows: statuses } = await pg.query<{ status: string; n: number }>("SELECT status, COUNT(*)::int AS n FROM executions WHERE id = ANY($1) GROUP BY status", [ids]);
		expect(statuses).toEqual([{ status: "completed", n: ids.length }]);
		const { rows: stepRows } = await pg.query<{ status: string; leased: boolean; n: number }>(
			"SELECT status, lease_owner IS NOT NULL AS leased, COUNT(*)::int AS n FROM step_runs WHERE execution_id = ANY($1) GROUP BY 1, 2",
			[ids]
		);
		expect(stepRows).toEqual([{ status: "completed", leased: false, n: ids.length * steps }]);
		const { rows: completions } = await pg.query<{ n: number; distinct_steps: number }>(
			"SELECT COUNT(*)::int AS n, COUNT(DISTINCT (aggregate_id, payload::json->>'step_id'))::int AS distinct_steps FROM outbox WHERE event_type = 'StepExecutionCompleted' AND aggregate_id = ANY($1)",
			[ids]
		);
		expect(completions[0]).toEqual({ n: ids.length * steps, distinct_steps: ids.length * steps });
	};

	beforeAll(async () => {
		db = await createTestDatabase();
		target = await startTargetServer();
		env = {
			...AUTH_ENV,
			TRANSPORTER: TEST_NATS_URL,
			NAMESPACE: `scale-${randomBytes(4).toString("hex")}`,
			DATABASE_URL: db.url,
			API_HOST: "127.0.0.1",
			API_PORT: "0",
			STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1"
		};
		gateway = await startNodeProcess({ ...env, SERVICES: "api-gateway,auth,workflow,llm", NODE_ID: "gateway" });
		nodes.push(gateway);
		await startWorker("worker-1", { ENGINE_WORKER_CONCURRENCY: String(SLOTS) });
		http = supertest(gateway.url!);
		await waitForRoute(http, "post", "/api/v3/workflows/execute");
		user = await createUser(http);
		pg = new Client({ connectionString: db.url });
		await pg.connect();
	}, 60000);

	afterAll(async () => {
		await Promise.all(nodes.map(n => n.kill()));
		await pg?.end();
		await target?.close();
		await db?.drop();
	});

	it("gives a node added mid-run a share of the steps, and drains a node stopped mid-run without failing a run", async () => {
		const steps = Array.from({ length: STEPS }, (_, i) => ({
			id: `s${i}`,
			type: "http_request",
			params: { url: `${target.url}/slow?ms=300` },
			depends_on: i ? [`s${i - 1}`] : []
		}));
		await http.post("/api/v3/workflows").set(user.auth).send({ workflow_id: "scaled", version: "1.0.0", steps }).expect(201);
		const ids = await startRuns("scaled", RUNS);

		// Scale out: a second node joins while the first is saturated, and new runs are shared with it
		// (as soon as the gateway has discovered it: runs start on the node that takes the execute call).
		const { node: added, probes } = await startWorker("worker-2", { ENGINE_WORKER_CONCURRENCY: String(SLOTS) });
		await knowsNode(gateway, "worker-2");
		ids.push(...(await startRuns("scaled", 4)));
		await until("the added node runs steps", async () => (await heldBy(pg, "worker-2")) > 0, 30000);
		const ready = await fetch(`${probes}/health/ready`);
		const report = (await ready.json()) as { status: string; database: string; nats: string };
		expect([ready.status, report.status, report.database, report.nats]).toEqual([200, "ready", "ok", "ok"]);

		// Scale in: stop it with SIGTERM while it holds running steps.
		await until("the added node holds running steps", async () => (await heldBy(pg, "worker-2")) > 0);
		added.proc.kill("SIGTERM");
		// While it drains, it reports itself unready (so no rollout counts on it) but alive.
		let sawDraining = false;
		for (let exited = false; !exited && !sawDraining; ) {
			exited = added.proc.exitCode !== null;
			const res = await fetch(`${probes}/health/ready`).catch(() => null);
			if (res?.status === 503) {
				expect(await res.json()).toEqual({ status: "draining" });
				expect((await fetch(`${probes}/health/live`)).status).toBe(200);
				sawDraining = true;
			} else await new Promise(r => setTimeout(r, 10));
		}
		expect(sawDraining).toBe(true);
		expect(await added.exited).toBe(0);
		const drained = await added.waitForLog(l => l.msg === "Drained this node's steps");
		expect(Number(drained.finished)).toBeGreaterThan(0);
		expect(await heldBy(pg, "worker-2")).toBe(0);

		await expectAllCompleted(ids, STEPS);
		// Nothing was handed back or recovered, so no step's attempt ran twice.
		expect([...target.calls.values()].filter(n => n > 1)).toEqual([]);
	}, 120000);

	it("hands a step that outlasts the drain back to another node, which runs it to completion", async () => {
		// A short SHUTDOWN_TIMEOUT: the step (6 s) cannot finish within this node's drain (2 s).
		const { node: leaving } = await startWorker("worker-3", { SHUTDOWN_TIMEOUT: "3s" });
		await http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({ workflow_id: "long-step", version: "1.0.0", steps: [{ id: "long", type: "http_request", params: { url: `${target.url}/slow?ms=6000` } }] })
			.expect(201);
		await knowsNode(gateway, "worker-3");
		// Ready steps go round robin over the execution nodes: a few runs put some on the leaving node.
		const ids = await startRuns("long-step", 6);
		await until("the leaving node runs a long step", async () => (await heldBy(pg, "worker-3")) > 0, 30000);
		const abortedBefore = target.aborted;

		expect(await leaving.stop()).toBe(0);
		const drained = await leaving.waitForLog(l => l.msg === "Drained this node's steps");
		expect(Number(drained.released)).toBeGreaterThan(0);
		expect(target.aborted).toBeGreaterThan(abortedBefore);

		await expectAllCompleted(ids, 1);
		// The attempt given back is not counted against the step's retries, nor as a lost lease.
		const { rows } = await pg.query<{ attempts: number; recoveries: number }>("SELECT attempts, recoveries FROM step_runs WHERE execution_id = ANY($1)", [ids]);
		for (const r of rows) expect(r).toEqual({ attempts: 1, recoveries: 0 });
	}, 120000);

	it("keeps renewing the leases of steps that finish during the drain, so none runs twice", async () => {
		// The step (5 s) outlives a lease (3 s) but not the drain (9 s of a 10 s SHUTDOWN_TIMEOUT).
		const { node: leaving } = await startWorker("worker-4", { SHUTDOWN_TIMEOUT: "10s" });
		await http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({ workflow_id: "outlives-lease", version: "1.0.0", steps: [{ id: "slow", type: "http_request", params: { url: `${target.url}/slow?ms=5000` } }] })
			.expect(201);
		await knowsNode(gateway, "worker-4");
		const ids = await startRuns("outlives-lease", 6);
		await until("the leaving node runs a slow step", async () => (await heldBy(pg, "worker-4")) > 0, 30000);
		expect(await leaving.stop()).toBe(0);
		await expectAllCompleted(ids, 1);
		const { rows } = await pg.query<{ execution_id: string; attempts: number; recoveries: number }>("SELECT execution_id, attempts, recoveries FROM step_runs WHERE execution_id = ANY($1)", [ids]);
		for (const r of rows) {
			expect({ attempts: r.attempts, recoveries: r.recoveries }).toEqual({ attempts: 1, recoveries: 0 });
			expect(target.calls.get(`${r.execution_id}:slow:1`)).toBe(1);
		}
	}, 120000);
});
