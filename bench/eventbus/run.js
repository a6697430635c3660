"use strict";
/**
 * Event bus throughput and outbox lag.
 *   npm run build && node bench/eventbus/run.js [sqlite|postgres|both] [relay|handlers|lag|all]
 *
 *   relay:    N events already in the outbox (engine-shaped payloads, the mix of a 3-step
 *             run), the relay publishes them to RabbitMQ with publisher confirms, persistent,
 *             into the real topology (every handler's quorum queue bound, not consumed):
 *             events per second until the outbox is empty.
 *   handlers: the same, with the five handlers consuming: events per second until every
 *             handler has handled its share (inbox rows), i.e. outbox → RabbitMQ → effects.
 *   lag:      a CognitionOS node with RabbitMQ runs 1,000 concurrent runs of a 10-step chain;
 *             the outbox lag (age of the oldest unpublished event) and pending rows are
 *             sampled every 100 ms while it works.
 * BENCH_EVENTS (default 50000), BENCH_RABBITMQ_URL, BENCH_POSTGRES_URL change the setup.
 */
const { randomBytes, randomUUID } = require("node:crypto");
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const amqp = require("amqplib");
const { startServer, machine, createDatabase } = require("../lib/server");

const DIST = path.resolve(__dirname, "../../dist");
const { loadConfig } = require(`${DIST}/lib/config`);
const { openDatabase, migrate } = require(`${DIST}/lib/db`);
const { MIGRATIONS } = require(`${DIST}/migrations`);
const { domainEvent, outboxInsert } = require(`${DIST}/lib/events/outbox`);
const { EventBus } = require(`${DIST}/lib/events/bus`);
const { EVENT_HANDLERS } = require(`${DIST}/lib/events/handlers`);
const { declareTopology, topologyNames, topologyOf } = require(`${DIST}/lib/events/topology`);

const RABBIT = process.env.BENCH_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const N = Number(process.env.BENCH_EVENTS ?? 50_000);
const SECRET = "bench-secret-key-that-is-long-enough-0123456789";
const RETRY = { maxAttempts: 5, minDelay: 1000, maxDelay: 60_000, multiplier: 2 };
const quiet = { info() {}, warn() {}, error: (o, m) => console.error(m, o) };

const pct = (xs, p) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

const pgDatabase = () => createDatabase(PG_ADMIN, "cos_bench");

/** A migrated database of the given dialect, with one user who owns the events. */
async function database(dialect) {
	const dir = mkdtempSync(path.join(tmpdir(), "cos-bench-bus-"));
	const pg = dialect === "postgres" ? await pgDatabase() : null;
	const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: pg?.url ?? "", DB_POOL_MAX: "20" });
	const db = await openDatabase(config);
	await migrate(db, MIGRATIONS);
	const owner = randomUUID();
	await db.sqlTransaction(tx =>
		tx.run("INSERT INTO users (id, email, password_hash, roles, is_active, created_at, updated_at) VALUES ($1, $2, 'x', '[\"user\"]', $3, $4, $4)", [owner, `${owner}@bench.test`, dialect === "postgres" ? true : 1, new Date().toISOString()])
	);
	return {
		db,
		owner,
		async close() {
			await db.close();
			await pg?.drop();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** The events of `runs` runs of a 3-step workflow, as the engine writes them. */
function runEvents(owner, runs) {
	const events = [];
	for (let r = 0; r < runs; r++) {
		const id = randomUUID();
		const base = { execution_id: id, workflow_id: "bench-flow", workflow_version: "1.0.0", owner_id: owner };
		const ev = (type, fields, seq) => ({ ...domainEvent(type, { type: "execution", id }, { ...base, ...fields }), seq });
		let seq = 1;
		events.push(ev("WorkflowExecutionStarted", { inputs: { n: r }, trigger: "api", parent_execution_id: null, started_by: owner, client_ip: "127.0.0.1" }, seq++));
		for (const step of ["fetch", "transform", "report"]) {
			events.push(ev("StepExecutionStarted", { step_id: step, step_type: "transform", attempt: 1 }, seq++));
			events.push(ev("StepExecutionCompleted", { step_id: step, step_type: "transform", attempt: 1, duration_ms: 3, output: { n: r, step }, usage: null }, seq++));
		}
		events.push(ev("WorkflowExecutionCompleted", { outputs: { result: r }, usage: null, duration_ms: 12, parent_execution_id: null }, seq++));
	}
	return events;
}

async function fillOutbox(db, events) {
	for (let i = 0; i < events.length; i += 500) {
		const insert = outboxInsert(events.slice(i, i + 500), 0);
		await db.sqlTransaction(tx => tx.run(insert.sql, insert.values));
	}
}

async function deleteTopology(topology) {
	const conn = await amqp.connect(RABBIT);
	const ch = await conn.createChannel();
	const { queues, exchanges } = topologyNames(topology);
	for (const q of queues) await ch.deleteQueue(q);
	for (const x of exchanges) await ch.deleteExchange(x);
	await conn.close();
}

const count = async (db, sql) => Number((await db.sql.all(sql))[0].n);

/** Outbox → RabbitMQ (confirms), with `handlers` consuming (none: only publishing is measured). */
async function throughput(dialect, withHandlers) {
	const { db, owner, close } = await database(dialect);
	const events = runEvents(owner, Math.ceil(N / 8)).slice(0, N);
	await fillOutbox(db, events);
	const exchange = `cos-bench-${randomBytes(4).toString("hex")}.events`;
	const topology = topologyOf(exchange, EVENT_HANDLERS, RETRY);
	const conn = await amqp.connect(RABBIT);
	await declareTopology(await conn.createChannel(), topology);
	await conn.close();
	const bus = new EventBus({
		db,
		settings: { rabbitmqUrl: RABBIT, exchange, prefetch: 32, heartbeatMs: 10_000, reconnect: { minDelay: 200, maxDelay: 2000, multiplier: 2 }, batchSize: 500, pollIntervalMs: 20, retry: RETRY, handlerConcurrency: dialect === "postgres" ? 18 : 64 },
		// Without handlers the transport consumes nothing; the queues (declared above) still receive every message.
		handlers: withHandlers ? EVENT_HANDLERS : [],
		isLeader: () => true,
		log: quiet
	});
	const handled = events.filter(e => ["WorkflowExecutionStarted", "WorkflowExecutionCompleted", "StepExecutionCompleted"].includes(e.event_type)).length;
	const t0 = process.hrtime.bigint();
	await bus.start();
	let publishedAt = null;
	for (;;) {
		const pending = await count(db, "SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL");
		if (pending === 0 && publishedAt === null) publishedAt = process.hrtime.bigint();
		if (publishedAt !== null && (!withHandlers || (await count(db, "SELECT COUNT(*) AS n FROM event_inbox")) >= handled)) break;
		await new Promise(r => setTimeout(r, 20));
	}
	const done = process.hrtime.bigint();
	await bus.stop();
	const queued = withHandlers ? null : await queueDepth(topology);
	await deleteTopology(topology);
	await close();
	const secs = ns => Number(ns) / 1e9;
	return { events: events.length, publishSeconds: secs(publishedAt - t0), totalSeconds: secs(done - t0), handled, queued };
}

async function queueDepth(topology) {
	const conn = await amqp.connect(RABBIT);
	const ch = await conn.createChannel();
	let n = 0;
	for (const h of topology.handlers) n += (await ch.checkQueue(h.queue)).messageCount;
	await conn.close();
	return n;
}

/** A node under engine load: how far behind the outbox gets. */
async function lag(dialect) {
	const pg = dialect === "postgres" ? await pgDatabase() : null;
	const dir = mkdtempSync(path.join(tmpdir(), "cos-bench-lag-"));
	const exchange = `cos-bench-${randomBytes(4).toString("hex")}.events`;
	const admin = { email: "admin@bench.test", password: "bench-admin-password" };
	const server = await startServer({
		DATA_DIR: dir,
		DATABASE_URL: pg?.url ?? "",
		RABBITMQ_URL: process.env.BENCH_LAG_TRANSPORT === "in-process" ? "" : RABBIT,
		RABBITMQ_EXCHANGE: exchange,
		SECURITY_SECRET_KEY: SECRET,
		SECURITY_BCRYPT_ROUNDS: "4",
		SECURITY_ADMIN_EMAIL: admin.email,
		SECURITY_ADMIN_PASSWORD: admin.password,
		DB_POOL_MAX: "20"
	});
	const api = async (method, p, body, token) => {
		const res = await fetch(`${server.url}${p}`, { method, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await res.text();
		if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${text}`);
		return text ? JSON.parse(text) : null;
	};
	try {
		// /health answers before the gateway has built its routes.
		let token;
		for (let tries = 0; !token; tries++) {
			token = await api("POST", "/api/v3/auth/login", admin).then(
				r => r.access_token,
				err => {
					if (tries > 100) throw err;
					return new Promise(r => setTimeout(r, 100));
				}
			);
		}
		const steps = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, type: "transform", params: { expression: "1" }, depends_on: i ? [`s${i - 1}`] : [] }));
		await api("POST", "/api/v3/workflows", { workflow_id: "lag", version: "1.0.0", steps }, token);
		// Steady state: the bus has connected and declared its topology (quorum queues take a few seconds the first time).
		const connecting = Date.now();
		while (!(await api("GET", "/api/v3/events/status", undefined, token)).connected) await new Promise(r => setTimeout(r, 50));
		const connectMs = Date.now() - connecting;
		const samples = [];
		let sampling = true;
		const sampler = (async () => {
			while (sampling) {
				const s = await api("GET", "/api/v3/events/status", undefined, token);
				samples.push({ at: Date.now(), pending: s.outbox.pending, lag: s.outbox.lag_seconds });
				await new Promise(r => setTimeout(r, 100));
			}
		})();
		const t0 = Date.now();
		const ids = [];
		for (let i = 0; i < 1000; i += 50) ids.push(...(await Promise.all(Array.from({ length: 50 }, () => api("POST", "/api/v3/workflows/execute", { workflow_id: "lag", workflow_version: "1.0.0" }, token)))).map(e => e.execution_id));
		for (;;) {
			const { total } = await api("GET", "/api/v3/workflows/executions?workflow_id=lag&status=completed&page_size=1", undefined, token);
			if (total === 1000) break;
			await new Promise(r => setTimeout(r, 100));
		}
		const runsDone = Date.now();
		for (;;) {
			const s = await api("GET", "/api/v3/events/status", undefined, token);
			if (s.outbox.pending === 0) break;
			await new Promise(r => setTimeout(r, 50));
		}
		const drained = Date.now();
		sampling = false;
		await sampler;
		const under = samples.filter(s => s.at <= runsDone);
		const events = 1000 * (2 + 2 * 10);
		return {
			events,
			runSeconds: (runsDone - t0) / 1000,
			eventsPerSecond: events / ((runsDone - t0) / 1000),
			drainAfterRunsMs: drained - runsDone,
			lagP50: pct(under.map(s => s.lag), 50),
			lagP95: pct(under.map(s => s.lag), 95),
			lagMax: Math.max(...samples.map(s => s.lag)),
			pendingP50: pct(under.map(s => s.pending), 50),
			pendingMax: Math.max(...samples.map(s => s.pending)),
			samples: samples.length,
			connectMs
		};
	} finally {
		await server.stop();
		const conn = await amqp.connect(RABBIT);
		const ch = await conn.createChannel();
		const { queues, exchanges } = topologyNames(topologyOf(exchange, EVENT_HANDLERS, RETRY));
		for (const q of queues) await ch.deleteQueue(q);
		for (const x of exchanges) await ch.deleteExchange(x);
		await conn.close();
		await pg?.drop();
		rmSync(dir, { recursive: true, force: true });
	}
}

async function main() {
	const dialects = { sqlite: ["sqlite"], postgres: ["postgres"], both: ["sqlite", "postgres"] }[process.argv[2] ?? "both"];
	const parts = process.argv[3] ?? "all";
	console.log(`# ${machine()}, ${new Date().toISOString()}`);
	for (const dialect of dialects) {
		if (parts === "relay" || parts === "all") {
			const r = await throughput(dialect, false);
			console.log(`${dialect} relay: ${r.events} events published with confirms in ${r.publishSeconds.toFixed(2)} s = ${Math.round(r.events / r.publishSeconds)} events/s (${r.queued} messages in the handler queues)`);
		}
		if (parts === "handlers" || parts === "all") {
			const r = await throughput(dialect, true);
			console.log(
				`${dialect} relay + handlers: published in ${r.publishSeconds.toFixed(2)} s (${Math.round(r.events / r.publishSeconds)} events/s); ${r.handled} handled by the five handlers after ${r.totalSeconds.toFixed(2)} s (${Math.round(r.handled / r.totalSeconds)} handled/s)`
			);
		}
		if (parts === "lag" || parts === "all") {
			const r = await lag(dialect);
			console.log(
				`${dialect} lag: 1,000 runs × 10 steps wrote ${r.events} events in ${r.runSeconds.toFixed(1)} s (${Math.round(r.eventsPerSecond)} events/s); outbox lag p50 ${r.lagP50.toFixed(2)} s, p95 ${r.lagP95.toFixed(2)} s, max ${r.lagMax.toFixed(2)} s; pending rows p50 ${r.pendingP50}, max ${r.pendingMax}; empty ${r.drainAfterRunsMs} ms after the last run (${r.samples} samples; connected ${r.connectMs} ms after login)`
			);
		}
	}
}

main().then(
	() => process.exit(0),
	err => {
		console.error(err);
		process.exit(1);
	}
);
