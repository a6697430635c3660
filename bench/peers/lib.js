"use strict";
/** Shared pieces of the peers benchmark: timings, CPU accounting from /proc, the crash target, databases, child processes. */
const { execFileSync, fork } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const { readdirSync, readFileSync } = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { Client } = require("pg");
const { freePort, pidsNamed } = require("../lib/server");

const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const NATS = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on this machine. */
const nowMs = () => performance.timeOrigin + performance.now();
const sleep = ms => new Promise(r => setTimeout(r, ms));

const pct = (xs, p) => {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/**
 * Steps/s and step-to-step latency from step timings `{ run, step, start, end }` and a
 * dependency function `deps(step) -> step[]`: a step's latency is its start minus the
 * latest end of the steps it waits for.
 */
function summarize(timings, deps) {
	const byRun = new Map();
	let first = Infinity;
	let last = 0;
	for (const t of timings) {
		if (!byRun.has(t.run)) byRun.set(t.run, new Map());
		// A step that ran twice (a replay) counts by its last run.
		byRun.get(t.run).set(t.step, t);
		first = Math.min(first, t.start);
		last = Math.max(last, t.end);
	}
	const gaps = [];
	let steps = 0;
	for (const run of byRun.values()) {
		for (const t of run.values()) {
			steps++;
			const d = deps(t.step);
			if (!d.length) continue;
			const ends = d.map(s => run.get(s)?.end).filter(e => e !== undefined);
			if (ends.length === d.length) gaps.push(t.start - Math.max(...ends));
		}
	}
	const seconds = Math.max(0.001, (last - first) / 1000);
	return { steps, seconds, stepsPerSecond: steps / seconds, p50: pct(gaps, 50), p99: pct(gaps, 99) };
}

/** The workloads' shapes, as step names and their dependencies; shared by every peer. */
const SHAPES = {
	chain: { runs: 1, steps: 100, deps: s => (s === "s0" ? [] : [`s${Number(s.slice(1)) - 1}`]) },
	fanout: {
		runs: 1,
		steps: 102,
		deps: s => (s === "root" ? [] : s === "join" ? Array.from({ length: 100 }, (_, i) => `m${i}`) : ["root"])
	},
	many: { runs: 1000, steps: 10, deps: s => (s === "s0" ? [] : [`s${Number(s.slice(1)) - 1}`]) }
};
const CRASH = { runs: 200, steps: 10, stepMs: 20, killAfter: 400 };

// ------------------------------------------------------------------ CPU accounting from /proc

function cpuSeconds(pid) {
	const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function safeCpu(pid) {
	try {
		return cpuSeconds(pid);
	} catch {
		return null;
	}
}


/**
 * CPU seconds used by groups of processes over a span: `groups` maps a label to an async
 * function listing its pids (asked at the start and at the end; a pid that appears meanwhile
 * counts whole). Returns `stop()` resolving to `{ label: seconds }`.
 */
async function cpuSpan(groups) {
	const before = {};
	for (const [label, pids] of Object.entries(groups)) before[label] = new Map((await pids()).map(pid => [pid, safeCpu(pid)]));
	return async () => {
		const out = {};
		for (const [label, pids] of Object.entries(groups)) {
			let total = 0;
			for (const pid of new Set([...(await pids()), ...before[label].keys()])) {
				const now = safeCpu(pid);
				if (now === null) continue;
				total += now - (before[label].get(pid) ?? 0);
			}
			out[label] = total;
		}
		return out;
	};
}

/** The PostgreSQL backends serving database `name`. */
async function backendsOf(name) {
	const c = new Client({ connectionString: PG_ADMIN });
	await c.connect();
	try {
		return (await c.query("SELECT pid FROM pg_stat_activity WHERE datname = $1", [name])).rows.map(r => r.pid);
	} finally {
		await c.end();
	}
}

function machineTicks() {
	const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
	const n = values.map(Number);
	const idle = n[3] + n[4];
	return { busy: n.slice(0, 8).reduce((a, b) => a + b, 0) - idle, total: n.slice(0, 8).reduce((a, b) => a + b, 0) };
}

// ------------------------------------------------------------------ PostgreSQL

async function createDatabase(prefix) {
	const name = `${prefix}_${randomBytes(4).toString("hex")}`;
	const admin = new Client({ connectionString: PG_ADMIN });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const u = new URL(PG_ADMIN);
	u.pathname = `/${name}`;
	return {
		name,
		url: u.toString(),
		async query(sql, params) {
			const c = new Client({ connectionString: u.toString() });
			await c.connect();
			try {
				return (await c.query(sql, params)).rows;
			} finally {
				await c.end();
			}
		},
		async drop() {
			const c = new Client({ connectionString: PG_ADMIN });
			await c.connect();
			await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await c.end();
		}
	};
}

// ------------------------------------------------------------------ the crash test's step target

/** An HTTP server the crash test's steps call: answers after `?ms=`, and counts every call. */
function startTarget() {
	let hits = 0;
	const server = http.createServer((req, res) => {
		hits++;
		const ms = Number(new URL(req.url, "http://x").searchParams.get("ms") ?? 0);
		setTimeout(() => {
			res.writeHead(200, { "content-type": "application/json" });
			res.end(`{"slept":${ms}}`);
		}, ms);
	});
	server.keepAliveTimeout = 60000;
	return new Promise(resolve =>
		server.listen(0, "127.0.0.1", () =>
			resolve({
				url: `http://127.0.0.1:${server.address().port}`,
				hits: () => hits,
				reset: () => (hits = 0),
				close: () => new Promise(r => server.close(r))
			})
		)
	);
}


// ------------------------------------------------------------------ child processes

/** Every child started here, so that an interrupted run leaves none behind. Only these are ever signalled, by pid. */
const children = new Set();
for (const signal of ["SIGINT", "SIGTERM"])
	process.on(signal, () => {
		for (const c of children) c.kill("SIGKILL");
		process.exit(130);
	});

function track(child) {
	children.add(child);
	child.once("exit", () => children.delete(child));
	return child;
}

/**
 * Forks a worker script of this folder with an IPC channel; resolves once it says
 * `{ ready: true }`. `call(msg)` sends a request and resolves with its `{ id, result }`.
 */
function forkWorker(script, args, env = {}) {
	const child = track(
		fork(path.join(__dirname, script), args, {
			env: { ...process.env, ...env },
			stdio: ["ignore", "ignore", "inherit", "ipc"]
		})
	);
	let seq = 0;
	const pending = new Map();
	const listeners = new Set();
	child.on("message", m => {
		if (m.id !== undefined && pending.has(m.id)) {
			const p = pending.get(m.id);
			pending.delete(m.id);
			if (m.error) p.reject(new Error(`${script}: ${m.error}`));
			else p.resolve(m.result);
		} else for (const l of listeners) l(m);
	});
	const exited = new Promise(r => child.once("exit", (code, signal) => r(code ?? signal)));
	const ready = new Promise((resolve, reject) => {
		const l = m => {
			if (m.ready) {
				listeners.delete(l);
				resolve();
			}
		};
		listeners.add(l);
		void exited.then(code => reject(new Error(`${script} exited (${code}) before it was ready`)));
	});
	const worker = {
		child,
		pid: child.pid,
		exited,
		on: l => listeners.add(l),
		call: msg =>
			new Promise((resolve, reject) => {
				const id = ++seq;
				pending.set(id, { resolve, reject });
				child.send({ ...msg, id });
				void exited.then(code => {
					if (pending.has(id)) reject(new Error(`${script} exited (${code}) during ${msg.op}`));
				});
			}),
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
			const t = setTimeout(() => child.kill("SIGKILL"), 10000);
			await exited;
			clearTimeout(t);
		},
		async kill() {
			if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
			await exited;
		}
	};
	return ready.then(() => worker);
}

/** Serves requests `{ id, op, ... }` from the parent with `handlers[op]`, and says ready. */
function serveParent(handlers) {
	process.on("message", async m => {
		try {
			const result = await handlers[m.op](m);
			process.send({ id: m.id, result });
		} catch (err) {
			process.send({ id: m.id, error: err?.stack ?? String(err) });
		}
	});
	// The benchmark went away: so does this worker.
	process.on("disconnect", () => process.exit(0));
	process.on("SIGTERM", async () => {
		try {
			await handlers.shutdown?.();
		} finally {
			process.exit(0);
		}
	});
	process.send({ ready: true });
}

/** A step body's record, kept in the worker's memory. */
function recorder() {
	const timings = [];
	let waiters = [];
	let finals = 0;
	return {
		timings,
		/** Runs `fn` as step `step` of run `run`, and remembers when it ran. */
		async step(run, step, fn) {
			const start = nowMs();
			const out = fn ? await fn() : 1;
			timings.push({ run, step, start, end: nowMs() });
			return out;
		},
		final() {
			finals++;
			for (const w of waiters) if (finals >= w.n) w.resolve();
			waiters = waiters.filter(w => finals < w.n);
		},
		/** Resolves once `n` runs have finished their last step since `reset()`. */
		until: n => new Promise(resolve => (finals >= n ? resolve() : waiters.push({ n, resolve }))),
		reset() {
			timings.length = 0;
			finals = 0;
		}
	};
}

function machine() {
	const cpus = os.cpus();
	return `${cpus.length} × ${cpus[0].model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
}

/** The installed version of a package of this folder. */
const pkgVersion = name => JSON.parse(readFileSync(path.join(__dirname, "node_modules", name, "package.json"), "utf8")).version;

const loadAverage = () => os.loadavg().map(x => x.toFixed(2)).join(" / ");

module.exports = {
	PG_ADMIN,
	REDIS_URL,
	NATS,
	SHAPES,
	CRASH,
	nowMs,
	sleep,
	pct,
	summarize,
	cpuSeconds,
	cpuSpan,
	pidsNamed,
	backendsOf,
	machineTicks,
	createDatabase,
	startTarget,
	freePort,
	forkWorker,
	serveParent,
	recorder,
	machine,
	loadAverage,
	pkgVersion,
	track
};
