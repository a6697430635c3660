"use strict";
/**
 * Events in: 10,000 events through POST /api/v3/events, 20 % of them repeating an earlier
 * event's id, half of the unique ones matching a trigger's filter. Checks from the ledger
 * that every unique matching event started exactly one run and no duplicate or
 * non-matching one started any (none lost, none twice), and reports events/s accepted and
 * the time from an event's arrival to its run's first step starting.
 *   npm run build && node bench/events/run.js [embedded|cluster|both] [events]
 */
const { randomBytes } = require("node:crypto");
const { mkdtempSync, rmSync } = require("node:fs");
const { loadavg, tmpdir } = require("node:os");
const path = require("node:path");
const { Client } = require("pg");
const { startServer, spawnNode, machine, freePort, api, createDatabase } = require("../lib/server");

const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const NATS = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";
const SECRET = "bench-secret-key-that-is-long-enough-0123456789";
/** Requests in flight at once: a busy sender, not a flood. */
const CONCURRENCY = 32;
const DUPLICATE_SHARE = 0.2;

const pct = (xs, p) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** The events to send: unique ones (every other one over the filter's threshold), and repeats of earlier ids. */
function plan(total) {
	const unique = Math.round(total * (1 - DUPLICATE_SHARE));
	const events = [];
	for (let i = 0; i < unique; i++) events.push({ id: `bench-${i}`, matches: i % 2 === 0 });
	for (let i = unique; i < total; i++) {
		const earlier = events[Math.floor(Math.random() * unique)];
		events.splice(Math.floor(Math.random() * events.length) + 1, 0, { ...earlier, repeat: true });
	}
	return events;
}

async function workload(url, readLedger, total) {
	const email = `bench-${randomBytes(4).toString("hex")}@example.com`;
	await api(url, "POST", "/api/v3/auth/register", { email, password: "bench-password" });
	const { access_token: token } = await api(url, "POST", "/api/v3/auth/login", { email, password: "bench-password" });
	await api(
		url,
		"POST",
		"/api/v3/workflows",
		{
			workflow_id: "bench-orders",
			version: "1.0.0",
			inputs: [
				{ name: "n", type: "integer", required: true },
				{ name: "total", type: "integer", required: true }
			],
			triggers: [{ event: "order.created", filter: "${{ event.data.total }} > 100" }],
			steps: [{ id: "handle", type: "transform", params: { expression: "inputs.n" } }]
		},
		token
	);
	const events = plan(total);
	let next = 0;
	const answers = { 202: 0, 200: 0, runs: 0 };
	const t0 = Date.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < events.length) {
				const e = events[next++];
				const n = Number(e.id.slice("bench-".length));
				const res = await fetch(`${url}/api/v3/events`, {
					method: "POST",
					headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
					body: JSON.stringify({ name: "order.created", id: e.id, data: { n, total: e.matches ? 250 : 50 } })
				});
				const body = await res.json();
				if (res.status !== 200 && res.status !== 202) throw new Error(`POST /events: ${res.status} ${JSON.stringify(body)}`);
				answers[res.status]++;
				answers.runs += body.runs?.length ?? 0;
			}
		})
	);
	const acceptSeconds = (Date.now() - t0) / 1000;
	const expected = events.filter(e => !e.repeat && e.matches).length;
	// Every run finishes (none lost), then the ledger is read.
	let ledger;
	for (;;) {
		ledger = await readLedger();
		if (ledger.finished >= expected || Date.now() - t0 > 600_000) break;
		await new Promise(r => setTimeout(r, 200));
	}
	const uniqueIds = new Set(events.map(e => e.id)).size;
	const problems = [];
	if (answers[202] !== uniqueIds) problems.push(`${answers[202]} events accepted as new, expected ${uniqueIds}`);
	if (answers[200] !== total - uniqueIds) problems.push(`${answers[200]} duplicates answered, expected ${total - uniqueIds}`);
	if (ledger.runs !== expected) problems.push(`${ledger.runs} runs in the ledger, expected ${expected}`);
	if (ledger.distinctEvents !== expected) problems.push(`${ledger.distinctEvents} events started runs, expected ${expected}`);
	if (ledger.nonMatching !== 0) problems.push(`${ledger.nonMatching} runs of events under the filter`);
	if (ledger.storedEvents !== uniqueIds) problems.push(`${ledger.storedEvents} events stored, expected ${uniqueIds}`);
	return {
		total,
		unique: uniqueIds,
		expected,
		runs: ledger.runs,
		acceptedPerSecond: total / acceptSeconds,
		acceptSeconds,
		toStartP50: pct(ledger.toStart, 50),
		toStartP99: pct(ledger.toStart, 99),
		allStartedAfter: (ledger.lastStart - t0) / 1000,
		problems
	};
}

/** What the ledger says: runs per event, whether each finished, and arrival → first step started (ms). */
async function ledgerOf(query) {
	const runs = await query(
		`SELECT e.id AS event_id, x.status, e.received_at, s.started_at, x.inputs FROM executions x
		JOIN events e ON e.id = x.event_id AND e.owner_id = x.owner_id JOIN step_runs s ON s.execution_id = x.id WHERE x.workflow_id = 'bench-orders'`
	);
	const [{ n }] = await query("SELECT COUNT(*) AS n FROM events WHERE name = 'order.created'");
	const toStart = runs.filter(r => r.started_at !== null).map(r => Number(r.started_at) - Number(r.received_at));
	return {
		runs: runs.length,
		finished: runs.filter(r => r.status === "completed").length,
		distinctEvents: new Set(runs.map(r => r.event_id)).size,
		nonMatching: runs.filter(r => (typeof r.inputs === "string" ? JSON.parse(r.inputs) : r.inputs).total <= 100).length,
		storedEvents: Number(n),
		toStart,
		lastStart: Math.max(...runs.map(r => Number(r.started_at ?? 0)))
	};
}

async function embedded(total) {
	const dir = mkdtempSync(path.join(tmpdir(), "cos-bench-events-"));
	const s = await startServer({ DATA_DIR: dir, SECURITY_BCRYPT_ROUNDS: "4" });
	const sqlite3 = require("sqlite3");
	const db = new sqlite3.Database(path.join(dir, "cognitionos.sqlite"), sqlite3.OPEN_READONLY);
	const query = sql => new Promise((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows))));
	try {
		return await workload(s.url, () => ledgerOf(query), total);
	} finally {
		db.close();
		await s.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

async function cluster(total) {
	const db = await createDatabase(PG_ADMIN, "cos_bench_events");
	const port = await freePort();
	const common = { TRANSPORTER: NATS, NAMESPACE: `bench-${randomBytes(3).toString("hex")}`, DATABASE_URL: db.url, SECURITY_SECRET_KEY: SECRET, SECURITY_BCRYPT_ROUNDS: "4" };
	const nodes = [];
	const pg = new Client({ connectionString: db.url });
	try {
		nodes.push(await spawnNode({ ...common, SERVICES: "api-gateway,auth,workflow,events", API_PORT: String(port), API_HOST: "127.0.0.1" }));
		for (const i of [1, 2, 3]) nodes.push(await spawnNode({ ...common, SERVICES: "execution", NODE_ID: `exec-${i}` }));
		const url = `http://127.0.0.1:${port}`;
		for (;;) {
			const res = await fetch(`${url}/api/v3/events`, { method: "POST" });
			if (res.status === 401) break;
			await new Promise(r => setTimeout(r, 100));
		}
		await pg.connect();
		return await workload(url, () => ledgerOf(async sql => (await pg.query(sql)).rows), total);
	} finally {
		await pg.end().catch(() => undefined);
		for (const n of nodes) n.kill("SIGTERM");
		await new Promise(r => setTimeout(r, 1500));
		await db.drop();
	}
}

function print(mode, r) {
	console.log(`\n${mode}`);
	console.log("| events (unique) | runs expected / in the ledger | accepted events/s | arrival → run's step started p50 / p99 ms | all runs started after s | problems |");
	console.log("|---|---|---|---|---|---|");
	console.log(
		`| ${r.total} (${r.unique}) | ${r.expected} / ${r.runs} | ${r.acceptedPerSecond.toFixed(0)} | ${r.toStartP50} / ${r.toStartP99} | ${r.allStartedAfter.toFixed(1)} | ${r.problems.length ? r.problems.join("; ") : "none"} |`
	);
}

async function main() {
	const which = process.argv[2] ?? "both";
	const total = Number(process.argv[3] ?? 10_000);
	console.log(`machine: ${machine()}; ${new Date().toISOString()}; load average before: ${loadavg().map(l => l.toFixed(2)).join(" ")}`);
	let failed = false;
	for (const [mode, run] of [
		["embedded (SQLite, one process)", embedded],
		["cluster (gateway node + 3 execution nodes, NATS, PostgreSQL)", cluster]
	]) {
		if (which !== "both" && !mode.startsWith(which)) continue;
		const r = await run(total);
		print(mode, r);
		failed ||= r.problems.length > 0;
	}
	console.log(`load average after: ${loadavg().map(l => l.toFixed(2)).join(" ")}`);
	if (failed) process.exit(1);
}

if (require.main === module)
	main().catch(err => {
		console.error(err);
		process.exit(1);
	});
