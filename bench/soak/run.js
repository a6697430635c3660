"use strict";
/**
 * Retention soak: an embedded server with EXECUTION_RETENTION=1m runs 10,000 short runs
 * (a 3-step chain of transforms) at a steady pace, while its elected node archives and
 * prunes what passed the minute. Disk use (the SQLite database and its WAL, archives apart)
 * and the server's RSS are sampled once the retention window has filled (the start: after
 * retention + two prune intervals) and again when the last run has ended (the end); the goal
 * is the end within 10 % of the start.
 *   npm run build && node bench/soak/run.js
 * BENCH_SOAK_RUNS (10000), BENCH_SOAK_RATE (40 runs started per second at most) and
 * BENCH_SOAK_CONCURRENCY (8) change the size and pace; the pace keeps the run longer than
 * the retention window, so the end is a steady state like the start.
 * BENCH_SOAK_HEAPSNAPSHOTS=dir (opt-in) writes the server's heap snapshots at the start and
 * the end to `dir` (node's --heapsnapshot-signal; each one pauses the server a few seconds);
 * compare them with `node bench/soak/heap-diff.js start.heapsnapshot end.heapsnapshot`.
 * Each memory sample forces a full garbage collection first (through the server's
 * inspector) and reads the RSS and the heap in use right after it: between collections V8
 * lets the heap grow well past what is live, so an RSS read at a random moment lands anywhere
 * on that saw and tells nothing about a leak. The RSS before the collection is printed too.
 * BENCH_SOAK_GC=0 reads the RSS without collecting (the saw).
 */
const { mkdtempSync, readdirSync, rmSync, statSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startServer, rssMb, machine, api, freePort } = require("../lib/server");

const RUNS = Number(process.env.BENCH_SOAK_RUNS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_SOAK_CONCURRENCY ?? 8);
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 40);
const RETENTION_MS = 60_000;
const PRUNE_INTERVAL_MS = 5_000;
/** The window is full once runs older than the retention exist and two prune passes have run. */
const WARM_MS = RETENTION_MS + 2 * PRUNE_INTERVAL_MS;
const SNAPSHOT_DIR = process.env.BENCH_SOAK_HEAPSNAPSHOTS;
if (SNAPSHOT_DIR) process.env.BENCH_NODE_FLAGS = `${process.env.BENCH_NODE_FLAGS ?? ""} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${path.resolve(SNAPSHOT_DIR)}`;
/** Memory is read right after a full collection (BENCH_SOAK_GC=0: wherever V8's saw happens to be). */
const GC_SAMPLES = process.env.BENCH_SOAK_GC !== "0";
const ADMIN = { email: "soak@cognitionos.test", password: "soak-admin-password" };

function bytesOf(dir, match) {
	let total = 0;
	for (const name of readdirSync(dir)) if (match(name)) total += statSync(path.join(dir, name)).size;
	return total;
}

/** The server, stopped when the soak fails too (it would outlive this process). */
let server = null;

/** The server's inspector (Chrome DevTools Protocol over a WebSocket): a full GC, then its heap in use, in MB. */
async function inspector(port) {
	const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
	const ws = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise((resolve, reject) => {
		ws.onopen = resolve;
		ws.onerror = reject;
	});
	let id = 0;
	const pending = new Map();
	ws.onmessage = event => {
		const message = JSON.parse(event.data);
		pending.get(message.id)?.(message);
		pending.delete(message.id);
	};
	const send = (method, params = {}) =>
		new Promise(resolve => {
			pending.set(++id, resolve);
			ws.send(JSON.stringify({ id, method, params }));
		});
	return {
		async heapAfterGcMb() {
			await send("HeapProfiler.collectGarbage");
			const answer = await send("Runtime.evaluate", { expression: "process.memoryUsage().heapUsed", returnByValue: true });
			return answer.result.result.value / 2 ** 20;
		},
		close: () => ws.close()
	};
}

async function main() {
	const dataDir = mkdtempSync(path.join(os.tmpdir(), "cos-soak-"));
	const inspectPort = GC_SAMPLES ? await freePort() : null;
	if (inspectPort) process.env.BENCH_NODE_FLAGS = `${process.env.BENCH_NODE_FLAGS ?? ""} --inspect=127.0.0.1:${inspectPort}`;
	server = await startServer({
		DATA_DIR: dataDir,
		SECURITY_SECRET_KEY: "soak-secret-key-that-is-long-enough-0123456789",
		SECURITY_ADMIN_EMAIL: ADMIN.email,
		SECURITY_ADMIN_PASSWORD: ADMIN.password,
		EXECUTION_RETENTION: "1m",
		// Everything a run leaves behind is kept a minute too: audit rows, and its live messages for resuming clients.
		AUDIT_RETENTION: "1m",
		REALTIME_RESUME_RETENTION: "1m",
		EXECUTION_PRUNE_INTERVAL: `${PRUNE_INTERVAL_MS / 1000}s`
	});
	const archiveDir = path.join(dataDir, "archive");
	const dbBytes = () => bytesOf(dataDir, n => n.startsWith("cognitionos.sqlite"));
	const archiveBytes = () => {
		try {
			return bytesOf(archiveDir, n => n.endsWith(".jsonl.gz"));
		} catch {
			return 0;
		}
	};
	const gc = inspectPort ? await inspector(inspectPort) : null;
	const sample = async label => ({ label, rss_before_gc_mb: gc ? rssMb(server.pid) : NaN, heap_after_gc_mb: gc ? await gc.heapAfterGcMb() : NaN, at_s: Math.round((Date.now() - t0) / 1000), runs_done: done, db_mb: dbBytes() / 2 ** 20, wal_mb: bytesOf(dataDir, n => n === "cognitionos.sqlite-wal") / 2 ** 20, rss_mb: rssMb(server.pid), anon_mb: rssMb(server.pid, "RssAnon"), file_mb: rssMb(server.pid, "RssFile"), archive_mb: archiveBytes() / 2 ** 20 });
	/** Requests wait while a heap snapshot is taken (the server pauses; its idle connections then time out at once). */
	let paused = null;
	/** Asks the server for a heap snapshot and waits until it is written (the file stops growing). */
	const heapSnapshot = async () => {
		if (!SNAPSHOT_DIR) return;
		let resume;
		paused = new Promise(r => (resume = r));
		try {
			await takeSnapshot();
			// Past the server's keep-alive timeout (5 s): the connections it closes on waking are closed before they are used.
			await new Promise(r => setTimeout(r, 6000));
		} finally {
			paused = null;
			resume();
		}
	};
	const takeSnapshot = async () => {
		const before = new Set(readdirSync(SNAPSHOT_DIR));
		process.kill(server.pid, "SIGUSR2");
		for (let last = -1; ; ) {
			await new Promise(r => setTimeout(r, 1000));
			const file = readdirSync(SNAPSHOT_DIR).find(n => !before.has(n) && n.endsWith(".heapsnapshot"));
			if (!file) continue;
			const size = statSync(path.join(SNAPSHOT_DIR, file)).size;
			if (size > 0 && size === last) return console.error(`heap snapshot: ${path.join(SNAPSHOT_DIR, file)}`);
			last = size;
		}
	};
	const { access_token: token } = await api(server.url, "POST", "/api/v3/auth/login", ADMIN);
	await api(server.url, "POST", "/api/v3/workflows", {
		workflow_id: "soak",
		version: "1.0.0",
		inputs: [{ name: "n", type: "integer", default: 1 }],
		steps: [
			{ id: "a", type: "transform", params: { expression: "{'n': inputs.n, 'text': $pad('', 200, 'x')}" } },
			{ id: "b", type: "transform", params: { expression: "steps.a.output.n * 2" }, depends_on: ["a"] },
			{ id: "c", type: "transform", params: { expression: "steps.b.output + 1" }, depends_on: ["b"] }
		]
	}, token);

	const t0 = Date.now();
	let started = 0;
	let done = 0;
	let start = null;
	let startTaken = false;
	const samples = [];
	const worker = async () => {
		while (started < RUNS) {
			started++;
			// Run n starts no sooner than n / RATE seconds in.
			const due = t0 + (started / RATE) * 1000;
			if (due > Date.now()) await new Promise(r => setTimeout(r, due - Date.now()));
			while (paused) await paused;
			const run = await api(server.url, "POST", "/api/v3/workflows/execute", { workflow_id: "soak", workflow_version: "1.0.0", inputs: { n: started } }, token);
			for (;;) {
				const e = await api(server.url, "GET", `/api/v3/workflows/executions/${run.execution_id}`, undefined, token);
				if (["completed", "failed", "cancelled"].includes(e.status)) {
					if (e.status !== "completed") throw new Error(`run ${run.execution_id} ended ${e.status}`);
					break;
				}
				await new Promise(r => setTimeout(r, 20));
				while (paused) await paused;
			}
			done++;
			if (!startTaken && Date.now() - t0 >= WARM_MS) {
				// Taken by one worker only (the others go on while it samples).
				startTaken = true;
				start = await sample("start");
				samples.push(start);
				await heapSnapshot();
			}
			if (done % 1000 === 0) {
				samples.push(await sample(`${done} runs`));
				console.error(JSON.stringify(samples[samples.length - 1]));
			}
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	const end = await sample("end");
	await heapSnapshot();
	if (!start) console.error(`The runs ended before the window filled (${WARM_MS} ms): the start is the first sample.`);
	const first = start ?? end;
	const load = os.loadavg().map(n => n.toFixed(2)).join(" ");
	const ratio = (a, b) => `${(((b - a) / a) * 100).toFixed(1)} %`;
	console.log(`\nmachine: ${machine()}\ndate: ${new Date().toISOString()}\nload average at the end: ${load}`);
	console.log(`runs: ${RUNS} in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${CONCURRENCY} at once`);
	console.table([first, ...samples.filter(s => s !== first), end].map(s => ({ ...s, db_mb: s.db_mb.toFixed(2), wal_mb: s.wal_mb.toFixed(2), rss_before_gc_mb: gc ? s.rss_before_gc_mb.toFixed(1) : "-", heap_after_gc_mb: gc ? s.heap_after_gc_mb.toFixed(1) : "-", rss_mb: s.rss_mb.toFixed(1), anon_mb: s.anon_mb.toFixed(1), file_mb: s.file_mb.toFixed(1), archive_mb: s.archive_mb.toFixed(2) })));
	console.log(`db: start ${first.db_mb.toFixed(2)} MB, end ${end.db_mb.toFixed(2)} MB (${ratio(first.db_mb, end.db_mb)})`);
	console.log(`rss${gc ? " after a full GC" : ""}: start ${first.rss_mb.toFixed(1)} MB, end ${end.rss_mb.toFixed(1)} MB (${ratio(first.rss_mb, end.rss_mb)})`);
	if (gc) console.log(`rss before it (where V8's saw was): start ${first.rss_before_gc_mb.toFixed(1)} MB, end ${end.rss_before_gc_mb.toFixed(1)} MB`);
	const within = Math.abs(end.db_mb - first.db_mb) <= first.db_mb * 0.1 && Math.abs(end.rss_mb - first.rss_mb) <= first.rss_mb * 0.1;
	console.log(within ? "goal met: disk and memory at the end within 10 % of the start" : "goal NOT met");
	if (gc) console.log(`heap in use after a full GC: start ${first.heap_after_gc_mb.toFixed(1)} MB, end ${end.heap_after_gc_mb.toFixed(1)} MB (${ratio(first.heap_after_gc_mb, end.heap_after_gc_mb)})`);
	gc?.close();
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
	process.exitCode = within ? 0 : 1;
}

main().catch(async err => {
	console.error(err);
	await server?.stop();
	process.exit(1);
});
