"use strict";
/**
 * SQL statements per step, by operation and table, as the nodes' own metrics count them
 * (`db_queries_total`): 1,000 concurrent runs of a 10-step chain, embedded or in a
 * cluster (a gateway node and two execution nodes over NATS and PostgreSQL).
 *   npm run build && node bench/engine/statements.js [embedded|cluster]
 * Counts are what each node ran between two scrapes around the workload, over its 10,000 steps.
 */
const { machine, api, statementCounts } = require("../lib/server");
const { chain, runAll, withEmbedded, withCluster } = require("./run");

const RUNS = Number(process.env.BENCH_RUNS ?? 1000);

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

async function main() {
	const which = process.argv[2] ?? "embedded";
	console.log(`machine: ${machine()}; ${new Date().toISOString()}; ${which}, ${RUNS} runs × 10 steps`);
	await (which === "cluster" ? withCluster : withEmbedded)(({ url, metricsUrls }) => workload(url, metricsUrls));
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
