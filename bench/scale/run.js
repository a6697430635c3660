"use strict";
/**
 * Scale-out: throughput of a cluster with 1, 2 and 3 execution nodes (plus one gateway
 * node running api-gateway, auth, workflow and llm), over NATS and PostgreSQL, with the
 * CPU each process used while the workload ran (utime + stime from /proc/<pid>/stat).
 * Two workloads:
 *   - waiting steps: runs of a 10-step chain of http_request steps to a local server that
 *     answers after 200 ms, with ENGINE_WORKER_CONCURRENCY=8 per node (a node's capacity
 *     is its slots, as with LLM or HTTP calls that mostly wait);
 *   - no-op steps: runs of a 10-step chain of transform steps at the default concurrency
 *     (the engine's own cost per step: claims, commits, events, dispatch).
 *   npm run build && node bench/scale/run.js [nodes...]      e.g. node bench/scale/run.js 1 2 3
 * BENCH_WAITING_RUNS (144), BENCH_NOOP_RUNS (300) change the sizes.
 */
const { execFileSync } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const { readFileSync } = require("node:fs");
const http = require("node:http");
const { Client } = require("pg");
const { spawnNode: startNode, pidsNamed, machine, freePort, api, startRuns, createDatabase } = require("../lib/server");

const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const NATS = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";
const SECRET = "bench-secret-key-that-is-long-enough-0123456789";
const WAITING_RUNS = Number(process.env.BENCH_WAITING_RUNS ?? 144);
const NOOP_RUNS = Number(process.env.BENCH_NOOP_RUNS ?? 300);
const STEPS = 10;
const WAIT_MS = 200;
const SLOTS = 8;
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

// ------------------------------------------------------------------ CPU accounting from /proc

/** CPU seconds a process has used so far (user + system). */
function cpuSeconds(pid) {
	const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	// Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}


/** CPU seconds that `pids()` used between now and the call of the returned function; pids that appear meanwhile count whole. */
function cpuOf(pids) {
	return async () => {
		const before = new Map((await pids()).map(pid => [pid, safeCpu(pid)]));
		return async () => {
			let total = 0;
			for (const pid of await pids()) {
				const now = safeCpu(pid);
				if (now === null) continue;
				total += now - (before.get(pid) ?? 0);
			}
			return total;
		};
	};
}

/** The PostgreSQL backends serving this benchmark's database (its nodes' pools), not the server's other clients. */
const backendsOf = pg => async () => (await pg.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).rows.map(r => r.pid);

function safeCpu(pid) {
	try {
		return cpuSeconds(pid);
	} catch {
		return null;
	}
}

/** The whole machine's busy and total jiffies, from /proc/stat. */
function machineTicks() {
	const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
	const n = values.map(Number);
	const idle = n[3] + n[4];
	const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
	return { busy: total - idle, total };
}

// ------------------------------------------------------------------ the cluster


/** A node of the cluster, remembered until it exits (so an interrupted bench stops what it started). */
async function spawnNode(env) {
	const proc = await startNode(env);
	running.add(proc);
	proc.once("exit", () => running.delete(proc));
	return proc;
}

const benchDatabase = () => createDatabase(PG_ADMIN, "cos_bench_scale");

/** The local server the waiting steps call: it answers after `ms`. */
function startTarget() {
	const server = http.createServer((req, res) => {
		const ms = Number(new URL(req.url, "http://x").searchParams.get("ms") ?? 0);
		setTimeout(() => {
			res.writeHead(200, { "content-type": "application/json" });
			res.end(`{"slept":${ms}}`);
		}, ms);
	});
	return new Promise(resolve => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}


const chain = (id, step) => ({
	workflow_id: id,
	version: "1.0.0",
	steps: Array.from({ length: STEPS }, (_, i) => ({ id: `s${i}`, ...step, depends_on: i ? [`s${i - 1}`] : [] }))
});

/** Starts `runs` executions of `workflowId` (50 requests at a time) and waits, reading the ledger, until all have finished. */
async function runAll(url, token, pg, workflowId, runs) {
	const ids = await startRuns(url, token, workflowId, runs);
	for (;;) {
		const { rows } = await pg.query("SELECT status, COUNT(*)::int AS n FROM executions WHERE id = ANY($1) GROUP BY status", [ids]);
		const by = Object.fromEntries(rows.map(r => [r.status, r.n]));
		if ((by.failed ?? 0) + (by.cancelled ?? 0) > 0) throw new Error(`runs of ${workflowId} failed: ${JSON.stringify(by)}`);
		if ((by.completed ?? 0) === ids.length) break;
		await new Promise(r => setTimeout(r, 100));
	}
	return ids;
}

/** One workload on one cluster: steps/s from the ledger, and CPU seconds per process over the same span. */
async function measure(cluster, workflowId, runs) {
	const pids = cluster.nodes.map(n => n.proc.pid);
	const before = pids.map(cpuSeconds);
	const postgres = await (await cpuOf(backendsOf(cluster.pg)))();
	const nats = await (await cpuOf(async () => pidsNamed("nats-server")))();
	const ticks0 = machineTicks();
	const ids = await runAll(cluster.url, cluster.token, cluster.pg, workflowId, runs);
	const ticks1 = machineTicks();
	const used = pids.map((pid, i) => cpuSeconds(pid) - before[i]);
	const { rows } = await cluster.pg.query(
		"SELECT COUNT(*)::int AS steps, MIN(started_at)::bigint AS first, MAX(completed_at)::bigint AS last FROM step_runs WHERE execution_id = ANY($1)",
		[ids]
	);
	const seconds = (Number(rows[0].last) - Number(rows[0].first)) / 1000;
	return {
		steps: rows[0].steps,
		seconds,
		stepsPerSecond: rows[0].steps / seconds,
		cpu: { gateway: used[0], workers: used.slice(1), postgres: await postgres(), nats: await nats() },
		machineBusy: (ticks1.busy - ticks0.busy) / (ticks1.total - ticks0.total)
	};
}

/** Every node process started here, so that an interrupted run leaves none behind. */
const running = new Set();
for (const signal of ["SIGINT", "SIGTERM"])
	process.on(signal, () => {
		for (const proc of running) proc.kill("SIGKILL");
		process.exit(130);
	});

async function withCluster(executionNodes, slots, fn) {
	const db = await benchDatabase();
	const port = await freePort();
	const common = {
		TRANSPORTER: NATS,
		NAMESPACE: `bench-scale-${randomBytes(3).toString("hex")}`,
		DATABASE_URL: db.url,
		SECURITY_SECRET_KEY: SECRET,
		SECURITY_BCRYPT_ROUNDS: "4",
		STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
		OBSERVABILITY_LOG_LEVEL: "info"
	};
	const nodes = [];
	const pg = new Client({ connectionString: db.url });
	try {
		nodes.push({ proc: await spawnNode({ ...common, SERVICES: "api-gateway,auth,workflow,llm", API_PORT: String(port), API_HOST: "127.0.0.1", NODE_ID: "gateway" }) });
		for (let i = 1; i <= executionNodes; i++) nodes.push({ proc: await spawnNode({ ...common, SERVICES: "execution", NODE_ID: `exec-${i}`, ENGINE_WORKER_CONCURRENCY: String(slots) }) });
		const url = `http://127.0.0.1:${port}`;
		for (;;) {
			const res = await fetch(`${url}/api/v3/workflows/execute`, { method: "POST" });
			if (res.status === 401) break;
			await new Promise(r => setTimeout(r, 100));
		}
		// The gateway spreads execute calls over the execution nodes it knows: wait until it knows them all.
		await new Promise(r => setTimeout(r, 1500));
		const email = `bench-${randomBytes(4).toString("hex")}@example.com`;
		await api(url, "POST", "/api/v3/auth/register", { email, password: "bench-password" });
		const { access_token: token } = await api(url, "POST", "/api/v3/auth/login", { email, password: "bench-password" });
		await pg.connect();
		return await fn({ url, token, pg, nodes });
	} finally {
		for (const n of nodes) n.proc.kill("SIGTERM");
		await Promise.all(nodes.map(n => new Promise(r => (n.proc.exitCode !== null ? r() : n.proc.once("exit", r)))));
		await pg.end().catch(() => undefined);
		await db.drop();
	}
}

async function main() {
	const counts = process.argv.slice(2).map(Number).filter(Boolean);
	const nodeCounts = counts.length ? counts : [1, 2, 3];
	const target = await startTarget();
	console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
	const results = [];
	for (const k of nodeCounts) {
		for (const workload of ["waiting", "noop"]) {
			// Waiting steps: each node has SLOTS slots; no-op steps: the default 32.
			const r = await withCluster(k, workload === "waiting" ? SLOTS : 32, async cluster => {
				const definition =
					workload === "waiting"
						? chain("waiting", { type: "http_request", params: { url: `${target.url}/?ms=${WAIT_MS}` } })
						: chain("noop", { type: "transform", params: { expression: "1" } });
				await api(cluster.url, "POST", "/api/v3/workflows", definition, cluster.token);
				// Warm-up: caches, JIT, connection pools on every node.
				await runAll(cluster.url, cluster.token, cluster.pg, definition.workflow_id, 4 * k);
				return measure(cluster, definition.workflow_id, workload === "waiting" ? WAITING_RUNS : NOOP_RUNS);
			});
			results.push({ k, workload, ...r });
			console.error(`${k} node(s), ${workload}: ${r.stepsPerSecond.toFixed(1)} steps/s`);
		}
	}
	target.close();

	const f = x => x.toFixed(1);
	console.log("\n| workload | execution nodes | steps | wall s | steps/s | × 1 node | CPU s: gateway node | CPU s: each execution node | CPU s: its PostgreSQL backends | CPU s: nats-server (shared) | machine busy (all jobs) |");
	console.log("|---|---|---|---|---|---|---|---|---|---|---|");
	for (const r of results) {
		const base = results.find(x => x.workload === r.workload && x.k === nodeCounts[0]);
		console.log(
			`| ${r.workload === "waiting" ? `waiting steps (${WAIT_MS} ms, ${SLOTS} slots/node)` : "no-op steps"} | ${r.k} | ${r.steps} | ${f(r.seconds)} | ${f(r.stepsPerSecond)} | ${(r.stepsPerSecond / base.stepsPerSecond).toFixed(2)} | ${f(r.cpu.gateway)} | ${r.cpu.workers.map(f).join(" / ")} | ${f(r.cpu.postgres)} | ${f(r.cpu.nats)} | ${(r.machineBusy * 100).toFixed(0)} % |`
		);
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
