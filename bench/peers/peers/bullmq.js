"use strict";
/** BullMQ FlowProducer flows, on Redis or on BullMQ's PostgreSQL backend; worker processes of 32 concurrent jobs each. */
const { spawn } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const { mkdtempSync, rmSync } = require("node:fs");
const net = require("node:net");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { pkgVersion, REDIS_URL, backendsOf, createDatabase, forkWorker, freePort, pidsNamed, sleep, track } = require("../lib");

/** A Redis of our own that appends every write to its AOF and fsyncs it before answering (`appendfsync always`). */
async function durableRedis() {
	const dir = mkdtempSync(path.join(tmpdir(), "peers-redis-"));
	const port = await freePort();
	const proc = track(
		spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "always", "--save", ""], { stdio: "ignore" })
	);
	for (let i = 0; ; i++) {
		if (proc.exitCode !== null) throw new Error("redis-server exited at start");
		const ok = await new Promise(resolve => {
			const s = net.connect(port, "127.0.0.1", () => {
				s.end();
				resolve(true);
			});
			s.on("error", () => resolve(false));
		});
		if (ok) break;
		if (i > 100) throw new Error("redis-server did not listen in 10 s");
		await sleep(100);
	}
	return {
		url: `redis://127.0.0.1:${port}`,
		pid: proc.pid,
		async close() {
			proc.kill("SIGTERM");
			await new Promise(r => (proc.exitCode !== null ? r() : proc.once("exit", r)));
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

module.exports = async function bullmq(backend) {
	const prefix = `peers-${randomBytes(4).toString("hex")}`;
	const db = backend === "postgres" ? await createDatabase("peers_bullmq") : null;
	const aof = backend === "redis-aof" ? await durableRedis() : null;
	const url = db ? db.url : aof ? aof.url : REDIS_URL;
	const start = () => forkWorker("bullmq-worker.js", [db ? "postgres" : "redis", url, prefix]);
	const main = await start().catch(async err => {
		await db?.drop();
		await aof?.close();
		throw err;
	});
	let workers = [main];
	let survivor = null;
	let base = 0;
	const version = `bullmq ${pkgVersion("bullmq")}`;
	return {
		name: db ? "BullMQ flows on PostgreSQL" : aof ? "BullMQ flows on Redis, AOF fsync'd per write" : "BullMQ flows on Redis",
		version,
		durability: db
			? "PostgreSQL (BullMQ's backend), one commit per job finish (WAL fsync'd per commit)"
			: aof
				? "a Redis of its own with `appendonly yes`, `appendfsync always`: every write fsync'd to the AOF before Redis answers"
				: "the machine's Redis, in memory only (`appendonly no`, `save \"\"`): nothing reaches the disk, a Redis restart loses every flow; not durable",
		cpuGroups: () => ({
			worker: async () => workers.map(w => w.pid),
			store: async () => (db ? backendsOf(db.name) : aof ? [aof.pid] : pidsNamed("redis-server"))
		}),
		cpuLabels: { worker: "worker process", store: db ? "PostgreSQL backends" : aof ? "redis-server" : "redis-server (shared with other jobs)" },
		run: async workload => ({ timings: await main.call({ op: "run", workload }) }),
		restarts: false,
		crashMode: "two worker processes, kill -9 one, the survivor carries on (stalled jobs come back after the default 30 s lock)",
		async startCrash(target, runs) {
			if (!survivor) {
				survivor = await start();
				workers.push(survivor);
			}
			base = await survivor.call({ op: "completed" });
			this.runs = runs;
			await workers[0].call({ op: "startCrash", url: target.url, runs, tag: randomBytes(3).toString("hex") });
		},
		async kill() {
			const victim = workers[0];
			await victim.kill();
			workers = workers.filter(w => w !== victim);
		},
		async afterKill() {},
		async crashDone(runs) {
			return (await survivor.call({ op: "completed" })) >= base + runs * 10;
		},
		async close() {
			await workers[0].call({ op: "obliterate" }).catch(() => undefined);
			for (const w of workers) await w.stop();
			if (db) await db.drop();
			if (aof) await aof.close();
		}
	};
};
