"use strict";
/** Starts `dist/bin/cognitionos.js` on a free port for a benchmark, and stops it. */
const { spawn } = require("node:child_process");
const net = require("node:net");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../..");

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.listen(0, "127.0.0.1", () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
		srv.on("error", reject);
	});
}

async function get(url) {
	try {
		const res = await fetch(url);
		await res.arrayBuffer();
		return res.status;
	} catch {
		return 0;
	}
}

/** Resolves with { url, pid, msToHealthy, stop() } once GET /health answers 200. */
async function startServer(env = {}) {
	const port = env.API_PORT ? Number(env.API_PORT) : await freePort();
	const url = `http://127.0.0.1:${port}`;
	const t0 = process.hrtime.bigint();
	// BENCH_NODE_FLAGS (opt-in, space-separated) passes flags to the server's node, e.g. `--heapsnapshot-signal=SIGUSR2`.
	const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
	const proc = spawn(process.execPath, [...nodeFlags, path.join(ROOT, "dist/bin/cognitionos.js")], {
		cwd: ROOT,
		env: { PATH: process.env.PATH, HOME: process.env.HOME, ENV_FILE: "/dev/null", API_PORT: String(port), API_HOST: "127.0.0.1", OBSERVABILITY_LOG_LEVEL: "warn", ...env },
		stdio: ["ignore", "ignore", "inherit"]
	});
	let exited = false;
	proc.once("exit", () => (exited = true));
	for (;;) {
		if (exited) throw new Error("server exited before it was healthy");
		if ((await get(`${url}/health`)) === 200) break;
		await new Promise(r => setTimeout(r, 5));
	}
	const msToHealthy = Number(process.hrtime.bigint() - t0) / 1e6;
	return {
		url,
		pid: proc.pid,
		proc,
		msToHealthy,
		stop: () =>
			new Promise(resolve => {
				if (exited) return resolve();
				proc.once("exit", resolve);
				proc.kill("SIGTERM");
			})
	};
}

/** Resident memory of a process in MB, from /proc (`field`: VmRSS, or its parts RssAnon, RssFile). */
function rssMb(pid, field = "VmRSS") {
	const status = require("node:fs").readFileSync(`/proc/${pid}/status`, "utf8");
	const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)[1]);
	return kb / 1024;
}

function machine() {
	const os = require("node:os");
	return `${os.cpus().length} × ${os.cpus()[0].model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
}

/** A JSON call to the API; throws with the answer on any 4xx/5xx. */
async function api(url, method, pathname, body, token) {
	const res = await fetch(`${url}${pathname}`, {
		method,
		headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await res.text();
	if (res.status >= 400) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
	return text ? JSON.parse(text) : null;
}

/** Starts `n` runs of version 1.0.0 of `workflowId`, 50 requests at a time; resolves with their execution ids. */
async function startRuns(url, token, workflowId, n) {
	const ids = [];
	for (let i = 0; i < n; i += 50) {
		const batch = await Promise.all(
			Array.from({ length: Math.min(50, n - i) }, () => api(url, "POST", "/api/v3/workflows/execute", { workflow_id: workflowId, workflow_version: "1.0.0" }, token))
		);
		ids.push(...batch.map(b => b.execution_id));
	}
	return ids;
}

/** A throw-away PostgreSQL database named `${prefix}_<random>`, created through the admin URL. */
async function createDatabase(adminUrl, prefix) {
	const { randomBytes } = require("node:crypto");
	const { Client } = require("pg");
	const name = `${prefix}_${randomBytes(4).toString("hex")}`;
	const admin = new Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const u = new URL(adminUrl);
	u.pathname = `/${name}`;
	return {
		url: u.toString(),
		async drop() {
			const c = new Client({ connectionString: adminUrl });
			await c.connect();
			await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await c.end();
		}
	};
}

/** Starts `node dist/bin/cognitionos.js` with `env` (cluster benches); resolves with the process once it has started. */
function spawnNode(env) {
	const { spawn } = require("node:child_process");
	return new Promise((resolve, reject) => {
		const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
		const proc = spawn(process.execPath, [...nodeFlags, path.join(ROOT, "dist/bin/cognitionos.js")], {
			cwd: ROOT,
			env: { PATH: process.env.PATH, HOME: process.env.HOME, ENV_FILE: "/dev/null", ...env },
			stdio: ["ignore", "pipe", "inherit"]
		});
		let buf = "";
		proc.stdout.on("data", d => {
			buf += d;
			if (/CognitionOS .* started \(/.test(buf)) {
				proc.stdout.removeAllListeners("data");
				proc.stdout.resume();
				resolve(proc);
			}
		});
		proc.once("exit", code => reject(new Error(`node exited with ${code}`)));
	});
}

/** Pids of every process whose command name is `comm` (nats-server, postgres). */
function pidsNamed(comm) {
	const { readdirSync, readFileSync } = require("node:fs");
	const pids = [];
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === comm) pids.push(Number(entry));
		} catch {
			// The process ended meanwhile.
		}
	}
	return pids;
}

const TICKS_PER_SECOND = Number(require("node:child_process").execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU seconds a process has used so far (user + system). */
function cpuSeconds(pid) {
	const stat = require("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8");
	// Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** A process and every process below it (a server and its worker processes). */
function processTree(pid) {
	const { readdirSync, readFileSync } = require("node:fs");
	const parents = new Map();
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
			parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
		} catch {
			// The process ended meanwhile.
		}
	}
	const tree = [pid];
	for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
	return tree;
}

/** CPU seconds of `pids` and their descendants now, by pid (a pid that ended is left out). */
function treeCpu(pids) {
	const out = new Map();
	for (const pid of pids.flatMap(processTree)) {
		try {
			out.set(pid, cpuSeconds(pid));
		} catch {
			// The process ended meanwhile.
		}
	}
	return out;
}

/** CPU seconds used between two `treeCpu` readings (a process that started meanwhile counts whole). */
const cpuBetween = (before, after) => [...after].reduce((sum, [pid, s]) => sum + s - (before.get(pid) ?? 0), 0);

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `db_queries_total` and `db_query_duration_seconds_sum` of one node's /metrics, by "operation table": `{ n, seconds }`. */
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

module.exports = { statementCounts, startServer, spawnNode, pidsNamed, rssMb, machine, median, freePort, api, startRuns, createDatabase, cpuSeconds, treeCpu, cpuBetween };
