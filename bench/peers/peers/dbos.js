"use strict";
/** DBOS Transact on PostgreSQL: one application process (it starts the workflows and runs the steps). */
const { pkgVersion, backendsOf, createDatabase, forkWorker } = require("../lib");

module.exports = async function dbos() {
	const db = await createDatabase("peers_dbos");
	let worker = await forkWorker("dbos-worker.js", [db.url]).catch(async err => {
		await db.drop();
		throw err;
	});
	return {
		name: "DBOS Transact",
		version: `@dbos-inc/dbos-sdk ${pkgVersion("@dbos-inc/dbos-sdk")}`,
		durability: "PostgreSQL, one commit per step (synchronous_commit=on: WAL fsync'd per commit)",
		cpuGroups: () => ({ worker: async () => [worker.pid], postgres: () => backendsOf(db.name) }),
		cpuLabels: { worker: "app process", postgres: "PostgreSQL backends" },
		run: async workload => ({ timings: await worker.call({ op: "run", workload }) }),
		restarts: true,
		crashMode: "kill -9 the only process, start it again (DBOS recovers its pending workflows at launch)",
		async startCrash(target, runs, tag) {
			this.tag = tag;
			await worker.call({ op: "startCrash", url: target.url, runs, tag });
		},
		async kill() {
			await worker.kill();
		},
		async afterKill() {
			worker = await forkWorker("dbos-worker.js", [db.url]);
		},
		async crashDone(runs) {
			const [{ n }] = await db.query("SELECT COUNT(*)::int AS n FROM dbos.workflow_status WHERE workflow_uuid LIKE $1 AND status = 'SUCCESS'", [`crash-${this.tag}-%`]);
			return n >= runs;
		},
		async close() {
			await worker.stop();
			await db.drop();
		}
	};
};
