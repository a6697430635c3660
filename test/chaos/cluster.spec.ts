import { canRunPrivatePostgres, type StopMode } from "../support/private-postgres";
import { canRunPrivate } from "../support/private-server";
import { canRunPrivateRabbit } from "../support/rabbitmq-node";
import type { NodeProcess } from "../support/node-process";
import { CHAOS_WORKFLOW, startChaosCluster, type ChaosCluster } from "./support/cluster";
import { Load } from "./support/load";
import { outcomeOf, postgresLedger, when, type Outcome } from "./support/outcome";
import { PROFILE } from "./support/profile";

/**
 * The experiments on a cluster of its own (private PostgreSQL, NATS, Redis, and
 * RabbitMQ in the full profile): a steady load of runs, one fault in its middle, then what
 * became of every run. Each test waits for conditions; the durations it measures are
 * reported (stderr, and bench/chaos/results.jsonl with `npm run test:chaos`), not asserted.
 */
const runnable = canRunPrivatePostgres() && canRunPrivate("nats-server") && canRunPrivate("redis-server") && (!PROFILE.rabbitmq || canRunPrivateRabbit());

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

(runnable ? describe : describe.skip)(`the cluster under faults (${PROFILE.name} profile)`, () => {
	let c: ChaosCluster;

	beforeAll(async () => {
		c = await startChaosCluster({ rabbitmq: PROFILE.rabbitmq });
	}, 240_000);
	afterAll(() => c?.stop(), 120_000);

	/** Runs a load, injects `fault` after the warm-up, keeps the load on for the cool-down, and counts what became of every run. */
	async function underLoad(
		experiment: string,
		fault: (load: Load) => Promise<() => Promise<{ ms: number | null; what: string }>>,
		notes?: string
	): Promise<{ outcome: Outcome; load: Load }> {
		const load = new Load(c.gatewayUrl, c.user.auth, CHAOS_WORKFLOW, PROFILE.runsPerSecond);
		load.start();
		await sleep(PROFILE.warmupMs);
		const recovery = await fault(load);
		await sleep(PROFILE.cooldownMs);
		await load.stop();
		const outcome = await outcomeOf(experiment, load, postgresLedger(c.query), { calls: c.target.calls, recovery, notes });
		expect(outcome.accepted).toBeGreaterThan(0);
		expect({ lost: outcome.lost, stuck: outcome.stuck, wrong: outcome.wrong, duplicates: outcome.duplicates, undelivered: outcome.undelivered }).toEqual({
			lost: 0,
			stuck: 0,
			wrong: 0,
			duplicates: 0,
			undelivered: 0
		});
		return { outcome, load };
	}

	/** The worker that sweeps now: the last one to log its election. */
	function sweeper(): NodeProcess {
		const elected = c.workers
			.filter(w => w.proc.exitCode === null)
			.map(w => ({ w, at: w.lines.filter(l => l.msg === "This node now sweeps the engine (elected)").at(-1)?.time }))
			.filter(e => e.at)
			.sort((a, b) => String(b.at).localeCompare(String(a.at)));
		return elected[0]?.w ?? c.workers[0];
	}

	const nodeIdOf = (w: NodeProcess) => String(w.lines.find(l => l.node_id)?.node_id);

	/** Steps this worker runs now (not waiting), by execution and step. */
	async function runningOn(w: NodeProcess): Promise<{ execution_id: string; step_id: string }[]> {
		return (await c.query<{ execution_id: string; step_id: string }>(`SELECT execution_id, step_id FROM step_runs WHERE status = 'running' AND waiting_for IS NULL AND lease_owner LIKE $1`, [`${nodeIdOf(w)}:%`])) ?? [];
	}

	/** Waits until none of `steps` is running under `w`'s leases any more: each finished, or runs on another node. */
	async function takenOver(w: NodeProcess, steps: { execution_id: string; step_id: string }[]): Promise<number> {
		return when(async () => {
			const rows = await c.query<{ n: number }>(
				`SELECT COUNT(*)::int AS n FROM step_runs s JOIN unnest($1::text[], $2::text[]) AS t(e, st) ON s.execution_id = t.e AND s.step_id = t.st
				WHERE s.status = 'running' AND (s.lease_owner LIKE $3 OR s.lease_owner IS NULL) AND s.waiting_for IS NULL`,
				[steps.map(s => s.execution_id), steps.map(s => s.step_id), `${nodeIdOf(w)}:%`]
			);
			return rows !== null && rows[0].n === 0;
		}, `the steps of ${nodeIdOf(w)} to run elsewhere`);
	}

	async function postgresRestart(mode: StopMode) {
		await underLoad(`PostgreSQL restart -m ${mode}`, async load => {
			const faultAt = Date.now();
			await c.pg.stop(mode);
			await c.pg.start();
			const backAt = Date.now();
			return async () => {
				// The runs in flight at the fault: accepted before it, finished after it.
				const ids = load.accepted().filter(r => r.acceptedAt < faultAt).map(r => r.id);
				const finishedBefore = (await c.query<{ id: string }>(`SELECT id FROM executions WHERE id = ANY($1) AND completed_at < $2`, [ids, faultAt]))?.map(r => r.id) ?? [];
				const inFlight = ids.filter(id => !finishedBefore.includes(id));
				const last = await postgresLedger(c.query).lastFinished(inFlight);
				return {
					ms: last?.at ? last.at - backAt : null,
					what: `last of the ${inFlight.length} runs in flight at the fault finished, after PostgreSQL was back (down ${backAt - faultAt} ms)`
				};
			};
		});
	}

	it("PostgreSQL restart -m fast: every run in flight finishes, the load goes on", () => postgresRestart("fast"), 300_000);

	it("PostgreSQL restart -m immediate (crash recovery): every run in flight finishes, the load goes on", () => postgresRestart("immediate"), 300_000);

	it("SIGSTOP of the sweeping execution node: its steps run elsewhere, its late results are discarded", async () => {
		await underLoad("SIGSTOP of the sweeping execution node", async () => {
			const victim = sweeper();
			await when(async () => (await runningOn(victim)).length > 0, `${nodeIdOf(victim)} to hold running steps`);
			const frozenAt = Date.now();
			victim.proc.kill("SIGSTOP");
			const held = await runningOn(victim);
			const movedAt = held.length ? await takenOver(victim, held) : frozenAt;
			await sleep(Math.max(0, frozenAt + PROFILE.freezeMs - Date.now()));
			victim.proc.kill("SIGCONT");
			return async () => ({ ms: movedAt - frozenAt, what: `the ${held.length} steps the frozen node held ran elsewhere, after the freeze (${PROFILE.freezeMs} ms)` });
		});
	}, 300_000);

	it("kill -9 of an execution node: its steps run elsewhere; a new node joins", async () => {
		await underLoad("kill -9 of an execution node", async () => {
			const victim = c.workers.find(w => w !== sweeper() && w.proc.exitCode === null)!;
			const index = c.workers.indexOf(victim);
			await when(async () => (await runningOn(victim)).length > 0, `${nodeIdOf(victim)} to hold running steps`);
			const held = await runningOn(victim);
			const killedAt = Date.now();
			await victim.kill();
			const movedAt = await takenOver(victim, held);
			// A new node takes its place, under a name of its own (a new pod).
			c.workers[index] = await c.startWorker();
			return async () => ({ ms: movedAt - killedAt, what: `the ${held.length} steps of the killed node ran elsewhere, after the kill` });
		});
	}, 300_000);

	it("NATS down: probes say so, clients get 503 (never 404), nothing is lost once it is back", async () => {
		let downAt = 0;
		let upAt = 0;
		const ready = async () => {
			const res = await fetch(`${c.gatewayUrl}/health/ready`).catch(() => null);
			return res ? { status: res.status, body: (await res.json()) as { nats?: string } } : null;
		};
		const { load } = await underLoad("NATS down", async () => {
			downAt = Date.now();
			await c.nats.stop("SIGKILL");
			const reportedAt = await when(async () => {
				const r = await ready();
				return r?.status === 503 && r.body.nats === "down";
			}, "the gateway's readiness to report NATS down");
			await sleep(Math.max(0, downAt + PROFILE.outageMs - Date.now()));
			await c.nats.start();
			upAt = Date.now();
			const readyAt = await when(async () => (await ready())?.status === 200, "the gateway to be ready again");
			return async () => ({ ms: readyAt - upAt, what: `gateway ready again after NATS was back (down ${upAt - downAt} ms; readiness said so ${reportedAt - downAt} ms into the outage)` });
		});
		// What clients asking while NATS was down heard: 503 (with Retry-After, so they asked again), never 404 or 500.
		const during = load.answerCounts(downAt, upAt);
		expect(Object.keys(during).filter(status => !["200", "202", "503"].includes(status))).toEqual([]);
		expect(during["503"]).toBeGreaterThan(0);
	}, 300_000);

	it("Redis down: sign-ins answer 503, runs go on, readiness stays up (degraded)", async () => {
		await underLoad("Redis down", async () => {
			const downAt = Date.now();
			await c.redis.stop("SIGKILL");
			const login = await fetch(`${c.gatewayUrl}/api/v3/auth/login`, {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify({ email: c.user.email, password: c.user.password })
			});
			expect(login.status).toBe(503);
			expect(Number(login.headers.get("retry-after"))).toBeGreaterThan(0);
			const ready = await fetch(`${c.gatewayUrl}/health/ready`);
			expect(ready.status).toBe(200);
			expect(await ready.json()).toMatchObject({ status: "ready", redis: "down", degraded: ["redis"] });
			await sleep(Math.max(0, downAt + PROFILE.outageMs - Date.now()));
			await c.redis.start();
			const upAt = Date.now();
			const backAt = await when(async () => {
				const res = await fetch(`${c.gatewayUrl}/api/v3/auth/login`, {
					method: "POST",
					headers: { "content-type": "application/json" },
					body: JSON.stringify({ email: c.user.email, password: c.user.password })
				});
				return res.status === 200;
			}, "sign-ins to work again");
			return async () => ({ ms: backAt - upAt, what: `sign-ins work again after Redis was back (down ${upAt - downAt} ms)` });
		});
	}, 300_000);

	it("kill -9 of the gateway: clients reconnect to its successor, nothing is lost", async () => {
		await underLoad("kill -9 of the gateway", async () => {
			const killedAt = Date.now();
			await c.gateway.kill();
			c.gateway = await c.startGateway();
			const readyAt = await when(async () => (await fetch(`${c.gatewayUrl}/health/ready`).catch(() => null))?.status === 200, "the new gateway to be ready");
			return async () => ({ ms: readyAt - killedAt, what: "a new gateway ready after the kill (clients got no connection meanwhile, and asked again)" });
		});
	}, 300_000);

	(PROFILE.rabbitmq ? it : it.skip)("RabbitMQ down: readiness stays up (degraded), events wait in the outbox and all arrive", async () => {
		await underLoad("RabbitMQ down", async () => {
			const downAt = Date.now();
			await c.rabbit!.stopApp();
			await when(async () => {
				const res = await fetch(`${c.gatewayUrl}/health/ready`);
				return res.status === 200 && ((await res.json()) as { rabbitmq?: string }).rabbitmq === "down";
			}, "readiness to report RabbitMQ down while staying ready");
			await sleep(Math.max(0, downAt + PROFILE.outageMs - Date.now()));
			await c.rabbit!.startApp();
			const upAt = Date.now();
			return async () => {
				const rows = await c.query<{ last: string | null }>(`SELECT MAX(published_at)::text AS last FROM outbox WHERE occurred_at < $1`, [upAt]);
				return { ms: rows?.[0].last ? Number(rows[0].last) - upAt : null, what: `the outbox's backlog published after RabbitMQ was back (down ${upAt - downAt} ms)` };
			};
		});
	}, 400_000);
});
