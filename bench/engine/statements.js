"use strict";
/**
 * SQL statements per step, by operation and table, as the nodes' own metrics count them
 * (`db_queries_total`): 1,000 concurrent runs of a 10-step chain, embedded or in a
 * cluster (a gateway node and two execution nodes over NATS and PostgreSQL).
 *   npm run build && node bench/engine/statements.js [embedded|cluster]
 * Counts are what each node ran between two scrapes around the workload, over its 10,000 steps.
 */
const { randomBytes } = require("node:crypto");
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { startServer, spawnNode, machine, freePort, api, createDatabase } = require("../lib/server");
const { chain, runAll } = require("./run");

const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const NATS = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";
const SECRET = "bench-secret-key-that-is-long-enough-0123456789";
const RUNS = Number(process.env.BENCH_RUNS ?? 1000);

/** `db_queries_total` and `db_query_duration_seconds_sum` of one node's /metrics, by "operation table". */
async function statementCounts(metricsUrl) {
	const text = await (await fetch(metricsUrl)).text();
	const counts = new Map();
	for (const line of text.split("\n")) {
		const m = /^(db_queries_total|db_query_duration_seconds_sum)\{([^}]*)\} ([\d.e+-]+)/.exec(line);
		if (!m) continue;
		const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map(x => [x[1], x[2]]));
		const key = `${labels.operation} ${labels.table}`;
		const entry = counts.get(key) ?? { n: 0, seconds: 0 };
		if (m[1] === "db_queries_total") entry.n = Number(m[3]);
		else entry.seconds = Number(m[3]);
		counts.set(key, entry);
	}
	return counts;
}

async function workload(url, metricsUrls) {
	await api(url, "POST", "/api/v3/auth/register", { email: "stmts@example.com", password: "bench-password" });
	const { access_token: token } = await api(url, "POST", "/api/v3/auth/login", { email: "stmts@example.com", password: "bench-password" });
	await api(url, "POST", "/api/v3/workflows", chain("many", 10), token);
	await runAll(url, token, "many", 10); // warm-up
	const before = await Promise.all(metricsUrls.map(statementCounts));
	await runAll(url, token, "many", RUNS);
	const after = await Promise.all(metricsUrls.map(statementCounts));
	const steps = RUNS * 10;
	const rows = new Map();
	after.forEach((counts, node) => {
		for (const [key, { n, seconds }] of counts) {
			const was = before[node].get(key) ?? { n: 0, seconds: 0 };
			if (n - was.n <= 0) continue;
			const row = rows.get(key) ?? { n: 0, seconds: 0 };
			rows.set(key, { n: row.n + n - was.n, seconds: row.seconds + seconds - was.seconds });
		}
	});
	const sorted = [...rows].sort((a, b) => b[1].seconds - a[1].seconds);
	// The time is the statement's own, as the node measured it around the driver call (in PostgreSQL, the round trip).
	console.log(`| statement (operation, table) | per step | µs each | µs per step |`);
	console.log(`|---|---|---|---|`);
	for (const [key, { n, seconds }] of sorted) console.log(`| ${key} | ${(n / steps).toFixed(3)} | ${((seconds / n) * 1e6).toFixed(0)} | ${((seconds / steps) * 1e6).toFixed(1)} |`);
	const total = sorted.reduce((s, [, r]) => ({ n: s.n + r.n, seconds: s.seconds + r.seconds }), { n: 0, seconds: 0 });
	console.log(`| **all** | **${(total.n / steps).toFixed(2)}** | ${((total.seconds / total.n) * 1e6).toFixed(0)} | **${((total.seconds / steps) * 1e6).toFixed(1)}** |`);
}

async function embedded() {
	const dir = mkdtempSync(path.join(tmpdir(), "cos-bench-stmts-"));
	const s = await startServer({ DATA_DIR: dir, SECURITY_BCRYPT_ROUNDS: "4" });
	try {
		await workload(s.url, [`${s.url}/metrics`]);
	} finally {
		await s.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

async function cluster() {
	const db = await createDatabase(PG_ADMIN, "cos_bench");
	const [port, m1, m2] = [await freePort(), await freePort(), await freePort()];
	const common = { TRANSPORTER: NATS, NAMESPACE: `bench-${randomBytes(3).toString("hex")}`, DATABASE_URL: db.url, SECURITY_SECRET_KEY: SECRET, SECURITY_BCRYPT_ROUNDS: "4" };
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
		await workload(url, [`${url}/metrics`, `http://127.0.0.1:${m1}/metrics`, `http://127.0.0.1:${m2}/metrics`]);
	} finally {
		for (const n of nodes) n.kill("SIGTERM");
		await new Promise(r => setTimeout(r, 1500));
		await db.drop();
	}
}

async function main() {
	const which = process.argv[2] ?? "embedded";
	console.log(`machine: ${machine()}; ${new Date().toISOString()}; ${which}, ${RUNS} runs × 10 steps`);
	await (which === "cluster" ? cluster() : embedded());
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
