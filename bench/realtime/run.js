"use strict";
/**
 * Real-time fan-out: N socket.io clients (default 1,000) subscribe to one execution that
 * waits at a chain of approval steps; each approval is a status change. Measures, per
 * change, how long until every client has the `workflow_status` it causes (p50/p99/max
 * from the approve request, and from the message's server timestamp), and the server's
 * resident memory per idle connection (socket.io and plain WebSocket).
 *   npm run build && node bench/realtime/run.js [clients] [changes]
 * BENCH_CLIENT=protocol uses bare WebSocket subscribers speaking the socket.io protocol
 * (lighter than socket.io-client); BENCH_WORKERS sets the number of client threads.
 * The subscribers run in BENCH_WORKERS worker threads (default 2) of this process, so
 * that their decoding is spread like a real audience's; it is still part of what is
 * measured, on the same two cores as the server.
 */
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { Worker, isMainThread, parentPort, workerData } = require("node:worker_threads");
const { io } = require("socket.io-client");
const { startServer, rssMb, machine, api } = require("../lib/server");

const pct = (xs, p) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const sleep = ms => new Promise(r => setTimeout(r, ms));

function connectSocketIo(url, token) {
	return new Promise((resolve, reject) => {
		const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
		socket.once("connect", () => resolve(socket));
		socket.once("connect_error", reject);
	});
}

function connectWebSocket(url, token) {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${url.replace(/^http/, "ws")}/ws/connect?token=${token}`);
		ws.addEventListener("open", () => resolve(ws));
		ws.addEventListener("error", reject);
	});
}

/** Connects `n` clients, 50 at a time, and returns them with the server's RSS growth per connection (KiB). */
async function idleMemory(s, n, connect, token) {
	await sleep(1500);
	const before = rssMb(s.pid);
	const clients = [];
	for (let i = 0; i < n; i += 50) clients.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => connect(s.url, token)))));
	await sleep(3000);
	const after = rssMb(s.pid);
	return { clients, perConnectionKiB: ((after - before) * 1024) / n, before, after };
}

async function main() {
	const n = Number(process.argv[2] ?? 1000);
	const changes = Number(process.argv[3] ?? 5);
	const dir = mkdtempSync(path.join(tmpdir(), "cos-bench-rt-"));
	const s = await startServer({ DATA_DIR: dir, REALTIME_MAX_CONNECTIONS_PER_USER: String(2 * n + 10), SECURITY_BCRYPT_ROUNDS: "4" });
	try {
		await api(s.url, "POST", "/api/v3/auth/register", { email: "bench@example.com", password: "bench-password" });
		const { access_token: token } = await api(s.url, "POST", "/api/v3/auth/login", { email: "bench@example.com", password: "bench-password" });
		const steps = Array.from({ length: changes }, (_, i) => ({ id: `gate${i}`, type: "approval", params: { message: `change ${i}` }, depends_on: i ? [`gate${i - 1}`] : [] }));
		// A last step, so that every gate's completion is an ordinary status change (not the run's end).
		steps.push({ id: "done", type: "transform", params: { expression: "'done'" }, depends_on: [`gate${changes - 1}`] });
		await api(s.url, "POST", "/api/v3/workflows", { workflow_id: "fanout", version: "1.0.0", steps }, token);
		await api(s.url, "POST", "/api/v3/workflows/fanout/1.0.0/status", { status: "active" }, token);

		// Memory of idle connections first: plain WebSocket, then socket.io (these stay as the subscribers).
		const ws = await idleMemory(s, n, connectWebSocket, token);
		const sio = await idleMemory(s, n, connectSocketIo, token);
		for (const w of ws.clients) w.close();

		for (const sock of sio.clients) sock.disconnect();
		await sleep(1000);

		const execution = await api(s.url, "POST", "/api/v3/workflows/execute", { workflow_id: "fanout", workflow_version: "1.0.0" }, token);
		const id = execution.execution_id;
		const workers = Number(process.env.BENCH_WORKERS ?? 2);
		const arrivals = [];
		let waiting = null;
		const pool = Array.from({ length: workers }, (_, w) => {
			const worker = new Worker(__filename, { workerData: { url: s.url, token, id, kind: process.env.BENCH_CLIENT ?? "socket.io-client", clients: Math.floor(n / workers) + (w < n % workers ? 1 : 0) } });
			worker.on("message", m => {
				if (m.arrivals) {
					arrivals.push(...m.arrivals);
					waiting?.();
				}
			});
			worker.on("error", err => {
				console.error(err);
				process.exit(1);
			});
			return new Promise(resolve => worker.once("message", m => m.ready && resolve(worker)));
		});
		const ready = await Promise.all(pool);

		const fromRequest = [];
		const fromTimestamp = [];
		for (let c = 0; c < changes; c++) {
			const step = `gate${c}`;
			for (;;) {
				const e = await api(s.url, "GET", `/api/v3/workflows/executions/${id}`, undefined, token);
				if (e.steps.find(x => x.step_id === step)?.waiting_for === "approval") break;
				await sleep(20);
			}
			await sleep(300);
			arrivals.length = 0;
			for (const worker of ready) worker.postMessage({ expect: step });
			await sleep(100);
			const t0 = Date.now();
			await api(s.url, "POST", `/api/v3/workflows/executions/${id}/steps/${step}/approve`, {}, token);
			while (arrivals.length < n) await new Promise(resolve => (waiting = resolve));
			for (const a of arrivals) {
				fromRequest.push(a.at - t0);
				fromTimestamp.push(a.at - a.stamped);
			}
		}
		await Promise.all(ready.map(w => w.terminate()));
		const row = xs => `p50 ${pct(xs, 50)} ms, p99 ${pct(xs, 99)} ms, max ${Math.max(...xs)} ms`;
		console.log(`machine: ${machine()}`);
		console.log(`clients: ${n} socket.io subscribers (${process.env.BENCH_CLIENT ?? "socket.io-client"}) of one execution in ${Number(process.env.BENCH_WORKERS ?? 2)} worker threads; status changes: ${changes} (${fromRequest.length} deliveries)`);
		console.log(`delivery, approve request sent → status received: ${row(fromRequest)}`);
		console.log(`delivery, message timestamp → status received: ${row(fromTimestamp)}`);
		console.log(`idle memory per connection (server RSS growth / ${n}): websocket ${ws.perConnectionKiB.toFixed(1)} KiB (${ws.before.toFixed(0)} → ${ws.after.toFixed(0)} MB), socket.io ${sio.perConnectionKiB.toFixed(1)} KiB (${sio.before.toFixed(0)} → ${sio.after.toFixed(0)} MB)`);
	} finally {
		await s.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * A socket.io subscriber that speaks the protocol itself over a bare WebSocket (engine.io 4,
 * socket.io 5): it answers pings and looks only at `workflow_status` packets, so the
 * audience costs less CPU than socket.io-client does (BENCH_CLIENT=protocol).
 */
function protocolSubscriber(url, token, id) {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`);
		const listeners = [];
		const sock = {
			on: (_type, fn) => listeners.push(fn),
			close: () => ws.close()
		};
		ws.addEventListener("error", reject);
		ws.addEventListener("message", e => {
			const data = String(e.data);
			if (data === "2") return ws.send("3");
			if (data.startsWith("0")) return ws.send(`40${JSON.stringify({ token })}`);
			if (data.startsWith("40")) return ws.send(`421${JSON.stringify(["subscribe", { execution_id: id }])}`);
			if (data.startsWith("431")) return resolve(sock);
			if (data.startsWith("44")) return reject(new Error(data));
			if (data.startsWith('42["workflow_status"')) {
				const m = JSON.parse(data.slice(2))[1];
				for (const fn of listeners) fn(m);
			}
		});
	});
}

async function socketIoSubscriber(url, token, id) {
	const sock = await connectSocketIo(url, token);
	await new Promise(resolve => sock.emit("subscribe", { execution_id: id }, resolve));
	return sock;
}

/** A worker thread: `clients` socket.io subscribers of the execution; reports when each got the status of the approval. */
async function subscriberWorker({ url, token, id, clients, kind }) {
	const subscribe = kind === "protocol" ? protocolSubscriber : socketIoSubscriber;
	const sockets = [];
	for (let i = 0; i < clients; i += 50) sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, clients - i) }, () => subscribe(url, token, id)))));
	let step = null;
	let got = [];
	for (const sock of sockets) {
		sock.on("workflow_status", m => {
			// The status change an approval causes: the gate completes (its update carries the decision too).
			if (!step || m.execution_id !== id || m.data.message !== `Step ${step} completed` || sock.$seen === step) return;
			sock.$seen = step;
			got.push({ at: Date.now(), stamped: Date.parse(m.timestamp) });
			if (got.length === sockets.length) {
				parentPort.postMessage({ arrivals: got });
				got = [];
			}
		});
	}
	parentPort.on("message", m => {
		if (m.expect) step = m.expect;
	});
	parentPort.postMessage({ ready: true });
}

if (isMainThread)
	main().catch(err => {
		console.error(err);
		process.exit(1);
	});
else subscriberWorker(workerData);
