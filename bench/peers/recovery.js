"use strict";
/**
 * Embedded crash recovery, timed inside: the peers' crash workload (200 runs of 10 steps,
 * each an HTTP call answered after 20 ms), SIGKILL of the process once 400 steps have called,
 * a restart on the same data directory, and from the kill: when the restarted node is
 * healthy, when no step of the dead process is left running in the ledger (all taken back),
 * and when every run is complete.
 *   node bench/peers/recovery.js [rounds]      (after `npx tsc -p tsconfig.build.json`)
 */
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const BetterSqlite3 = require("better-sqlite3");
const { startServer, api } = require("../lib/server");
const { startTarget, CRASH, sleep } = require("./lib");

const SECRET = "bench-secret-key-that-is-long-enough-0123456789";

/** The ledger, read on a connection of its own each time (the node is down or restarting). */
function ledger(file, sql, bind = []) {
	const db = new BetterSqlite3(file, { readonly: true, timeout: 2000 });
	try {
		return db.prepare(sql).all(...bind);
	} finally {
		db.close();
	}
}

async function round() {
	const dir = mkdtempSync(path.join(tmpdir(), "recovery-"));
	const file = path.join(dir, "cognitionos.sqlite");
	const env = { DATA_DIR: dir, SECURITY_BCRYPT_ROUNDS: "4", SECURITY_SECRET_KEY: SECRET, STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1" };
	const target = await startTarget();
	let server = await startServer(env);
	try {
		const email = `recovery-${Date.now()}@example.com`;
		await api(server.url, "POST", "/api/v3/auth/register", { email, password: "bench-password" });
		const { access_token: token } = await api(server.url, "POST", "/api/v3/auth/login", { email, password: "bench-password" });
		const steps = Array.from({ length: CRASH.steps }, (_, i) => ({ id: `s${i}`, type: "http_request", params: { url: `${target.url}/?ms=${CRASH.stepMs}` }, depends_on: i ? [`s${i - 1}`] : [] }));
		await api(server.url, "POST", "/api/v3/workflows", { workflow_id: "crash", version: "1.0.0", steps }, token);
		for (let i = 0; i < CRASH.runs; i += 50) {
			await Promise.all(Array.from({ length: 50 }, () => api(server.url, "POST", "/api/v3/workflows/execute", { workflow_id: "crash", workflow_version: "1.0.0" }, token)));
		}
		while (target.hits() < CRASH.killAfter) await sleep(5);
		const dead = server.proc;
		const gone = new Promise(r => dead.once("exit", r));
		dead.kill("SIGKILL");
		await gone;
		const killedAt = Date.now();
		const owners = ledger(file, "SELECT DISTINCT lease_owner AS owner FROM step_runs WHERE status = 'running' AND lease_owner IS NOT NULL").map(r => r.owner);
		const held = ledger(file, "SELECT COUNT(*) AS n FROM step_runs WHERE status = 'running'")[0].n;
		server = await startServer({ ...env, API_PORT: new URL(server.url).port });
		const healthyMs = Date.now() - killedAt;
		const left = `SELECT COUNT(*) AS n FROM step_runs WHERE status = 'running' AND lease_owner IN (SELECT value FROM json_each(?))`;
		while (ledger(file, left, [JSON.stringify(owners)])[0].n > 0) await sleep(10);
		const takenBackMs = Date.now() - killedAt;
		while (ledger(file, "SELECT COUNT(*) AS n FROM executions WHERE status = 'completed'")[0].n < CRASH.runs) await sleep(20);
		return { held, healthyMs, takenBackMs, allCompleteMs: Date.now() - killedAt };
	} finally {
		await server.stop();
		await target.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

(async () => {
	for (let i = 0, n = Number(process.argv[2] ?? 3); i < n; i++) console.log(JSON.stringify(await round()));
})().catch(err => {
	console.error(err);
	process.exit(1);
});
