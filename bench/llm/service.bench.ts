/**
 * The LLM service under load: 1,000 concurrent `llm.complete` calls against the fake
 * OpenAI server answering in 200 ms, with at most 100 in flight. The ideal is 10 waves
 * of 200 ms; the server runs in its own process. The report gives the wall time against it, and the time the service adds
 * to one call (broker, validation, routing, limiter, SDK, pricing) over a bare HTTP POST.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/llm/service.bench.js
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import OpenAI from "openai";
import { loadConfig } from "../../lib/config";
import { createBroker } from "../../moleculer.config";

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 100);
const ANSWER_MS = Number(process.env.BENCH_ANSWER_MS ?? 200);
// Sequential calls per variant when measuring the overhead of one call.
const SAMPLES = 300;
const KEY = "sk-bench-0000000000000000";

const ms = (n: number) => `${n.toFixed(1)} ms`;

function stats(samples: number[]) {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	return { mean: samples.reduce((s, v) => s + v, 0) / samples.length, p50: at(0.5), p99: at(0.99) };
}

async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		await fn(i);
		out.push(performance.now() - t);
	}
	return out;
}

/** The fake server's process, driven over IPC. */
class RemoteFakeServer {
	private constructor(
		private readonly child: ChildProcess,
		readonly openaiBaseURL: string
	) {}

	static async start(): Promise<RemoteFakeServer> {
		const child = fork(path.join(__dirname, "fake-server-process.js"), { stdio: "inherit" });
		const ready = await new Promise<{ openai: string }>(resolve => child.once("message", m => resolve(m as { openai: string })));
		return new RemoteFakeServer(child, ready.openai);
	}

	private ask<T>(command: object): Promise<T> {
		return new Promise(resolve => {
			this.child.once("message", m => resolve(m as T));
			this.child.send(command);
		});
	}

	setDelay = (delay: number) => this.ask({ delay });
	reset = () => this.ask({ reset: true });
	stats = () => this.ask<{ stats: { requests: number; maxInFlight: number } }>({ stats: true }).then(m => m.stats);

	stop(): void {
		this.child.disconnect();
	}
}

/** Wall time of `calls` SDK calls with at most `limit` in flight, without the service. */
async function sdkUnderLimit(sdk: OpenAI, calls: number, limit: number): Promise<number> {
	let inFlight = 0;
	const waiting: (() => void)[] = [];
	const started = performance.now();
	await Promise.all(
		Array.from({ length: calls }, async (_, i) => {
			if (inFlight < limit) inFlight++;
			else await new Promise<void>(resolve => waiting.push(resolve));
			try {
				await sdk.chat.completions.create({ model: "gpt-5.4", messages: [{ role: "user", content: `baseline ${i}` }], max_tokens: 64 });
			} finally {
				const next = waiting.shift();
				if (next) next();
				else inFlight--;
			}
		})
	);
	return performance.now() - started;
}

async function main(): Promise<void> {
	const server = await RemoteFakeServer.start();
	const dataDir = mkdtempSync(path.join(tmpdir(), "cos-bench-llm-"));
	const config = loadConfig({
		DATA_DIR: dataDir,
		OBSERVABILITY_LOG_LEVEL: "warn",
		LLM_OPENAI_API_KEY: KEY,
		LLM_OPENAI_BASE_URL: server.openaiBaseURL,
		LLM_PROVIDER_ORDER: "openai",
		LLM_OPENAI_MAX_IN_FLIGHT: String(IN_FLIGHT),
		API_REQUEST_TIMEOUT: "5m"
	});
	const broker = createBroker(config, { services: ["llm"], skipProcessEventRegistration: true });
	await broker.start();
	const params = (i: number) => ({ prompt: `Summarize ticket ${i}: the deploy failed on step migrate.`, max_tokens: 64 });

	// Warm up connections and JIT.
	await Promise.all(Array.from({ length: 200 }, (_, i) => broker.call("llm.complete", params(i))));

	// Baseline: the same calls straight through the SDK, limited by a bare 100-slot semaphore.
	await server.setDelay(ANSWER_MS);
	const sdk = new OpenAI({ apiKey: KEY, baseURL: server.openaiBaseURL, maxRetries: 0 });
	await sdkUnderLimit(sdk, 200, IN_FLIGHT);
	const baseline = await sdkUnderLimit(sdk, CALLS, IN_FLIGHT);

	await server.reset();
	await server.setDelay(ANSWER_MS);
	const started = performance.now();
	const latencies: number[] = [];
	await Promise.all(
		Array.from({ length: CALLS }, async (_, i) => {
			const t = performance.now();
			await broker.call("llm.complete", params(i));
			latencies.push(performance.now() - t);
		})
	);
	const wall = performance.now() - started;
	const ideal = Math.ceil(CALLS / IN_FLIGHT) * ANSWER_MS;
	const { maxInFlight, requests } = await server.stats();

	// One call at a time, answers without delay: what each layer adds to a bare POST.
	await server.reset();
	const url = `${server.openaiBaseURL}/chat/completions`;
	const body = (i: number) => JSON.stringify({ model: "gpt-5.4", messages: [{ role: "user", content: params(i).prompt }], max_tokens: 64 });
	const raw = stats(
		await timeEach(SAMPLES, i =>
			fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` }, body: body(i) }).then(r => r.json())
		)
	);
	const viaSdk = stats(
		await timeEach(SAMPLES, i => sdk.chat.completions.create({ model: "gpt-5.4", messages: [{ role: "user", content: params(i).prompt }], max_tokens: 64 }))
	);
	const viaService = stats(await timeEach(SAMPLES, i => broker.call("llm.complete", params(i))));

	await broker.stop();
	server.stop();
	rmSync(dataDir, { recursive: true, force: true });

	const under = stats(latencies);
	console.log(`llm.complete × ${CALLS}, ${IN_FLIGHT} in flight, answers in ${ANSWER_MS} ms`);
	console.log(`  wall time           ${ms(wall)}  (ideal ${ms(ideal)}, ratio ${(wall / ideal).toFixed(3)}×, goal ≤ 1.2×)`);
	console.log(`  baseline            ${ms(baseline)} for the bare SDK under the same limit (${(baseline / ideal).toFixed(3)}×): the service adds ${ms(wall - baseline)}`);
	console.log(`  server saw          ${requests} requests, at most ${maxInFlight} at once`);
	console.log(`  call latency        p50 ${ms(under.p50)}, p99 ${ms(under.p99)} (queueing included)`);
	console.log(`one call at a time, instant answers (${SAMPLES} each), mean / p50 / p99:`);
	console.log(`  bare HTTP POST      ${ms(raw.mean)} / ${ms(raw.p50)} / ${ms(raw.p99)}`);
	console.log(`  openai SDK          ${ms(viaSdk.mean)} / ${ms(viaSdk.p50)} / ${ms(viaSdk.p99)}`);
	console.log(`  llm.complete        ${ms(viaService.mean)} / ${ms(viaService.p50)} / ${ms(viaService.p99)}`);
	console.log(`  service overhead    ${ms(viaService.mean - raw.mean)} per call over a bare POST (${ms(viaService.mean - viaSdk.mean)} over the SDK alone)`);
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
