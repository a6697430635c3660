"use strict";
/**
 * What authentication costs per request: requests/s of an authenticated
 * GET /api/v3/auth/me against the unauthenticated GET /health/live, in one run, on one
 * embedded server; and the bcrypt cost of one login at the configured cost factor.
 *   npm run build && node bench/auth/run.js [seconds] [connections]
 * Needs `wrk` (Debian: apt-get install wrk).
 */
const { execFileSync } = require("node:child_process");
const { mkdtempSync, readFileSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { startServer, machine } = require("../lib/server");

/** CPU time (user + system) the server process has used, in microseconds. */
function cpuMicros(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
	const ticks = Number(fields[11]) + Number(fields[12]);
	return (ticks * 1e6) / 100; // USER_HZ is 100 on Linux
}

function wrk(pid, url, seconds, connections, headers = []) {
	const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", ...headers.flatMap(h => ["-H", h]), url];
	const cpu0 = cpuMicros(pid);
	const out = execFileSync("wrk", args, { encoding: "utf8" });
	const cpuPerRequest = (cpuMicros(pid) - cpu0) / Number(/(\d+) requests in/.exec(out)[1]);
	const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
	const p99 = /99%\s+([\d.]+\w+)/.exec(out)?.[1];
	const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
	if (non2xx > 0) throw new Error(`${url}: ${non2xx} non-2xx responses`);
	return { rps, p99, cpuPerRequest };
}

async function main() {
	const seconds = Number(process.argv[2] ?? 10);
	const connections = Number(process.argv[3] ?? 32);
	const rounds = 3;
	const dir = mkdtempSync(path.join(tmpdir(), "cos-bench-auth-"));
	const s = await startServer({ DATA_DIR: dir });
	try {
		const post = async (p, body) => {
			const res = await fetch(`${s.url}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
			return res.json();
		};
		await post("/api/v3/auth/register", { email: "bench@example.com", password: "bench-password" });
		const logins = [];
		let token;
		for (let i = 0; i < 10; i++) {
			const t0 = process.hrtime.bigint();
			token = (await post("/api/v3/auth/login", { email: "bench@example.com", password: "bench-password" })).access_token;
			logins.push(Number(process.hrtime.bigint() - t0) / 1e6);
		}
		const live = [];
		const me = [];
		for (let r = 0; r < rounds; r++) {
			live.push(wrk(s.pid, `${s.url}/health/live`, seconds, connections));
			me.push(wrk(s.pid, `${s.url}/api/v3/auth/me`, seconds, connections, [`Authorization: Bearer ${token}`]));
		}
		const best = xs => xs.reduce((a, b) => (b.rps > a.rps ? b : a));
		const l = best(live);
		const m = best(me);
		console.log(`machine: ${machine()}`);
		console.log(`wrk -t1 -c${connections} -d${seconds}s, best of ${rounds} alternating rounds`);
		const cpu = xs => Math.min(...xs.map(x => x.cpuPerRequest));
		console.log(`GET /health/live (no auth): ${l.rps.toFixed(0)} req/s, p99 ${l.p99}, server CPU ${cpu(live).toFixed(0)} µs/request`);
		console.log(`GET /api/v3/auth/me (JWT):  ${m.rps.toFixed(0)} req/s, p99 ${m.p99}, server CPU ${cpu(me).toFixed(0)} µs/request`);
		console.log(`auth cost: ${((1 - m.rps / l.rps) * 100).toFixed(1)} % of throughput, ${((cpu(me) / cpu(live) - 1) * 100).toFixed(1)} % more server CPU per request`);
		console.log(`login at bcrypt cost 12 (default): mean ${(logins.reduce((a, b) => a + b) / logins.length).toFixed(0)} ms over ${logins.length} logins`);
	} finally {
		await s.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
