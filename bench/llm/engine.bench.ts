/**
 * 1,000 concurrent ai_generate steps through the whole product: one execution of a
 * workflow of 1,000 independent ai_generate steps on an embedded server (parallel limit
 * raised to 1,000), the fake OpenAI server (its own process) answering in 200 ms,
 * LLM_OPENAI_MAX_IN_FLIGHT=100. The ideal is 10 waves × 200 ms.
 *   npm run build && npx tsc -p bench/tsconfig.json && node dist/bench/llm/engine.bench.js
 * Wall time is from the first step's start to the last step's end (the ledger's times). The
 * run's status is polled every 100 ms through the list of runs; its steps are read once, at the end.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

 
const { startServer, machine, api, cpuSeconds, statementCounts } = require("../../../bench/lib/server.js") as {
	startServer(env: Record<string, string>): Promise<{ url: string; pid: number; stop(): Promise<void> }>;
	statementCounts(metricsUrl: string): Promise<Map<string, { n: number; seconds: number }>>;
	machine(): string;
	cpuSeconds(pid: number): number;
	api(url: string, method: string, pathname: string, body?: unknown, token?: string): Promise<Record<string, unknown>>;
};

const RUNS = Number(process.env.BENCH_CALLS ?? 1000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 100);
const ANSWER_MS = Number(process.env.BENCH_ANSWER_MS ?? 200);


async function main(): Promise<void> {
	const fake = fork(path.join(__dirname, "fake-server-process.js"), { stdio: "inherit" });
	const { openai } = await new Promise<{ openai: string }>(resolve => fake.once("message", m => resolve(m as { openai: string })));
	fake.send({ delay: ANSWER_MS });
	const dir = mkdtempSync(path.join(tmpdir(), "cos-bench-llm-"));
	const server = await startServer({
		DATA_DIR: dir,
		SECURITY_BCRYPT_ROUNDS: "4",
		LLM_OPENAI_API_KEY: "sk-bench-0000000000",
		LLM_OPENAI_BASE_URL: openai,
		LLM_PROVIDER_ORDER: "openai",
		LLM_OPENAI_MAX_IN_FLIGHT: String(IN_FLIGHT),
		// Enough workers and parallelism that the in-flight limit, not the engine, is what queues calls.
		ENGINE_WORKER_CONCURRENCY: String(RUNS),
		ENGINE_MAX_PARALLEL_STEPS: String(RUNS),
		LLM_BUDGET_MAX_COST_USD: "1000"
	});
	try {
		const url = server.url;
		await api(url, "POST", "/api/v3/auth/register", { email: "llm-bench@example.com", password: "bench-password" });
		const { access_token: token } = (await api(url, "POST", "/api/v3/auth/login", { email: "llm-bench@example.com", password: "bench-password" })) as { access_token: string };
		const steps = Array.from({ length: RUNS }, (_, i) => ({ id: `ask${i}`, type: "ai_generate", params: { prompt: `Say something short about ${i}.`, max_tokens: 16 } }));
		await api(url, "POST", "/api/v3/workflows", { workflow_id: "ask", version: "1.0.0", steps }, token);
		const cpu = () => ({ server: cpuSeconds(server.pid), fake: cpuSeconds(fake.pid!), bench: process.cpuUsage() });
		const statements = () => statementCounts(`${url}/metrics`);
		const sql0 = await statements();
		const cpu0 = cpu();
		const { execution_id: id } = (await api(url, "POST", "/api/v3/workflows/execute", { workflow_id: "ask", workflow_version: "1.0.0" }, token)) as { execution_id: string };
		// Polled through the list (the run without its steps): a GET of the run itself answers with all 1,000 steps, and
		// building that answer every 100 ms on the server under test took CPU from the run being measured.
		for (;;) {
			const page = (await api(url, "GET", "/api/v3/workflows/executions?workflow_id=ask&page_size=1", undefined, token)) as { executions: { execution_id: string; status: string }[] };
			if (page.executions.find(x => x.execution_id === id)?.status !== "running") break;
			await new Promise(r => setTimeout(r, 100));
		}
		const e = (await api(url, "GET", `/api/v3/workflows/executions/${id}`, undefined, token)) as { status: string; steps: { started_at: string; completed_at: string }[] };
		const cpu1 = cpu();
		const sql1 = await statements();
		const first = Math.min(...e.steps.map(s => Date.parse(s.started_at)));
		const last = Math.max(...e.steps.map(s => Date.parse(s.completed_at)));
		// Every step is claimed (started) before it waits for the in-flight limit: how long the last claim came after the first.
		const claimsOver = Math.max(...e.steps.map(s => Date.parse(s.started_at))) - first;
		const failed = e.status === "completed" ? 0 : e.steps.filter(s => !s.completed_at).length;
		const stats = await new Promise<{ stats: { requests: number; maxInFlight: number } }>(resolve => {
			fake.on("message", m => "stats" in (m as object) && resolve(m as { stats: { requests: number; maxInFlight: number } }));
			fake.send({ stats: true });
		});
		const ideal = Math.ceil(RUNS / IN_FLIGHT) * ANSWER_MS;
		console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
		console.log(`1 execution × ${RUNS} parallel ai_generate steps, answers in ${ANSWER_MS} ms, in-flight limit ${IN_FLIGHT}`);
		const benchCpu = process.cpuUsage(cpu0.bench);
		console.log(
			`CPU from execute to done: server ${((cpu1.server - cpu0.server) * 1000).toFixed(0)} ms, fake server ${((cpu1.fake - cpu0.fake) * 1000).toFixed(0)} ms, this client ${((benchCpu.user + benchCpu.system) / 1000).toFixed(0)} ms`
		);
		console.log(`steps claimed over ${claimsOver} ms`);
		const perStep = [...sql1]
			.map(([k, { n }]) => [k, (n - (sql0.get(k)?.n ?? 0)) / RUNS] as const)
			.filter(([, n]) => n > 0)
			.sort((a, b) => b[1] - a[1]);
		console.log(`SQL statements per step: ${perStep.reduce((t, [, n]) => t + n, 0).toFixed(1)} (${perStep.map(([k, n]) => `${k} ${n.toFixed(2)}`).join(", ")})`);
		console.log(`wall ${last - first} ms (ideal ${ideal} ms, ${((last - first) / ideal).toFixed(2)}×); execution ${e.status}, ${failed} steps unfinished; server saw ${stats.stats.requests} calls, at most ${stats.stats.maxInFlight} at once`);
	} finally {
		await server.stop();
		fake.disconnect();
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
