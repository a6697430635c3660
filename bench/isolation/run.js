"use strict";
/**
 * What isolating user code costs per step:
 *   - the fast path: a tiny expression evaluated inline with its meter (fuel and
 *     allocation hooks) and its output measured, against a plain JSONata evaluate;
 *   - the pool: an expression that must run in a worker process, one task at a time and
 *     64 in flight, with the CPU it costs the node's own process.
 *   npm run build && node bench/isolation/run.js
 */
const path = require("node:path");
const ROOT = path.resolve(__dirname, "../..");
const jsonata = require("jsonata");
const { Isolation } = require(path.join(ROOT, "dist/lib/isolation"));
const { evaluateInline } = require(path.join(ROOT, "dist/lib/isolation/inline-jsonata"));
const { jsonSize } = require(path.join(ROOT, "dist/lib/isolation/size"));
const { machine } = require("../lib/server");

const EVALUATIONS = 200_000;
const TASKS = 2_000;

async function perCall(n, fn) {
	for (let i = 0; i < n / 10; i++) await fn();
	const t = process.hrtime.bigint();
	for (let i = 0; i < n; i++) await fn();
	return Number(process.hrtime.bigint() - t) / 1e3 / n;
}

async function main() {
	console.log(`machine: ${machine()}; ${new Date().toISOString()}; load ${require("node:os").loadavg().map(l => l.toFixed(1)).join(" / ")}`);
	const input = { inputs: {}, steps: {} };
	const plain = jsonata("1");
	for (let round = 1; round <= 3; round++) {
		const before = await perCall(EVALUATIONS, () => plain.evaluate(input));
		const after = await perCall(EVALUATIONS, async () => jsonSize((await evaluateInline("1", input)).value, 4 << 20));
		console.log(`fast path, round ${round}: plain evaluate ${before.toFixed(2)} µs, metered inline + output size ${after.toFixed(2)} µs (+${(after - before).toFixed(2)} µs)`);
	}
	const iso = new Isolation({ workers: 2, workerMemoryBytes: 256 << 20, maxOutputBytes: 4 << 20, parseTimeoutMs: 1000 });
	const task = () => iso.jsonata("$map(inputs.xs, function($x){ $x * 2 })", { inputs: { xs: [1, 2, 3] }, steps: {} }, AbortSignal.timeout(10_000));
	const sequential = (await perCall(TASKS, task)) / 1000;
	const cpu = process.cpuUsage();
	const t = process.hrtime.bigint();
	for (let i = 0; i < TASKS; i += 64) await Promise.all(Array.from({ length: 64 }, task));
	const parallel = Number(process.hrtime.bigint() - t) / 1e6 / TASKS;
	const used = process.cpuUsage(cpu);
	console.log(`pool: ${sequential.toFixed(3)} ms per task one at a time; ${parallel.toFixed(3)} ms per task with 64 in flight on 2 workers, ${((used.user + used.system) / 1000 / TASKS).toFixed(3)} ms of this process's CPU each`);
	await iso.close();
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
