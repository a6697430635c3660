import type { Client } from "pg";
import supertest from "supertest";
import { waitForRoute } from "../support/engine-harness";
import { describeWith } from "../support/env";
import { createUser } from "../support/factories";
import type { NodeProcess } from "../support/node-process";
import type { TargetServer } from "../support/target-server";
import { expectOneCompletionPerStep, startWorkerCluster, type WorkerCluster } from "../support/worker-cluster";

const RUNS = 200;
const STEPS = 10;

/**
 * Three execution nodes run 200 executions of a 10-step workflow whose steps take tens of
 * milliseconds; one node is killed with SIGKILL mid-run. Every run must complete with
 * every step's output recorded once. Uses the production lease and sweep settings, and
 * reports how long the orphaned steps took to run again.
 */
describeWith(["postgres", "nats"])("a node killed mid-run", () => {
	let cluster: WorkerCluster;
	let target: TargetServer;
	let gateway: NodeProcess;
	let workers: NodeProcess[];
	let pg: Client;

	beforeAll(async () => {
		cluster = await startWorkerCluster("worker");
		({ target, gateway, workers, pg } = cluster);
	}, 60000);

	afterAll(() => cluster?.stop());

	it("finishes every run, records each step once, and reports the recovery time", async () => {
		const http = supertest(gateway.url!);
		await waitForRoute(http, "post", "/api/v3/workflows/execute");
		const user = await createUser(http);
		const steps = Array.from({ length: STEPS }, (_, i) => ({
			id: `s${i}`,
			type: "http_request",
			params: { url: `${target.url}/slow?ms=${20 + (i % 4) * 10}` },
			depends_on: i ? [`s${i - 1}`] : []
		}));
		await http.post("/api/v3/workflows").set(user.auth).send({ workflow_id: "crashy", version: "1.0.0", steps }).expect(201);

		const ids: string[] = [];
		for (let i = 0; i < RUNS; i += 20) {
			const batch = await Promise.all(
				Array.from({ length: 20 }, () => http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "crashy", workflow_version: "1.0.0" }))
			);
			for (const res of batch) {
				expect(res.status).toBe(202);
				ids.push(res.body.execution_id);
			}
		}

		// Kill a worker once a fifth of the steps are done and it holds running steps.
		const victim = workers[1];
		for (;;) {
			const [{ done }] = (await pg.query("SELECT COUNT(*)::int AS done FROM step_runs WHERE status = 'completed'")).rows;
			const [{ held }] = (await pg.query("SELECT COUNT(*)::int AS held FROM step_runs WHERE status = 'running' AND lease_owner LIKE 'worker-2:%'")).rows;
			if (done >= (RUNS * STEPS) / 5 && held > 0) break;
			await new Promise(r => setTimeout(r, 20));
		}
		await victim.kill();
		const killedAt = Date.now();
		// Read what the dead node held only once it is dead: until the kill it may still finish some of them.
		const orphans = (
			await pg.query<{ execution_id: string; step_id: string; lease_owner: string }>(
				"SELECT execution_id, step_id, lease_owner FROM step_runs WHERE status = 'running' AND lease_owner LIKE 'worker-2:%'"
			)
		).rows;
		expect(orphans.length).toBeGreaterThan(0);

		// Recovery: every step the dead node held is running again under another node's lease (or already done there);
		// released to pending by the sweeper does not count yet.
		let recoveredAt = 0;
		while (!recoveredAt) {
			const { rows } = await pg.query<{ n: number }>(
				`SELECT COUNT(*)::int AS n FROM step_runs WHERE (execution_id, step_id) IN (${orphans.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(", ")})
				AND NOT (status = 'completed' OR (status = 'running' AND lease_owner NOT LIKE 'worker-2:%'))`,
				orphans.flatMap(o => [o.execution_id, o.step_id])
			);
			if (rows[0].n === 0) recoveredAt = Date.now();
			else await new Promise(r => setTimeout(r, 25));
		}

		for (;;) {
			const { rows } = await pg.query<{ status: string; n: number }>("SELECT status, COUNT(*)::int AS n FROM executions GROUP BY status");
			const byStatus = Object.fromEntries(rows.map(r => [r.status, r.n]));
			if ((byStatus.completed ?? 0) === RUNS) break;
			expect(byStatus.failed ?? 0).toBe(0);
			await new Promise(r => setTimeout(r, 200));
		}
		const finishedAt = Date.now();
		// Both survivors stopped sending steps to the dead node when its leases lapsed, not only when its heartbeat timed out.
		for (const survivor of [workers[0], workers[2]]) {
			await survivor.waitForLog(l => String(l.msg).includes("stopped renewing its step leases") && l.lapsed_node_id === "worker-2", 10000);
		}

		const { rows: stepRows } = await pg.query<{ n: number; with_output: number }>(
			"SELECT COUNT(*)::int AS n, COUNT(*) FILTER (WHERE status = 'completed' AND output IS NOT NULL)::int AS with_output FROM step_runs"
		);
		expect(stepRows[0]).toEqual({ n: RUNS * STEPS, with_output: RUNS * STEPS });
		// Exactly one completion per step in the ledger's events, however many attempts ran.
		await expectOneCompletionPerStep(pg, RUNS * STEPS);
		const { rows: recovered } = await pg.query<{ n: number }>("SELECT COALESCE(SUM(recoveries), 0)::int AS n FROM step_runs");
		expect(recovered[0].n).toBeGreaterThanOrEqual(orphans.length);
		expect(ids).toHaveLength(RUNS);

		process.stdout.write(
			`\n[crash test] killed worker-2 holding ${orphans.length} running steps; orphaned steps running again after ${recoveredAt - killedAt} ms; ` +
				`all ${RUNS} runs completed ${finishedAt - killedAt} ms after the kill; ${recovered[0].n} lease recoveries\n`
		);
	}, 180000);
});
