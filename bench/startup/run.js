"use strict";
/**
 * Cold start to healthy, and resident memory, of the embedded server.
 *   npm run build && node bench/startup/run.js [runs]
 * "Cold" starts with an empty DATA_DIR (creates the SQLite file, runs every migration);
 * "warm" restarts on the data the cold start left.
 */
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { startServer, rssMb, machine, median } = require("../lib/server");

async function main() {
	const runs = Number(process.argv[2] ?? 5);
	const cold = [];
	const warm = [];
	const rss = [];
	const rssAfterLoad = [];
	for (let i = 0; i < runs; i++) {
		const dir = mkdtempSync(path.join(tmpdir(), "cos-bench-startup-"));
		const env = { DATA_DIR: dir, SECURITY_BCRYPT_ROUNDS: "4" };
		let s = await startServer(env);
		cold.push(s.msToHealthy);
		rss.push(rssMb(s.pid));
		// A little traffic, so the figure includes what serving requests allocates.
		const email = `bench-${i}@example.com`;
		const post = (p, body) => fetch(`${s.url}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
		await post("/api/v3/auth/register", { email, password: "bench-password" });
		for (let j = 0; j < 200; j++) await (await fetch(`${s.url}/health`)).arrayBuffer();
		rssAfterLoad.push(rssMb(s.pid));
		await s.stop();
		s = await startServer(env);
		warm.push(s.msToHealthy);
		await s.stop();
		rmSync(dir, { recursive: true, force: true });
	}
	const fmt = xs => `median ${median(xs).toFixed(0)} (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
	console.log(`machine: ${machine()}`);
	console.log(`runs: ${runs}`);
	console.log(`cold start to healthy, ms: ${fmt(cold)}`);
	console.log(`warm restart to healthy, ms: ${fmt(warm)}`);
	console.log(`RSS when healthy, MB: ${fmt(rss)}`);
	console.log(`RSS after 200 requests, MB: ${fmt(rssAfterLoad)}`);
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
