"use strict";
/**
 * Engine throughput and step-to-step latency, embedded and in a cluster:
 *   - a chain of 100 no-op transform steps,
 *   - a fan-out of 100 with a join,
 *   - 1,000 concurrent runs of a 10-step chain;
 * with PostgreSQL's own single-transaction commit time (pgbench) as the floor.
 *   npm run build && node bench/engine/run.js [embedded|cluster|both]
 * Latency is from a step's completion to its successor's start, read from the ledger
 * (millisecond timestamps). CPU per step is what the CognitionOS processes (and their
 * worker processes) used during a workload, over its steps: steadier than steps/s on a
 * shared machine (PostgreSQL and NATS are not counted).
 */
const { execFileSync } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const { mkdtempSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { startServer, spawnNode, machine, freePort, api, startRuns, createDatabase, treeCpu, cpuBetween } = require("../lib/server");

const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const NATS = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";
const SECRET = "bench-secret-key-that-is-long-enough-0123456789";

const pct = (xs, p) => {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};


function chain(id, n) {
	return {
		workflow_id: id,
		version: "1.0.0",
		steps: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, type: "transform", params: { expression: "1" }, depends_on: i ? [`s${i - 1}`] : [] }))
	};
}

function fanout(id, n) {
	const middle = Array.from({ length: n }, (_, i) => ({ id: `m${i}`, type: "transform", params: { expression: "1" }, depends_on: ["root"] }));
	return {
		workflow_id: id,
		version: "1.0.0",
		steps: [{ id: "root", type: "transform", params: { expression: "1" } }, ...middle, { id: "join", type: "transform", params: { expression: "1" }, depends_on: middle.map(m => m.id) }]
	};
}

/** How many runs of `workflowId` are in `status`, from the runs list's total (no run is read). */
async function countRuns(url, token, workflowId, status) {
	const page = await api(url, "GET", `/api/v3/workflows/executions?workflow_id=${encodeURIComponent(workflowId)}&status=${status}&page_size=1`, undefined, token);
	return page.total;
}

/**
 * Starts `n` runs of `workflowId` (50 requests at a time) and waits for them to end, by
 * the runs list's counts every 50 ms: the wait reads no run, so it costs the runtime under
 * test next to nothing, as the peers' own waits do. Throws when one fails or is cancelled.
 */
async function runAll(url, token, workflowId, n) {
	const before = {};
	for (const status of ["completed", "failed", "cancelled"]) before[status] = await countRuns(url, token, workflowId, status);
	const ids = await startRuns(url, token, workflowId, n);
	for (;;) {
		for (const status of ["failed", "cancelled"]) {
			if ((await countRuns(url, token, workflowId, status)) > before[status]) throw new Error(`a run of ${workflowId} ${status}`);
		}
		if ((await countRuns(url, token, workflowId, "completed")) >= before.completed + n) return ids;
		await new Promise(r => setTimeout(r, 50));
	}
}

/** Steps/s over the whole workload, and completion→successor-start latencies, from the executions' step times. */
async function measure(url, token, ids, definition) {
	const deps = new Map(definition.steps.map(s => [s.id, s.depends_on ?? []]));
	let first = Infinity;
	let last = 0;
	let steps = 0;
	const gaps = [];
	for (const id of ids) {
		const e = await api(url, "GET", `/api/v3/workflows/executions/${id}`, undefined, token);
		if (e.status !== "completed") throw new Error(`execution ${id} ${e.status}: ${JSON.stringify(e.error)}`);
		const byId = new Map(e.steps.map(s => [s.step_id, s]));
		for (const s of e.steps) {
			const start = Date.parse(s.started_at);
			const end = Date.parse(s.completed_at);
			first = Math.min(first, start);
			last = Math.max(last, end);
			steps++;
			const d = deps.get(s.step_id);
			if (!d) throw new Error(`unknown step ${s.step_id} in ${JSON.stringify([...deps.keys()].slice(0, 3))}`);
			if (d.length) gaps.push(start - Math.max(...d.map(p => Date.parse(byId.get(p).completed_at))));
		}
	}
	const seconds = Math.max(1, last - first) / 1000;
	return { steps, seconds, stepsPerSecond: steps / seconds, p50: pct(gaps, 50), p99: pct(gaps, 99) };
}

async function workloads(url, pids) {
	const email = `bench-${randomBytes(4).toString("hex")}@example.com`;
	await api(url, "POST", "/api/v3/auth/register", { email, password: "bench-password" });
	const { access_token: token } = await api(url, "POST", "/api/v3/auth/login", { email, password: "bench-password" });
	const results = {};

	const c = chain("chain100", 100);
	await api(url, "POST", "/api/v3/workflows", c, token);
	/** A workload's measurements, with the CPU our processes used while it ran. */
	const measured = async (wf, n, definition) => {
		const before = treeCpu(pids);
		const ids = await run(wf, n);
		const cpu = cpuBetween(before, treeCpu(pids));
		const m = await measure(url, token, ids, definition);
		return { ...m, cpuMsPerStep: (cpu * 1000) / m.steps };
	};
	const run = (wf, n) => runAll(url, token, wf, n);
	// Warm-up: caches, JIT, connection pools.
	await run("chain100", 1);
	results["chain of 100"] = await measured("chain100", 1, c);

	const f = fanout("fanout100", 100);
	await api(url, "POST", "/api/v3/workflows", f, token);
	results["fan-out of 100 + join"] = await measured("fanout100", 1, f);

	const ten = chain("chain10", 10);
	await api(url, "POST", "/api/v3/workflows", ten, token);
	results["1,000 runs × 10 steps"] = await measured("chain10", 1000, ten);
	return results;
}

const benchDatabase = () => createDatabase(PG_ADMIN, "cos_bench");

/** PostgreSQL's single-transaction commit time on this machine: one client, one-row UPDATE per transaction. */
function pgbenchFloor(dbUrl) {
	const c = new URL(dbUrl);
	const args = ["-h", c.hostname, "-p", c.port || "5432", "-U", c.username || "postgres"];
	const dir = mkdtempSync(path.join(tmpdir(), "cos-pgbench-"));
	const script = path.join(dir, "commit.sql");
	writeFileSync(script, "BEGIN;\nUPDATE bench_floor SET v = v + 1 WHERE id = 1;\nCOMMIT;\n");
	execFileSync("psql", [...args, "-q", "-d", c.pathname.slice(1), "-c", "CREATE TABLE IF NOT EXISTS bench_floor (id int primary key, v bigint); INSERT INTO bench_floor VALUES (1, 0) ON CONFLICT DO NOTHING;"]);
	const out = execFileSync("pgbench", [...args, "-n", "-c", "1", "-T", "5", "-f", script, c.pathname.slice(1)], { encoding: "utf8" });
	rmSync(dir, { recursive: true, force: true });
	return Number(/latency average = ([\d.]+) ms/.exec(out)[1]);
}


/**
 * A gateway node and two execution nodes (each with its own /metrics port) over NATS, on a
 * fresh PostgreSQL database, for `fn({ url, pids, metricsUrls, dbUrl })`; stopped and dropped after.
 */
async function withCluster(fn) {
	const db = await benchDatabase();
	const [port, m1, m2] = [await freePort(), await freePort(), await freePort()];
	const common = {
		TRANSPORTER: NATS,
		NAMESPACE: `bench-${randomBytes(3).toString("hex")}`,
		DATABASE_URL: db.url,
		SECURITY_SECRET_KEY: SECRET,
		SECURITY_BCRYPT_ROUNDS: "4"
	};
	const nodes = [];
	try {
		nodes.push(await spawnNode({ ...common, SERVICES: "api-gateway,auth,workflow,llm", API_PORT: String(port), API_HOST: "127.0.0.1" }));
		nodes.push(await spawnNode({ ...common, SERVICES: "execution", NODE_ID: "exec-1", OBSERVABILITY_METRICS_PORT: String(m1) }));
		nodes.push(await spawnNode({ ...common, SERVICES: "execution", NODE_ID: "exec-2", OBSERVABILITY_METRICS_PORT: String(m2) }));
		const url = `http://127.0.0.1:${port}`;
		for (;;) {
			const res = await fetch(`${url}/api/v3/workflows/execute`, { method: "POST" });
			if (res.status === 401) break;
			await new Promise(r => setTimeout(r, 100));
		}
		const metricsUrls = [`${url}/metrics`, ...[m1, m2].map(m => `http://127.0.0.1:${m}/metrics`)];
		return await fn({ url, pids: nodes.map(n => n.pid), metricsUrls, dbUrl: db.url });
	} finally {
		for (const n of nodes) n.kill("SIGTERM");
		await new Promise(r => setTimeout(r, 1500));
		await db.drop();
	}
}

/** An embedded server on a fresh data directory, for `fn({ url, pids, metricsUrls })`; stopped and removed after. */
async function withEmbedded(fn) {
	const dir = mkdtempSync(path.join(tmpdir(), "cos-bench-engine-"));
	const s = await startServer({ DATA_DIR: dir, SECURITY_BCRYPT_ROUNDS: "4" });
	try {
		return await fn({ url: s.url, pids: [s.pid], metricsUrls: [`${s.url}/metrics`] });
	} finally {
		await s.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

const cluster = () => withCluster(async ({ url, pids, dbUrl }) => ({ results: await workloads(url, pids), floorMs: pgbenchFloor(dbUrl) }));
const embedded = () => withEmbedded(async ({ url, pids }) => ({ results: await workloads(url, pids) }));

function print(mode, { results, floorMs }) {
	console.log(`\n${mode}${floorMs ? ` (PostgreSQL single-transaction commit floor, pgbench: ${floorMs.toFixed(3)} ms)` : ""}`);
	console.log("| workload | steps | wall s | steps/s | p50 ms | p99 ms | CPU ms/step |");
	console.log("|---|---|---|---|---|---|---|");
	for (const [name, r] of Object.entries(results)) {
		console.log(`| ${name} | ${r.steps} | ${r.seconds.toFixed(2)} | ${r.stepsPerSecond.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.cpuMsPerStep.toFixed(3)} |`);
	}
}

async function main() {
	const which = process.argv[2] ?? "both";
	console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
	if (which === "embedded" || which === "both") print("embedded (SQLite, one process)", await embedded());
	if (which === "cluster" || which === "both") print("cluster (gateway node + 2 execution nodes, NATS, PostgreSQL)", await cluster());
}

module.exports = { chain, fanout, measure, runAll, spawnNode, pgbenchFloor, withEmbedded, withCluster };

if (require.main === module)
	main().catch(err => {
		console.error(err);
		process.exit(1);
	});
