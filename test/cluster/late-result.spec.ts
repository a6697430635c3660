import type { Client } from "pg";
import supertest from "supertest";
import { waitForRoute } from "../support/engine-harness";
import { describeWith } from "../support/env";
import { createUser } from "../support/factories";
import type { NodeProcess } from "../support/node-process";
import type { TargetServer } from "../support/target-server";
import { expectOneCompletionPerStep, startWorkerCluster, untilStatementsLanded, type WorkerCluster } from "../support/worker-cluster";

const RUNS = 30;
const STEPS = 4;
const LEASE_TTL_MS = 1500;

/**
 * A worker frozen (SIGSTOP) past ENGINE_LEASE_TTL while it runs steps keeps nothing: its leases lapse, the other
 * workers run those steps again (one of them taking over the frozen worker's role of sweeper), and when it wakes (SIGCONT) the results it then reports
 * are discarded. Every step's completion is recorded once and every run completes.
 */
describeWith(["postgres", "nats"])("a worker frozen past its lease", () => {
	let cluster: WorkerCluster;
	let target: TargetServer;
	let gateway: NodeProcess;
	let workers: NodeProcess[] = [];
	let pg: Client;
	let frozen: NodeProcess | undefined;

	beforeAll(async () => {
		cluster = await startWorkerCluster("late-worker", { ENGINE_LEASE_TTL: `${LEASE_TTL_MS}ms`, ENGINE_SWEEP_INTERVAL: "200ms", ENGINE_DISPATCH_GRACE: "1s" });
		({ target, gateway, workers, pg } = cluster);
	}, 60000);

	afterAll(async () => {
		// A stopped process is woken before it is killed, so nothing is left behind stopped.
		if (frozen && frozen.proc.exitCode === null) frozen.proc.kill("SIGCONT");
		await cluster?.stop();
	});


	const count = async (sql: string, bind: unknown[] = []) => (await pg.query<{ n: number }>(sql, bind)).rows[0].n;

	it("discards the late results of the frozen worker; each step completes once and every run completes", async () => {
		const http = supertest(gateway.url!);
		await waitForRoute(http, "post", "/api/v3/workflows/execute");
		const user = await createUser(http);
		const steps = Array.from({ length: STEPS }, (_, i) => ({
			id: `s${i}`,
			type: "http_request",
			params: { url: `${target.url}/slow?ms=400` },
			depends_on: i ? [`s${i - 1}`] : []
		}));
		await http.post("/api/v3/workflows").set(user.auth).send({ workflow_id: "frozen", version: "1.0.0", steps }).expect(201);
		const runs = await Promise.all(
			Array.from({ length: RUNS }, () => http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "frozen", workflow_version: "1.0.0" }))
		);
		for (const res of runs) expect(res.status).toBe(202);

		// Freeze the elected sweeper itself while it holds running steps. A frozen process keeps its PostgreSQL
		// session and with it the election lock: another node must end that session and sweep in its place.
		const elected = (w: NodeProcess) => w.lines.some(l => l.msg === "This node now sweeps the engine (elected)");
		for (const until = Date.now() + 10000; !workers.some(elected); ) {
			if (Date.now() > until) throw new Error("no worker was elected to sweep");
			await new Promise(r => setTimeout(r, 50));
		}
		const victim = workers.find(elected)!;
		const victimId = workers.indexOf(victim) + 1;
		const owned = `lease_owner LIKE 'late-worker-${victimId}:%'`;
		const held = `SELECT COUNT(*)::int AS n FROM step_runs WHERE status = 'running' AND ${owned}`;
		for (let tries = 0; (await count(held)) === 0; tries++) {
			if (tries > 500) throw new Error(`worker ${victimId} never held a running step`);
			await new Promise(r => setTimeout(r, 10));
		}
		frozen = victim;
		victim.proc.kill("SIGSTOP");
		// A commit it sent just before stopping still lands (later on a loaded machine): read what it holds once PostgreSQL
		// has carried out every statement it sent.
		await untilStatementsLanded(pg, victim.pid);
		const orphans = (await pg.query<{ execution_id: string; step_id: string }>(`SELECT execution_id, step_id FROM step_runs WHERE status = 'running' AND ${owned}`)).rows;
		expect(orphans.length).toBeGreaterThan(0);
		const orphanList = `(${orphans.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(", ")})`;
		const orphanBind = orphans.flatMap(o => [o.execution_id, o.step_id]);

		// The others take them over once the leases lapse (running them again, or done already).
		for (const until = Date.now() + 20000; ; ) {
			if (Date.now() > until) throw new Error(`the frozen worker's steps were not taken over: ${JSON.stringify((await pg.query(`SELECT step_id, status, lease_owner, recoveries FROM step_runs WHERE (execution_id, step_id) IN ${orphanList}`, orphanBind)).rows)}`);
			const open = await count(
				`SELECT COUNT(*)::int AS n FROM step_runs WHERE (execution_id, step_id) IN ${orphanList}
				AND NOT (status = 'completed' OR (status = 'running' AND NOT ${owned}))`,
				orphanBind
			);
			if (open === 0) break;
			await new Promise(r => setTimeout(r, 20));
		}
		// Another worker was elected to sweep while the first one was frozen.
		expect(workers.filter(w => w !== victim).some(elected)).toBe(true);
		// The worker wakes with the answers of its old requests and reports each of them too late, whether
		// the step is still running under another node's lease or already completed there.
		victim.proc.kill("SIGCONT");
		frozen = undefined;
		const key = (r: object) => `${String((r as { execution_id?: unknown }).execution_id)}/${String((r as { step_id?: unknown }).step_id)}`;
		const expected = orphans.map(key).sort();
		const discarded = () => [...new Set(victim.lines.filter(l => String(l.msg).startsWith("Discarded a late result")).map(key))].sort();
		const missing = () => expected.filter(k => !discarded().includes(k));
		for (const until = Date.now() + 15000; missing().length && Date.now() < until; ) await new Promise(r => setTimeout(r, 50));
		expect(missing()).toEqual([]);

		for (const until = Date.now() + 30000; ; ) {
			const { rows } = await pg.query<{ status: string; n: number }>("SELECT status, COUNT(*)::int AS n FROM executions GROUP BY status");
			if (Date.now() > until) throw new Error(`runs did not complete: ${JSON.stringify(rows)}`);
			const byStatus = Object.fromEntries(rows.map(r => [r.status, r.n]));
			expect(byStatus.failed ?? 0).toBe(0);
			if ((byStatus.completed ?? 0) === RUNS) break;
			await new Promise(r => setTimeout(r, 100));
		}

		// Each step completed once in the ledger and in its events, however many times it ran.
		expect(await count("SELECT COUNT(*)::int AS n FROM step_runs WHERE status = 'completed' AND output IS NOT NULL")).toBe(RUNS * STEPS);
		await expectOneCompletionPerStep(pg, RUNS * STEPS);
		// Whatever it discarded had been taken from it; the orphans really ran twice: on the frozen worker and again elsewhere.
		const [discardedRecovered] = (
			await pg.query<{ n: number }>(
				`SELECT COUNT(*)::int AS n FROM step_runs WHERE execution_id || '/' || step_id = ANY($1) AND recoveries > 0`,
				[discarded()]
			)
		).rows;
		expect(discardedRecovered.n).toBe(discarded().length);
		for (const o of orphans) {
			const calls = [...target.calls.entries()].filter(([key]) => key.startsWith(`${o.execution_id}:${o.step_id}:`)).reduce((n, [, c]) => n + c, 0);
			expect(calls).toBeGreaterThanOrEqual(2);
		}
		expect(await count(`SELECT COALESCE(SUM(recoveries), 0)::int AS n FROM step_runs WHERE (execution_id, step_id) IN ${orphanList}`, orphanBind)).toBeGreaterThanOrEqual(orphans.length);
	}, 90000);
});
