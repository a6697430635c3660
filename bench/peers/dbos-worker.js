"use strict";
/**
 * DBOS Transact worker: the application process, which both starts workflows and runs
 * their steps; every step's output is checkpointed in the PostgreSQL system database
 * before the next step runs. `node dbos-worker.js <system database url>`.
 * After a crash, launching again with the same executor id recovers the pending workflows.
 */
const { DBOS } = require("@dbos-inc/dbos-sdk");
const { serveParent, recorder, CRASH } = require("./lib");

const rec = recorder();
let target = "";

const noop = (run, step) => DBOS.runStep(() => rec.step(run, step), { name: step });

const chain = DBOS.registerWorkflow(
	async (run, n) => {
		for (let i = 0; i < n; i++) await noop(run, `s${i}`);
		rec.final();
		return n;
	},
	{ name: "chain" }
);

const fanout = DBOS.registerWorkflow(
	async (run, n) => {
		await noop(run, "root");
		await Promise.all(Array.from({ length: n }, (_, i) => noop(run, `m${i}`)));
		await noop(run, "join");
		rec.final();
		return n + 2;
	},
	{ name: "fanout" }
);

const crashy = DBOS.registerWorkflow(
	async (run, n, url) => {
		for (let i = 0; i < n; i++) {
			await DBOS.runStep(
				async () => {
					const res = await fetch(`${url}/?ms=${CRASH.stepMs}`);
					return (await res.json()).slept;
				},
				{ name: `s${i}` }
			);
		}
		return n;
	},
	{ name: "crashy" }
);

async function main() {
	DBOS.setConfig({ name: "bench-peers", systemDatabaseUrl: process.argv[2], runAdminServer: false, logLevel: "error", executorID: "bench-worker" });
	await DBOS.launch();
	serveParent({
		async run({ workload }) {
			rec.reset();
			const t0 = Date.now();
			if (workload === "chain") await (await DBOS.startWorkflow(chain)(`chain-${t0}`, 100)).getResult();
			else if (workload === "fanout") await (await DBOS.startWorkflow(fanout)(`fanout-${t0}`, 100)).getResult();
			else if (workload === "many") {
				const handles = await Promise.all(Array.from({ length: 1000 }, (_, i) => DBOS.startWorkflow(chain)(`many-${t0}-${i}`, 10)));
				await Promise.all(handles.map(h => h.getResult()));
			} else throw new Error(`unknown workload ${workload}`);
			return rec.timings;
		},
		async startCrash({ url, runs, tag }) {
			target = url;
			for (let i = 0; i < runs; i++) await DBOS.startWorkflow(crashy, { workflowID: `crash-${tag}-${i}` })(i, CRASH.steps, target);
			return runs;
		},
		shutdown: () => DBOS.shutdown()
	});
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
