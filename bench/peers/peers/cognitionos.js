"use strict";
/**
 * CognitionOS, from the repository's dist/ (npm run build): embedded (one process, SQLite) or a
 * cluster (a gateway node and two execution nodes over NATS, PostgreSQL), with the workload
 * definitions and the ledger measurement of bench/engine/run.js.
 */
const { execFileSync } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const { mkdtempSync, readFileSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { chain, fanout, measure, runAll, spawnNode } = require("../../engine/run");
const { startServer, api, startRuns, freePort } = require("../../lib/server");
const { NATS, CRASH, backendsOf, createDatabase, pidsNamed, sleep, track } = require("../lib");

const ROOT = path.resolve(__dirname, "../../..");
const SECRET = "bench-secret-key-that-is-long-enough-0123456789";

/** Settings for every CognitionOS node, from BENCH_COGNITIONOS_ENV ("ENGINE_LEASE_TTL=1s,ENGINE_DISPATCH_GRACE=500ms"): to see what a setting changes. */
const EXTRA = Object.fromEntries(
	(process.env.BENCH_COGNITIONOS_ENV ?? "")
		.split(",")
		.filter(Boolean)
		.map(kv => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)])
);

const DEFINITIONS = { chain: chain("chain100", 100), fanout: fanout("fanout100", 100), many: chain("chain10", 10) };

async function startEmbedded(dir, port) {
	const s = await startServer({ DATA_DIR: dir, SECURITY_BCRYPT_ROUNDS: "4", SECURITY_SECRET_KEY: SECRET, STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1", ...EXTRA, ...(port ? { API_PORT: String(port) } : {}) });
	track(s.proc);
	return s;
}

async function startCluster(db) {
	const port = await freePort();
	const common = {
		TRANSPORTER: NATS,
		NAMESPACE: `peers-${randomBytes(3).toString("hex")}`,
		DATABASE_URL: db.url,
		SECURITY_SECRET_KEY: SECRET,
		SECURITY_BCRYPT_ROUNDS: "4",
		STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
		OBSERVABILITY_METRICS_PORT: "0",
		...EXTRA
	};
	const nodes = [];
	nodes.push(track(await spawnNode({ ...common, SERVICES: "api-gateway,auth,workflow,llm", API_PORT: String(port), API_HOST: "127.0.0.1", NODE_ID: "gateway" })));
	nodes.push(track(await spawnNode({ ...common, SERVICES: "execution", NODE_ID: "exec-1" })));
	nodes.push(track(await spawnNode({ ...common, SERVICES: "execution", NODE_ID: "exec-2" })));
	const url = `http://127.0.0.1:${port}`;
	for (;;) {
		const res = await fetch(`${url}/api/v3/workflows/execute`, { method: "POST" }).catch(() => null);
		if (res?.status === 401) break;
		await sleep(100);
	}
	// The gateway spreads execute calls over the execution nodes it knows: let it learn both.
	await sleep(1500);
	return { url, nodes };
}

const exited = proc => new Promise(r => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once("exit", r)));

module.exports = async function cognitionos(mode) {
	const commit = execFileSync("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
	const version = `cognitionos ${JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version} at ${commit} (moleculer ${JSON.parse(readFileSync(path.join(ROOT, "node_modules/moleculer/package.json"), "utf8")).version})`;
	let dir = null;
	let db = null;
	let server = null;
	let cluster = null;
	if (mode === "embedded") {
		dir = mkdtempSync(path.join(tmpdir(), "peers-cos-"));
		server = await startEmbedded(dir);
	} else {
		db = await createDatabase("peers_cos");
		cluster = await startCluster(db);
	}
	const url = () => (server ? server.url : cluster.url);
	const email = `bench-${randomBytes(4).toString("hex")}@example.com`;
	await api(url(), "POST", "/api/v3/auth/register", { email, password: "bench-password" });
	const { access_token: token } = await api(url(), "POST", "/api/v3/auth/login", { email, password: "bench-password" });
	for (const d of Object.values(DEFINITIONS)) await api(url(), "POST", "/api/v3/workflows", d, token);

	const start = (wf, n) => startRuns(url(), token, wf, n);
	let crashWorkflow = "";
	let victim = null;
	return {
		name: `${mode === "embedded" ? "CognitionOS embedded" : "CognitionOS cluster"}${Object.keys(EXTRA).length ? ` (${process.env.BENCH_COGNITIONOS_ENV})` : ""}`,
		version,
		durability:
			mode === "embedded"
				? "SQLite in WAL mode with `synchronous=NORMAL`: one transaction per step transition, survives a process crash, not fsync'd per commit (the WAL is fsync'd at checkpoints)"
				: "PostgreSQL, one transaction per step transition (synchronous_commit=on: WAL fsync'd per commit)",
		cpuGroups: () =>
			server
				? { node: async () => [server.pid] }
				: {
						gateway: async () => [cluster.nodes[0].pid],
						exec: async () => cluster.nodes.slice(1).map(n => n.pid),
						postgres: () => backendsOf(db.name),
						nats: async () => pidsNamed("nats-server")
					},
		cpuLabels: server ? { node: "node process" } : { gateway: "gateway node", exec: "2 execution nodes", postgres: "PostgreSQL backends", nats: "nats-server (shared with other jobs)" },
		async run(workload) {
			const d = DEFINITIONS[workload];
			const ids = await runAll(url(), token, d.workflow_id, workload === "many" ? 1000 : 1);
			return { measure: () => measure(url(), token, ids, d) };
		},
		restarts: mode === "embedded",
		crashMode:
			mode === "embedded"
				? "kill -9 the only process, start it again on the same data directory"
				: "kill -9 one of the two execution nodes, the survivor takes its steps over at its next sweep, once the dead node's presence lock is gone",
		async startCrash(target, runs, tag) {
			crashWorkflow = `crash-${tag}`;
			const steps = Array.from({ length: CRASH.steps }, (_, i) => ({
				id: `s${i}`,
				type: "http_request",
				params: { url: `${target.url}/?ms=${CRASH.stepMs}` },
				depends_on: i ? [`s${i - 1}`] : []
			}));
			await api(url(), "POST", "/api/v3/workflows", { workflow_id: crashWorkflow, version: "1.0.0", steps }, token);
			await start(crashWorkflow, runs);
		},
		async kill() {
			victim = server ? server.proc : cluster.nodes[2];
			victim.kill("SIGKILL");
			await exited(victim);
		},
		async afterKill() {
			if (server) {
				const port = Number(new URL(server.url).port);
				server = await startEmbedded(dir, port);
			} else cluster.nodes.splice(2, 1);
		},
		async crashDone(runs) {
			try {
				const page = await api(url(), "GET", `/api/v3/workflows/executions?workflow_id=${crashWorkflow}&status=completed&page_size=1`, undefined, token);
				return page.total >= runs;
			} catch {
				return false;
			}
		},
		async close() {
			if (server) {
				await server.stop();
				rmSync(dir, { recursive: true, force: true });
			} else {
				for (const n of cluster.nodes) n.kill("SIGTERM");
				await Promise.all(cluster.nodes.map(exited));
				await db.drop();
			}
		}
	};
};
