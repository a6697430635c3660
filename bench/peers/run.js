"use strict";
/**
 * CognitionOS against the durable workflow runtimes a Node user would otherwise pick, side by
 * side on this machine, with the same workloads:
 *   - a chain of 100 no-op steps,
 *   - a fan-out of 100 no-op steps from a root step, with a join,
 *   - 1,000 concurrent runs of a 10-step no-op chain,
 *   - a crash test: 200 runs of 10 steps that each call a local HTTP server answering after
 *     20 ms; the worker is killed with SIGKILL once 400 steps have called it, then restarted
 *     (or the surviving workers carry on); time from the kill until every run is complete,
 *     against the same point of an undisturbed run, and how many steps ran again.
 * Writes the table into ../README.md between the peers markers.
 *   npm run bench:peers                         (from the repository root)
 *   node bench/peers/run.js [peer...] [--no-write]    peers: cognitionos-embedded cognitionos-cluster dbos bullmq-redis bullmq-redis-aof bullmq-postgres restate
 */
const { execFileSync } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const { readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const { Client } = require("pg");
const { PG_ADMIN, REDIS_URL, SHAPES, CRASH, cpuSpan, summarize, startTarget, sleep, machine, loadAverage, machineTicks } = require("./lib");

const PEERS = {
	"cognitionos-embedded": () => require("./peers/cognitionos")("embedded"),
	"cognitionos-cluster": () => require("./peers/cognitionos")("cluster"),
	dbos: () => require("./peers/dbos")(),
	"bullmq-redis": () => require("./peers/bullmq")("redis"),
	"bullmq-redis-aof": () => require("./peers/bullmq")("redis-aof"),
	"bullmq-postgres": () => require("./peers/bullmq")("postgres"),
	restate: () => require("./peers/restate")()
};
const WORKLOADS = [
	["chain", "chain of 100"],
	["fanout", "fan-out 100 + join"],
	["many", "1,000 runs × 10 steps"]
];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const README = path.resolve(__dirname, "../README.md");
const BEGIN = "<!-- bench:peers:begin -->";
const END = "<!-- bench:peers:end -->";

const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

async function workload(peer, name) {
	const busy0 = machineTicks();
	const stop = await cpuSpan(peer.cpuGroups());
	const out = await peer.run(name);
	const cpu = await stop();
	const busy1 = machineTicks();
	// Reading the results back (CognitionOS: from its API) is not part of the workload's CPU.
	const summary = out.measure ? await out.measure() : summarize(out.timings, SHAPES[name].deps);
	const expected = SHAPES[name].runs * SHAPES[name].steps;
	if (summary.steps !== expected) throw new Error(`${peer.name} ${name}: ${summary.steps} steps recorded, ${expected} expected`);
	return { ...summary, cpu, busy: (busy1.busy - busy0.busy) / (busy1.total - busy0.total) };
}

/** One crash-test run: `kill` false measures the undisturbed run from the same point. */
async function crashRun(peer, target, kill) {
	target.reset();
	const tag = randomBytes(3).toString("hex");
	await peer.startCrash(target, CRASH.runs, tag);
	while (target.hits() < CRASH.killAfter) await sleep(5);
	const t0 = Date.now();
	let restartMs = null;
	if (kill) {
		await peer.kill();
		const r0 = Date.now();
		await peer.afterKill();
		if (peer.restarts) restartMs = Date.now() - r0;
	}
	const deadline = t0 + 10 * 60 * 1000;
	while (!(await peer.crashDone(CRASH.runs))) {
		if (Date.now() > deadline) throw new Error(`${peer.name}: crash runs not complete 10 minutes after the kill`);
		await sleep(20);
	}
	return { ms: Date.now() - t0, hits: target.hits(), restartMs };
}

async function crash(peer) {
	const target = await startTarget();
	try {
		const calm = await crashRun(peer, target, false);
		const hit = await crashRun(peer, target, true);
		return { calmMs: calm.ms, killedMs: hit.ms, restartMs: hit.restartMs, rerun: hit.hits - CRASH.runs * CRASH.steps, calmRerun: calm.hits - CRASH.runs * CRASH.steps };
	} finally {
		await target.close();
	}
}

async function benchPeer(key) {
	log(`${key}: starting`);
	const peer = await PEERS[key]();
	const result = { key, name: peer.name, mode: peer.mode ?? "", version: peer.version, durability: peer.durability, cpuLabels: peer.cpuLabels, crashMode: peer.crashMode, workloads: {}, load: [] };
	try {
		// Warm-up: JIT, caches, pools.
		await peer.run("chain");
		for (const [w] of WORKLOADS) {
			result.load.push(loadAverage());
			result.workloads[w] = await workload(peer, w);
			log(`${key} ${w}: ${result.workloads[w].stepsPerSecond.toFixed(0)} steps/s, p50 ${result.workloads[w].p50.toFixed(1)} ms`);
		}
		result.load.push(loadAverage());
		result.crash = await crash(peer);
		log(`${key} crash: ${JSON.stringify(result.crash)}`);
	} catch (err) {
		result.error = err.message.split("\n")[0];
		log(`${key}: ${err.stack}`);
	} finally {
		await peer.close().catch(err => log(`${key}: close: ${err.message}`));
	}
	return result;
}

const median = xs => {
	const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
	if (!s.length) return NaN;
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One row per peer from its rounds: the median of each number, and the range of steps/s. */
function merge(runs) {
	const ok = runs.filter(r => !r.error || Object.keys(r.workloads).length);
	const first = runs[0];
	const out = { ...first, workloads: {}, errors: runs.map(r => r.error).filter(Boolean) };
	for (const [w] of WORKLOADS) {
		const xs = ok.map(r => r.workloads[w]).filter(Boolean);
		if (!xs.length) continue;
		const cpu = {};
		for (const k of Object.keys(xs[0].cpu)) cpu[k] = median(xs.map(x => x.cpu[k]));
		out.workloads[w] = {
			stepsPerSecond: median(xs.map(x => x.stepsPerSecond)),
			min: Math.min(...xs.map(x => x.stepsPerSecond)),
			max: Math.max(...xs.map(x => x.stepsPerSecond)),
			p50: median(xs.map(x => x.p50)),
			p99: median(xs.map(x => x.p99)),
			cpu,
			n: xs.length
		};
	}
	const crashes = runs.map(r => r.crash).filter(Boolean);
	if (crashes.length) {
		out.crash = {
			killedMs: median(crashes.map(c => c.killedMs)),
			calmMs: median(crashes.map(c => c.calmMs)),
			costMs: median(crashes.map(c => c.killedMs - c.calmMs)),
			costMin: Math.min(...crashes.map(c => c.killedMs - c.calmMs)),
			costMax: Math.max(...crashes.map(c => c.killedMs - c.calmMs)),
			restartMs: crashes[0].restartMs === null ? null : median(crashes.map(c => c.restartMs)),
			rerun: median(crashes.map(c => c.rerun)),
			calmRerun: median(crashes.map(c => c.calmRerun)),
			n: crashes.length
		};
	}
	out.load = runs.map(r => r.load[0]?.split(" / ")[0]).filter(Boolean);
	return out;
}

const f0 = x => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
const f1 = x => (Number.isFinite(x) ? x.toFixed(1) : "–");

function table(results, meta) {
	const lines = [];
	lines.push(
		`Generated by \`bench/peers/run.js\` (what \`npm run bench:peers\` runs) on ${meta.date}: ${meta.rounds} rounds (each round sets every runtime up afresh and runs everything once), medians shown. Machine: ${meta.machine}. Load average (1 / 5 / 15 min) at the start: ${meta.loadStart}; at the end: ${meta.loadEnd}; other jobs' test suites share these 2 cores.`
	);
	lines.push("");
	lines.push("| runtime | state kept in | workload | steps/s, median (range) | p50 / p99 step-to-step ms | CPU s per process, whole workload | load (1 min) in its rounds |");
	lines.push("|---|---|---|---|---|---|---|");
	for (const r of results) {
		if (!Object.keys(r.workloads).length) {
			lines.push(`| ${r.name} | ${r.durability ?? ""} | could not run: ${r.errors[0] ?? ""} | | | | |`);
			continue;
		}
		WORKLOADS.forEach(([w, label], i) => {
			const x = r.workloads[w];
			const cpu = x ? Object.entries(x.cpu).map(([k, v]) => `${r.cpuLabels[k] ?? k} ${v.toFixed(2)}`).join("; ") : "";
			lines.push(
				`| ${i === 0 ? `**${r.name}**` : ""} | ${i === 0 ? r.durability : ""} | ${label} | ${x ? `**${f0(x.stepsPerSecond)}** (${f0(x.min)}–${f0(x.max)})` : "failed"} | ${x ? `${f1(x.p50)} / ${f1(x.p99)}` : ""} | ${cpu} | ${i === 0 ? r.load.join(", ") : ""} |`
			);
		});
	}
	lines.push("");
	lines.push(
		`Crash test: ${CRASH.runs} runs × ${CRASH.steps} steps, each step an HTTP call answered after ${CRASH.stepMs} ms; SIGKILL once ${CRASH.killAfter} steps have made their call. Medians of the rounds.`
	);
	lines.push("");
	lines.push("| runtime | after the kill | all runs complete after the kill | same point, no kill | recovery cost, median (range) | steps run again |");
	lines.push("|---|---|---|---|---|---|");
	for (const r of results) {
		const c = r.crash;
		if (!c) {
			lines.push(`| ${r.name} | ${r.crashMode ?? ""} | failed: ${r.errors[0] ?? "–"} | | | |`);
			continue;
		}
		lines.push(
			`| ${r.name} | ${r.crashMode}${c.restartMs !== null ? ` (restart: ${f0(c.restartMs)} ms)` : ""} | ${f0(c.killedMs)} ms | ${f0(c.calmMs)} ms | **${f0(c.costMs)} ms** (${f0(c.costMin)}–${f0(c.costMax)}) | ${f0(c.rerun)}${c.calmRerun ? ` (${f0(c.calmRerun)} without a kill)` : ""} |`
		);
	}
	const errors = results.flatMap(r => r.errors.map(e => `${r.name}: ${e}`));
	if (errors.length) {
		lines.push("");
		lines.push(`Failures in some rounds: ${errors.join("; ")}.`);
	}
	lines.push("");
	lines.push(`Versions: ${[...new Set(results.map(r => r.version))].join("; ")}; PostgreSQL ${meta.postgres}; Redis ${meta.redis}; nats-server ${meta.nats}.`);
	return lines.join("\n");
}

/** The versions of the shared servers, as they report them. */
async function serverVersions() {
	const tryRun = fn => {
		try {
			return fn();
		} catch {
			return "unknown";
		}
	};
	const pg = new Client({ connectionString: PG_ADMIN });
	await pg.connect();
	const postgres = (await pg.query("SHOW server_version")).rows[0].server_version;
	await pg.end();
	const redis = tryRun(() => /redis_version:(\S+)/.exec(execFileSync("redis-cli", ["-u", REDIS_URL, "info", "server"], { encoding: "utf8" }))[1]);
	const nats = tryRun(() => execFileSync("nats-server", ["--version"], { encoding: "utf8" }).trim().replace(/^nats-server: /, ""));
	return { postgres, redis, nats };
}

async function main() {
	const args = process.argv.slice(2);
	const write = !args.includes("--no-write");
	const keys = args.filter(a => !a.startsWith("--"));
	const which = keys.length ? keys : Object.keys(PEERS);
	for (const k of which) if (!PEERS[k]) throw new Error(`unknown peer ${k}; one of ${Object.keys(PEERS).join(", ")}`);
	const meta = { date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC", machine: machine(), loadStart: loadAverage(), ...(await serverVersions()) };
	log(`machine: ${meta.machine}; load ${meta.loadStart}; uptime: ${execFileSync("uptime", { encoding: "utf8" }).trim()}`);
	// --from-json: render the table again from the last run's raw results, without running anything.
	if (args.includes("--from-json")) {
		const last = JSON.parse(readFileSync(path.join(__dirname, "last-run.json"), "utf8"));
		return output(last.meta, last.rounds, write);
	}
	const rounds = [];
	for (let r = 0; r < ROUNDS; r++) {
		log(`round ${r + 1} of ${ROUNDS}`);
		const round = [];
		for (const k of which) round.push(await benchPeer(k));
		rounds.push(round);
	}
	meta.loadEnd = loadAverage();
	meta.rounds = ROUNDS;
	// Only the run that writes the table keeps its raw results, so that --from-json renders that table again.
	if (write) writeFileSync(path.join(__dirname, "last-run.json"), JSON.stringify({ meta, rounds }, null, "\t"));
	output(meta, rounds, write);
}

function output(meta, rounds, write) {
	const results = rounds[0].map((_, i) => merge(rounds.map(round => round[i])));
	const text = table(results, meta);
	console.log(text);
	if (write) {
		const readme = readFileSync(README, "utf8");
		const a = readme.indexOf(BEGIN);
		const b = readme.indexOf(END);
		if (a < 0 || b < a) throw new Error(`${README} has no ${BEGIN} … ${END} markers`);
		writeFileSync(README, `${readme.slice(0, a + BEGIN.length)}\n${text}\n${readme.slice(b)}`);
		log(`table written into ${README}`);
	}
}

main().then(
	() => process.exit(0),
	err => {
		console.error(err);
		process.exit(1);
	}
);
