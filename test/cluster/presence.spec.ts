import type { Client } from "pg";
import supertest from "supertest";
import { waitForRoute } from "../support/engine-harness";
import { describeWith } from "../support/env";
import { createUser } from "../support/factories";
import { expectOneCompletionPerStep, startWorkerCluster, type WorkerCluster } from "../support/worker-cluster";

const RUNS = 30;
const STEPS = 3;

/**
 * An execution node killed with SIGKILL: PostgreSQL ends its sessions, its presence lock
 * with them, and the sweeper gives its steps to the other nodes at the next sweep. The
 * leases here last 30 s (ENGINE_LEASE_TTL): every orphaned step must be running elsewhere
 * (or done) while the dead node's leases still had time to run, which only the presence
 * check can do.
 */
describeWith(["postgres", "nats"])("an execution node killed in a cluster", () => {
	let cluster: WorkerCluster;
	let pg: Client;

	beforeAll(async () => {
		cluster = await startWorkerCluster("presence", { ENGINE_LEASE_TTL: "30s" });
		({ pg } = cluster);
	}, 60000);
	afterAll(() => cluster?.stop());

	it("has its steps run elsewhere before its leases lapse; each step completes once", async () => {
		const { gateway, workers, target } = cluster;
		const http = supertest(gateway.url!);
		await waitForRoute(http, "post", "/api/v3/workflows/execute");
		const user = await createUser(http);
		const steps = Array.from({ length: STEPS }, (_, i) => ({
			id: `s${i}`,
			type: "http_request",
			params: { url: `${target.url}/slow?ms=1500` },
			depends_on: i ? [`s${i - 1}`] : []
		}));
		await http.post("/api/v3/workflows").set(user.auth).send({ workflow_id: "presence", version: "1.0.0", steps }).expect(201);
		const runs = await Promise.all(Array.from({ length: RUNS }, () => http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "presence", workflow_version: "1.0.0" })));
		for (const res of runs) expect(res.status).toBe(202);

		// The victim is the second node (its lease owners are `presence-2:<random>`), killed once it runs steps.
		const heldByVictim = async () =>
			(await pg.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM step_runs WHERE status = 'running' AND waiting_for IS NULL AND lease_owner LIKE 'presence-2:%'")).rows[0].n;
		for (const end = Date.now() + 30000; (await heldByVictim()) === 0; ) {
			if (Date.now() > end) throw new Error("the second node never ran a step");
			await new Promise(r => setTimeout(r, 20));
		}
		await workers[1].kill();
		const orphans = (
			await pg.query<{ execution_id: string; step_id: string; lease_expires_at: string }>(
				"SELECT execution_id, step_id, lease_expires_at FROM step_runs WHERE status = 'running' AND waiting_for IS NULL AND lease_owner LIKE 'presence-2:%'"
			)
		).rows;
		expect(orphans.length).toBeGreaterThan(0);
		const firstLapse = Math.min(...orphans.map(o => Number(o.lease_expires_at)));

		// Every orphan running again under another node's lease, or done there; read against the database's clock.
		const refs = orphans.map((_, i) => `($${2 * i + 2}, $${2 * i + 3})`).join(", ");
		for (;;) {
			const { rows } = await pg.query<{ left: number; before_lapse: boolean }>(
				`SELECT COUNT(*) FILTER (WHERE NOT (status = 'completed' OR (status = 'running' AND lease_owner NOT LIKE 'presence-2:%')))::int AS left,
				floor(extract(epoch FROM clock_timestamp()) * 1000) < $1 AS before_lapse
				FROM step_runs WHERE (execution_id, step_id) IN (${refs})`,
				[firstLapse, ...orphans.flatMap(o => [o.execution_id, o.step_id])]
			);
			if (rows[0].left === 0) {
				// The recovery was complete while the dead node's leases still ran: presence, not the lapse, gave them back.
				expect(rows[0].before_lapse).toBe(true);
				break;
			}
			if (!rows[0].before_lapse) throw new Error(`the dead node's leases lapsed before its ${rows[0].left} of ${orphans.length} steps were taken back`);
			await new Promise(r => setTimeout(r, 25));
		}
		const { rows: recovered } = await pg.query<{ n: number }>("SELECT COALESCE(SUM(recoveries), 0)::int AS n FROM step_runs");
		expect(recovered[0].n).toBeGreaterThanOrEqual(orphans.length);
		// The sweeper said why: the dead node's presence lock was free.
		const survivors = [workers[0], workers[2]];
		await Promise.race(survivors.map(w => w.waitForLog(l => String(l.msg).startsWith("Nodes gone (their presence locks are free)") && JSON.stringify(l.lease_owners).includes("presence-2:"), 10000)));

		for (const end = Date.now() + 60000; ; ) {
			const { rows } = await pg.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM executions WHERE status = 'completed'");
			if (rows[0].n === RUNS) break;
			if (Date.now() > end) throw new Error(`${rows[0].n} of ${RUNS} runs completed`);
			await new Promise(r => setTimeout(r, 100));
		}
		await expectOneCompletionPerStep(pg, RUNS * STEPS);
	}, 120000);
});
