"use strict";
/**
 * Restate service endpoint (the worker): a workflow `bench` whose `run` handler does its
 * steps with `ctx.run`, each journaled by the Restate server before the handler goes on.
 * The server pushes invocations to this endpoint over HTTP/2.
 *   node restate-worker.js <port>
 */
const restate = require("@restatedev/restate-sdk");
const { serveParent, recorder, CRASH } = require("./lib");

const rec = recorder();
const noop = (ctx, run, step) => ctx.run(step, () => rec.step(run, step));

const bench = restate.workflow({
	name: "bench",
	handlers: {
		run: async (ctx, { kind, n, url }) => {
			const run = ctx.key;
			if (kind === "crash") {
				for (let i = 0; i < n; i++) {
					await ctx.run(`s${i}`, async () => {
						const res = await fetch(`${url}/?ms=${CRASH.stepMs}`);
						return (await res.json()).slept;
					});
				}
				return n;
			}
			if (kind === "fanout") {
				await noop(ctx, run, "root");
				await restate.RestatePromise.all(Array.from({ length: n }, (_, i) => noop(ctx, run, `m${i}`)));
				await noop(ctx, run, "join");
			} else {
				for (let i = 0; i < n; i++) await noop(ctx, run, `s${i}`);
			}
			rec.final();
			return n;
		}
	}
});

async function main() {
	await restate.serve({ services: [bench], port: Number(process.argv[2]) });
	serveParent({
		async reset() {
			rec.reset();
		},
		async wait({ n }) {
			await rec.until(n);
			return rec.timings;
		}
	});
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
