"use strict";
/**
 * What tracing costs per request: requests/s and server CPU per request of an
 * authenticated GET /api/v3/auth/me (gateway, auth, JWT, a cached action) and of
 * GET /health/live, on three embedded servers run side by side: tracing off, tracing with
 * 10 % of traces sampled, and with every trace sampled. Spans go over OTLP/HTTP to a sink
 * in this process that counts them. Rounds alternate between the servers.
 *   npm run build && node bench/observability/run.js [seconds] [connections] [rounds]
 * Needs `wrk` (Debian: apt-get install wrk).
 */
const { execFile } = require("node:child_process");
const { promisify } = require("node:util");
const { mkdtempSync, readFileSync, rmSync } = require("node:fs");
const http = require("node:http");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { startServer, machine, median } = require("../lib/server");

/** CPU time (user + system) the server process has used, in microseconds. */
function cpuMicros(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
	return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // USER_HZ is 100 on Linux
}

/** Runs wrk without blocking this process: the OTLP sinks here must keep answering meanwhile. */
async function wrk(pid, url, seconds, connections, headers = []) {
	const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", ...headers.flatMap(h => ["-H", h]), url];
	const cpu0 = cpuMicros(pid);
	const { stdout: out } = await promisify(execFile)("wrk", args, { encoding: "utf8" });
	const requests = Number(/(\d+) requests in/.exec(out)[1]);
	const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
	if (non2xx > 0) throw new Error(`${url}: ${non2xx} non-2xx responses`);
	return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), p99: /99%\s+([\d.]+\w+)/.exec(out)?.[1], cpuPerRequest: (cpuMicros(pid) - cpu0) / requests, requests };
}

/** An OTLP/HTTP endpoint that accepts every export and counts the spans in it, without parsing. */
function startSink() {
	let spans = 0;
	const marker = Buffer.from('"spanId"');
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on("data", c => chunks.push(c));
		req.on("end", () => {
			const body = Buffer.concat(chunks);
			for (let i = body.indexOf(marker); i >= 0; i = body.indexOf(marker, i + 1)) spans++;
			res.writeHead(200, { "content-type": "application/json" }).end("{}");
		});
	});
	return new Promise(resolve =>
		server.listen(0, "127.0.0.1", () =>
			resolve({ url: `http://127.0.0.1:${server.address().port}`, spans: () => spans, stop: () => new Promise(r => server.close(r)) })
		)
	);
}

async function signIn(url) {
	const post = async (p, body) => (await fetch(`${url}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json();
	await post("/api/v3/auth/register", { email: "bench@example.com", password: "bench-password" });
	return (await post("/api/v3/auth/login", { email: "bench@example.com", password: "bench-password" })).access_token;
}

async function main() {
	const seconds = Number(process.argv[2] ?? 10);
	const connections = Number(process.argv[3] ?? 32);
	const rounds = Number(process.argv[4] ?? 3);
	// Sample ratios to compare with tracing off (BENCH_RATIOS=0,0.1,1 adds "tracing on, nothing sampled").
	const ratios = (process.env.BENCH_RATIOS ?? "0.1,1").split(",").map(Number);
	// One sink per server, so each server's spans are counted apart.
	const sinks = await Promise.all([null, ...ratios].map(() => startSink()));
	const modes = [
		{ name: "tracing off", env: { OBSERVABILITY_ENABLE_TRACING: "false" } },
		...ratios.map((ratio, i) => ({
			name: `tracing, ${ratio * 100} % sampled`,
			env: { OBSERVABILITY_ENABLE_TRACING: "true", OBSERVABILITY_TRACE_SAMPLE_RATIO: String(ratio), OBSERVABILITY_OTLP_ENDPOINT: sinks[i + 1].url }
		}))
	];
	const dirs = modes.map(() => mkdtempSync(path.join(tmpdir(), "cos-bench-obs-")));
	const servers = [];
	try {
		for (const [i, mode] of modes.entries()) servers.push(await startServer({ DATA_DIR: dirs[i], SECURITY_BCRYPT_ROUNDS: "4", ...mode.env }));
		const tokens = await Promise.all(servers.map(s => signIn(s.url)));
		// Warm-up: the JIT and the caches, not recorded.
		for (const [i, s] of servers.entries()) {
			await wrk(s.pid, `${s.url}/health/live`, 3, connections);
			await wrk(s.pid, `${s.url}/api/v3/auth/me`, 3, connections, [`Authorization: Bearer ${tokens[i]}`]);
		}
		// Spans still buffered by the exporters arrive within one export interval (5 s).
		await new Promise(res => setTimeout(res, 6000));
		const results = modes.map((_, i) => ({ live: [], me: [], spansBefore: sinks[i].spans(), requests: 0 }));
		for (let r = 0; r < rounds; r++) {
			for (const [i, s] of servers.entries()) {
				const live = await wrk(s.pid, `${s.url}/health/live`, seconds, connections);
				const me = await wrk(s.pid, `${s.url}/api/v3/auth/me`, seconds, connections, [`Authorization: Bearer ${tokens[i]}`]);
				results[i].live.push(live);
				results[i].me.push(me);
				results[i].requests += live.requests + me.requests;
			}
		}
		await new Promise(res => setTimeout(res, 6000));
		console.log(`machine: ${machine()}`);
		console.log(`wrk -t1 -c${connections} -d${seconds}s per endpoint, ${rounds} rounds alternating between the servers; median of the rounds`);
		const base = { live: median(results[0].live.map(x => x.rps)), me: median(results[0].me.map(x => x.rps)), liveCpu: median(results[0].live.map(x => x.cpuPerRequest)), meCpu: median(results[0].me.map(x => x.cpuPerRequest)) };
		for (const [i, mode] of modes.entries()) {
			const res = results[i];
			const live = median(res.live.map(x => x.rps));
			const me = median(res.me.map(x => x.rps));
			const liveCpu = median(res.live.map(x => x.cpuPerRequest));
			const meCpu = median(res.me.map(x => x.cpuPerRequest));
			const pct = x => `${x >= 0 ? "+" : ""}${x.toFixed(1)} %`;
			const cost = (v, b) => (i === 0 ? "" : ` (${pct((v / b - 1) * 100)})`);
			const cpuCost = cost;
			console.log(`${mode.name}:`);
			console.log(`  GET /health/live:   ${live.toFixed(0)} req/s${cost(live, base.live)}, server CPU ${liveCpu.toFixed(0)} µs/request${cpuCost(liveCpu, base.liveCpu)}`);
			console.log(`  GET /api/v3/auth/me: ${me.toFixed(0)} req/s${cost(me, base.me)}, server CPU ${meCpu.toFixed(0)} µs/request${cpuCost(meCpu, base.meCpu)}`);
			const spans = sinks[i].spans() - res.spansBefore;
			if (i > 0) console.log(`  spans received: ${spans} (${(spans / res.requests).toFixed(2)} per request)`);
		}
	} finally {
		await Promise.all(servers.map(s => s.stop()));
		await Promise.all(sinks.map(sink => sink.stop()));
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
