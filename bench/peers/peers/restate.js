"use strict";
/** Restate: the restate-server binary from npm (one node, its own RocksDB log and state on local disk) and a Node service endpoint. */
const { spawn } = require("node:child_process");
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { pkgVersion, forkWorker, freePort, sleep, track } = require("../lib");

// The binary itself (node_modules/.bin/restate-server is a Node wrapper around it), so that its CPU is counted.
const BIN = path.join(__dirname, "../node_modules/@restatedev/restate-server-linux-x64/bin/restate-server");

async function json(url, init) {
	const res = await fetch(url, { ...init, headers: { "content-type": "application/json", accept: "application/json", ...(init?.headers ?? {}) } });
	const text = await res.text();
	if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${res.status} ${text}`);
	return text ? JSON.parse(text) : null;
}

module.exports = async function restate() {
	const dir = mkdtempSync(path.join(tmpdir(), "peers-restate-"));
	const [ingressPort, adminPort, nodePort, servicePort] = [await freePort(), await freePort(), await freePort(), await freePort()];
	const server = track(
		spawn(BIN, ["--base-dir", dir, "--listen-mode", "tcp", "--bind-port", String(nodePort), "--no-logo", "--node-name", "bench"], {
			env: {
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingressPort}`,
				RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${adminPort}`,
				RESTATE_DISABLE_TELEMETRY: "true",
				RESTATE_LOG_FILTER: "error"
			},
			stdio: ["ignore", "ignore", "inherit"]
		})
	);
	const serverExited = new Promise(r => server.once("exit", r));
	const ingress = `http://127.0.0.1:${ingressPort}`;
	const admin = `http://127.0.0.1:${adminPort}`;
	for (let i = 0; ; i++) {
		if (server.exitCode !== null) throw new Error("restate-server exited at start");
		try {
			if ((await fetch(`${admin}/health`)).ok && (await fetch(`${ingress}/restate/health`)).ok) break;
		} catch {
			// Not listening yet.
		}
		if (i > 600) throw new Error("restate-server did not become healthy in 60 s");
		await sleep(100);
	}
	let worker = await forkWorker("restate-worker.js", [String(servicePort)]);
	await json(`${admin}/deployments`, { method: "POST", body: JSON.stringify({ uri: `http://127.0.0.1:${servicePort}` }) });

	/** Submits workflow runs `keys` with `input`, 50 requests at a time. */
	async function submit(keys, input) {
		for (let i = 0; i < keys.length; i += 50) {
			await Promise.all(keys.slice(i, i + 50).map(k => json(`${ingress}/bench/${k}/run/send`, { method: "POST", body: JSON.stringify(input) })));
		}
	}
	const version = `@restatedev/restate-server ${pkgVersion("@restatedev/restate-server")}, @restatedev/restate-sdk ${pkgVersion("@restatedev/restate-sdk")}`;
	let tag = "";
	return {
		name: "Restate",
		version,
		durability: "restate-server's RocksDB log on local disk, WAL fsync'd (default `rocksdb-disable-wal-fsync = false`), one journal entry per step",
		cpuGroups: () => ({ worker: async () => [worker.pid], server: async () => [server.pid] }),
		cpuLabels: { worker: "service endpoint", server: "restate-server" },
		async run(workload) {
			const t0 = Date.now();
			await worker.call({ op: "reset" });
			const n = workload === "many" ? 1000 : 1;
			const keys = Array.from({ length: n }, (_, i) => `${workload}-${t0}-${i}`);
			const waiting = worker.call({ op: "wait", n });
			await submit(keys, { kind: workload === "fanout" ? "fanout" : "chain", n: workload === "many" ? 10 : 100 });
			return { timings: await waiting };
		},
		restarts: true,
		crashMode: "kill -9 the service endpoint, start it again on the same port (the server retries the invocations)",
		async startCrash(target, runs, t) {
			tag = t;
			await submit(Array.from({ length: runs }, (_, i) => `crash-${tag}-${i}`), { kind: "crash", n: 10, url: target.url });
		},
		async kill() {
			await worker.kill();
		},
		async afterKill() {
			worker = await forkWorker("restate-worker.js", [String(servicePort)]);
		},
		async crashDone(runs) {
			const out = await json(`${admin}/query`, {
				method: "POST",
				body: JSON.stringify({ query: `SELECT COUNT(*) AS n FROM sys_invocation WHERE target_service_name = 'bench' AND status = 'completed' AND target_service_key LIKE 'crash-${tag}-%'` })
			});
			return Number(out.rows[0].n) >= runs;
		},
		async close() {
			await worker.stop();
			server.kill("SIGTERM");
			const t = setTimeout(() => server.kill("SIGKILL"), 15000);
			await serverExited;
			clearTimeout(t);
			rmSync(dir, { recursive: true, force: true });
		}
	};
};
