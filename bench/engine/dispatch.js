"use strict";
/**
 * How ready-step messages should travel between nodes: Moleculer balanced events over the
 * NATS transporter, or @moleculer/channels on NATS JetStream. Two brokers in this process
 * (a sender and a receiver), real NATS; latency of one message at a time, then throughput
 * of 10,000 messages in flight.
 *   node bench/engine/dispatch.js
 */
const { randomBytes } = require("node:crypto");
const { ServiceBroker } = require("moleculer");
const ChannelsMiddleware = require("@moleculer/channels").Middleware;
const { machine } = require("../lib/server");

const NATS = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function pair(kind) {
	const namespace = `dispatch-${randomBytes(3).toString("hex")}`;
	const channel = `steps-${namespace}`;
	const received = [];
	let waiter = null;
	const onMessage = payload => {
		received.push(payload);
		if (waiter && received.length >= waiter.n) waiter.resolve();
	};
	// Each broker needs its own channels middleware (it keeps per-broker state).
	const middlewares = () => (kind === "channels" ? [ChannelsMiddleware({ adapter: { type: "NATS", options: { nats: { url: NATS } } } })] : []);
	const make = id => new ServiceBroker({ namespace, nodeID: id, transporter: { type: "NATS", options: { url: NATS } }, logger: false, middlewares: middlewares() });
	const sender = make("sender");
	const receiver = make("receiver");
	receiver.createService(
		kind === "channels"
			? { name: "worker", channels: { [channel]: { group: "execution", handler: onMessage } } }
			: { name: "worker", events: { "engine.steps.ready": { group: "execution", handler: ctx => onMessage(ctx.params) } } }
	);
	sender.createService({ name: "sender" });
	await receiver.start();
	await sender.start();
	await sender.waitForServices("worker");
	const send = payload => (kind === "channels" ? sender.sendToChannel(channel, payload) : sender.emit("engine.steps.ready", payload, { groups: ["execution"] }));
	const until = n => new Promise(resolve => (received.length >= n ? resolve() : (waiter = { n, resolve })));
	return { send, until, received, stop: () => Promise.all([sender.stop(), receiver.stop()]) };
}

async function measure(kind) {
	const p = await pair(kind);
	try {
		// Warm-up.
		for (let i = 0; i < 200; i++) {
			await p.send({ refs: [{ execution_id: "x", step_id: String(i) }] });
			await p.until(i + 1);
		}
		const latencies = [];
		for (let i = 0; i < 2000; i++) {
			const t0 = process.hrtime.bigint();
			await p.send({ refs: [{ execution_id: "x", step_id: String(i) }] });
			await p.until(200 + i + 1);
			latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
		}
		const base = p.received.length;
		const t0 = process.hrtime.bigint();
		await Promise.all(Array.from({ length: 10000 }, (_, i) => p.send({ refs: [{ execution_id: "y", step_id: String(i) }] })));
		await p.until(base + 10000);
		const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
		return { p50: pct(latencies, 50), p99: pct(latencies, 99), perSecond: 10000 / seconds };
	} finally {
		await p.stop();
	}
}

async function main() {
	console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
	console.log("| transport | one message p50 ms | p99 ms | messages/s (10,000 in flight) |");
	console.log("|---|---|---|---|");
	for (const kind of ["balanced events", "channels"]) {
		const r = await measure(kind === "channels" ? "channels" : "events");
		console.log(`| ${kind === "channels" ? "@moleculer/channels, NATS JetStream" : "Moleculer balanced events, NATS"} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.perSecond.toFixed(0)} |`);
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
