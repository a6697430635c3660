/**
 * Agents through the whole product: 100 concurrent runs on an embedded server, each an
 * agent step of 3 model turns (the first two call a tool), the fake OpenAI server (its own
 * process) answering in 200 ms and the tool (an HTTP endpoint) in 100 ms. The ideal run is
 * 3 × 200 + 2 × 100 = 800 ms, and all 100 run at once, so the ideal wall time is 800 ms.
 * For comparison (BENCH_MODE=chain) the same work as it had to be written before the
 * agent step: a chain of ai_generate → http_request → ai_generate → http_request →
 * ai_generate, one call per step.
 *   npm run build && npx tsc -p bench/tsconfig.json && node dist/bench/llm/agent.bench.js
 * Wall time is from the first run's start to the last run's end (the ledger's times).
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const { startServer, machine, api } = require("../../../bench/lib/server.js") as {
	startServer(env: Record<string, string>): Promise<{ url: string; pid: number; stop(): Promise<void> }>;
	machine(): string;
	api(url: string, method: string, pathname: string, body?: unknown, token?: string): Promise<Record<string, unknown>>;
};

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const TURNS = 3;
const ANSWER_MS = Number(process.env.BENCH_ANSWER_MS ?? 200);
const TOOL_MS = Number(process.env.BENCH_TOOL_MS ?? 100);
const MODES = (process.env.BENCH_MODE ?? "agent,chain").split(",");

function workflowOf(mode: string, toolUrl: string): Record<string, unknown> {
	if (mode === "agent") {
		return {
			workflow_id: "bench-agent",
			version: "1.0.0",
			steps: [
				{
					id: "ask",
					type: "agent",
					params: {
						prompt: "Do the work, then say done.",
						max_tokens: 16,
						max_turns: TURNS,
						tools: [{ name: "work", http: { url: `${toolUrl}?ms=${TOOL_MS}&step=\${{ args.step }}` }, parameters: { type: "object", properties: { step: { type: "integer" } } } }]
					}
				}
			]
		};
	}
	const steps: Record<string, unknown>[] = [];
	for (let i = 0; i < TURNS; i++) {
		steps.push({ id: `ask${i}`, type: "ai_generate", depends_on: i ? [`work${i - 1}`] : [], params: { prompt: `Turn ${i}`, max_tokens: 16 } });
		if (i < TURNS - 1) steps.push({ id: `work${i}`, type: "http_request", depends_on: [`ask${i}`], params: { url: `${toolUrl}?ms=${TOOL_MS}&step=${i}` } });
	}
	return { workflow_id: "bench-chain", version: "1.0.0", steps };
}

async function runMode(mode: string, fake: ReturnType<typeof fork>, openai: string, toolUrl: string): Promise<string> {
	fake.send({ reset: true });
	fake.send({ delay: ANSWER_MS });
	if (mode === "agent") fake.send({ agentTurns: TURNS });
	const dir = mkdtempSync(path.join(tmpdir(), "cos-bench-agent-"));
	const server = await startServer({
		DATA_DIR: dir,
		SECURITY_BCRYPT_ROUNDS: "4",
		LLM_OPENAI_API_KEY: "sk-bench-0000000000",
		LLM_OPENAI_BASE_URL: openai,
		LLM_PROVIDER_ORDER: "openai",
		STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
		// Every run at once: neither the workers nor the in-flight limit queue anything.
		ENGINE_WORKER_CONCURRENCY: String(RUNS * 2),
		LLM_OPENAI_MAX_IN_FLIGHT: "0",
		LLM_BUDGET_MAX_COST_USD: "1000",
		// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
		...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {})
	});
	try {
		const url = server.url;
		await api(url, "POST", "/api/v3/auth/register", { email: "agent-bench@example.com", password: "bench-password" });
		const { access_token: token } = (await api(url, "POST", "/api/v3/auth/login", { email: "agent-bench@example.com", password: "bench-password" })) as { access_token: string };
		const workflow = workflowOf(mode, toolUrl);
		await api(url, "POST", "/api/v3/workflows", workflow, token);
		const ids = (await Promise.all(
			Array.from({ length: RUNS }, () => api(url, "POST", "/api/v3/workflows/execute", { workflow_id: workflow.workflow_id, workflow_version: "1.0.0" }, token))
		)).map(r => String(r.execution_id));
		const runs: { status: string; started_at: string; completed_at: string | null }[] = [];
		for (const id of ids) {
			for (;;) {
				const e = (await api(url, "GET", `/api/v3/workflows/executions/${id}`, undefined, token)) as (typeof runs)[number];
				if (e.status !== "running" && e.status !== "pending") {
					runs.push(e);
					break;
				}
				await new Promise(r => setTimeout(r, 100));
			}
		}
		const first = Math.min(...runs.map(r => Date.parse(r.started_at)));
		const last = Math.max(...runs.map(r => Date.parse(r.completed_at ?? r.started_at)));
		const completed = runs.filter(r => r.status === "completed").length;
		const stats = await new Promise<{ requests: number; maxInFlight: number }>(resolve => {
			const on = (m: unknown) => {
				if (m && typeof m === "object" && "stats" in m) {
					fake.off("message", on);
					resolve((m as { stats: { requests: number; maxInFlight: number } }).stats);
				}
			};
			fake.on("message", on);
			fake.send({ stats: true });
		});
		const ideal = TURNS * ANSWER_MS + (TURNS - 1) * TOOL_MS;
		// How long the server took to admit the 100 starts, and each run from its start to its end.
		const starts = runs.map(r => Date.parse(r.started_at));
		const durations = runs.map(r => Date.parse(r.completed_at ?? r.started_at) - Date.parse(r.started_at)).sort((a, b) => a - b);
		const mean = Math.round(durations.reduce((a, b) => a + b, 0) / durations.length);
		return (
			`${mode}: ${RUNS} runs × ${TURNS} turns (${mode === "agent" ? "one agent step" : "a chain of ai_generate and http_request steps"}): wall ${last - first} ms (ideal ${ideal} ms, ${((last - first) / ideal).toFixed(2)}×); ` +
			`starts admitted over ${Math.max(...starts) - Math.min(...starts)} ms; a run took ${durations[0]} / ${mean} / ${durations[durations.length - 1]} ms (min / mean / max; ideal ${ideal}); ` +
			`${completed}/${RUNS} completed; the model server saw ${stats.requests} calls, at most ${stats.maxInFlight} at once`
		);
	} finally {
		await server.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

async function main(): Promise<void> {
	const fake = fork(path.join(__dirname, "fake-server-process.js"), { stdio: "inherit" });
	const { openai, toolUrl } = await new Promise<{ openai: string; toolUrl: string }>(resolve => fake.once("message", m => resolve(m as { openai: string; toolUrl: string })));
	try {
		console.log(`machine: ${machine()}; ${new Date().toISOString()}`);
		for (const mode of MODES) console.log(await runMode(mode, fake, openai, toolUrl));
	} finally {
		fake.disconnect();
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
