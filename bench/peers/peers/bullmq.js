"use strict";
/** BullMQ FlowProducer flows, on Redis or on BullMQ's PostgreSQL backend; worker processes of 32 concurrent jobs each. */
const { randomBytes } = require("node:crypto");
const { pkgVersion, REDIS_URL, backendsOf, createDatabase, forkWorker, pidsNamed } = require("../lib");

module.exports = async function bullmq(backend) {
	const prefix = `peers-${randomBytes(4).toString("hex")}`;
	const db = backend === "postgres" ? await createDatabase("peers_bullmq") : null;
	const url = db ? db.url : REDIS_URL;
	const start = () => forkWorker("bullmq-worker.js", [backend, url, prefix]);
	const main = await start();
	let workers = [main];
	let survivor = null;
	let base = 0;
	const version = `bullmq ${pkgVersion("bullmq")}`;
	return {
		name: backend === "postgres" ? "BullMQ flows on PostgreSQL" : "BullMQ flows on Redis",
		version,
		durability:
			backend === "postgres"
				? "PostgreSQL (BullMQ's backend), one commit per job finish (WAL fsync'd per commit)"
				: "Redis in memory only: this Redis has `appendonly no` and `save \"\"`, nothing reaches the disk (not durable: a Redis restart loses every flow)",
		cpuGroups: () => ({
			worker: async () => workers.map(w => w.pid),
			store: async () => (db ? backendsOf(db.name) : pidsNamed("redis-server"))
		}),
		cpuLabels: { worker: "worker process", store: db ? "PostgreSQL backends" : "redis-server (shared with other jobs)" },
		run: async workload => ({ timings: await main.call({ op: "run", workload }) }),
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
		}
	};
};
