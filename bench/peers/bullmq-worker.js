"use strict";
/**
 * BullMQ worker process: a Worker (concurrency 32, as CognitionOS's default slots) on the
 * `steps` queue, and the FlowProducer that adds the flows. A flow's children run before
 * their parent, so a chain is a flow nested 100 deep, and the fan-out is a root job that,
 * once done, adds a join job with 100 children.
 *   node bullmq-worker.js <redis|postgres> <connection url> <prefix>
 */
const { Worker, FlowProducer, Queue } = require("bullmq");
const { serveParent, recorder, CRASH } = require("./lib");

const [backend, url, prefix] = process.argv.slice(2);
const factory = backend === "postgres" ? require("bullmq").createPostgresBackend : undefined;
const connection = backend === "postgres" ? { connectionString: url, migrate: true } : (() => {
	const u = new URL(url);
	return { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
})();
const opts = extra => ({ connection, ...(backend === "redis" ? { prefix } : {}), ...extra });
const make = (Cls, ...args) => (factory ? new Cls(...args, factory) : new Cls(...args));

const QUEUE = "steps";
const rec = recorder();
const flows = make(FlowProducer, opts());

const job = (run, step, data = {}, children) => ({ name: step, queueName: QUEUE, data: { run, step, ...data }, ...(children ? { children } : {}) });

/** A chain of n steps: s{n-1} is the top of the flow and runs last. */
function chainFlow(run, n, data = {}) {
	let node = job(run, "s0", data);
	for (let i = 1; i < n; i++) node = job(run, `s${i}`, { ...data, final: i === n - 1 }, [node]);
	return node;
}

async function processor(j) {
	const { run, step, final, kind, url } = j.data;
	if (kind === "crash") {
		const res = await fetch(`${url}/?ms=${CRASH.stepMs}`);
		return (await res.json()).slept;
	}
	await rec.step(run, step);
	if (kind === "fanout-root") {
		await flows.add(job(run, "join", { final: true }, Array.from({ length: 100 }, (_, i) => job(run, `m${i}`))));
	}
	if (final) rec.final();
	return 1;
}

async function main() {
	const worker = make(Worker, QUEUE, processor, opts({ concurrency: 32 }));
	await worker.waitUntilReady();
	serveParent({
		async run({ workload }) {
			rec.reset();
			const t0 = Date.now();
			if (workload === "chain") {
				await flows.add(chainFlow(`chain-${t0}`, 100));
				await rec.until(1);
			} else if (workload === "fanout") {
				await flows.add(job(`fanout-${t0}`, "root", { kind: "fanout-root" }));
				await rec.until(1);
			} else if (workload === "many") {
				const all = Array.from({ length: 1000 }, (_, i) => chainFlow(`many-${t0}-${i}`, 10));
				for (let i = 0; i < all.length; i += 100) await flows.addBulk(all.slice(i, i + 100));
				await rec.until(1000);
			} else throw new Error(`unknown workload ${workload}`);
			return rec.timings;
		},
		async startCrash({ url: target, runs, tag }) {
			const all = Array.from({ length: runs }, (_, i) => chainFlow(`crash-${tag}-${i}`, CRASH.steps, { kind: "crash", url: target }));
			for (let i = 0; i < all.length; i += 50) await flows.addBulk(all.slice(i, i + 50));
			return runs;
		},
		async completed() {
			const q = make(Queue, QUEUE, opts());
			try {
				return await q.getCompletedCount();
			} finally {
				await q.close();
			}
		},
		async obliterate() {
			const q = make(Queue, QUEUE, opts());
			try {
				await q.obliterate({ force: true });
			} finally {
				await q.close();
			}
		},
		async shutdown() {
			await worker.close();
			await flows.close();
		}
	});
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
