"use strict";
/**
 * What Moleculer's debug lines cost a node that logs at info: a local action call and a
 * local broadcast (Moleculer writes a debug line for each, with the params attached)
 * through the project's logger (`middlewares/pino-logger.ts`), with the params of a
 * small step event.
 *   npm run build && node bench/observability/debug-logs.js
 */
const path = require("node:path");
const { Writable } = require("node:stream");
const { ServiceBroker } = require("moleculer");
const { machine } = require("../lib/server");

const ROOT = path.resolve(__dirname, "../..");
const { createRootLogger } = require(path.join(ROOT, "dist/lib/logging"));
const { PinoJsonLogger } = require(path.join(ROOT, "dist/middlewares/pino-logger"));

const CALLS = Number(process.env.BENCH_CALLS ?? 50_000);
const ROUNDS = 5;

async function main() {
	let written = 0;
	const sink = new Writable({ write: (chunk, _enc, done) => ((written += chunk.length), done()) });
	const broker = new ServiceBroker({ nodeID: "bench", logger: new PinoJsonLogger(createRootLogger({ level: "info", base: {}, destination: sink }), "info") });
	broker.createService({ name: "s", actions: { a: ctx => ctx.params.step_id }, events: { "e.x"() {} } });
	await broker.start();
	const params = { execution_id: "3f0c6a0e-5b1e-4f7e-9d7a-1c2b3d4e5f60", step_id: "s3", status: "completed", output: { text: "x".repeat(80), n: [1, 2, 3] } };
	const results = [];
	for (let round = 0; round <= ROUNDS; round++) {
		const t0 = process.hrtime.bigint();
		for (let i = 0; i < CALLS; i++) {
			await broker.call("s.a", params);
			broker.broadcast("e.x", params);
		}
		// The first round warms the JIT up.
		if (round > 0) results.push(Number(process.hrtime.bigint() - t0) / CALLS / 1000);
	}
	await broker.stop();
	results.sort((a, b) => a - b);
	console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
	console.log(`one local call + one local broadcast, logger at info: ${results[Math.floor(results.length / 2)].toFixed(2)} µs (median of ${ROUNDS} rounds of ${CALLS}; ${results.map(r => r.toFixed(2)).join(", ")}); ${written} bytes of log written`);
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
