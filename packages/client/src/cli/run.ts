/**
 * `run WORKFLOW[@VERSION]` (start, then optionally wait or watch) and `logs ID` (follow a
 * run's stream). Watching on a terminal redraws the DAG in place; otherwise it prints one
 * line per transition; with --json it prints only the final execution.
 */
import type { CognitionOS } from "../client";
import { WaitTimeoutError } from "../errors";
import type { StreamMessage } from "../stream";
import type { Execution, Workflow } from "../types";
import { Cli, InvalidInput, UsageError } from "./context";
import { readInputs, InputError } from "./inputs";
import { applyMessage, runFromExecution, transitionLine, type RunView } from "./run-state";
import { LiveScreen, renderRun, formatElapsed } from "./screen";

// The TTY view redraws this often for its clock (ms).
const REDRAW_INTERVAL = 250;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export interface RunOptions {
	input: string[];
	inputFile: string[];
	wait?: boolean;
	watch?: boolean;
	timeout?: string;
	idempotencyKey?: string;
}

export function parseDuration(text: string): number {
	const m = DURATION.exec(text.trim());
	if (!m) throw new UsageError(`--timeout must be a duration such as 30s, 5m or 1500ms, got "${text}"`);
	return Number(m[1]) * UNIT_MS[m[2] ?? "s"];
}

/** `hello@1.0.0` → that version; `hello` → its newest active version. */
async function resolveWorkflow(client: CognitionOS, ref: string): Promise<Workflow> {
	const at = ref.lastIndexOf("@");
	const id = at > 0 ? ref.slice(0, at) : ref;
	if (at > 0) return client.workflows.get(id, ref.slice(at + 1));
	const { versions } = await client.workflows.versions(id);
	const active = versions.find(v => v.status === "active");
	if (!active) throw new InvalidInput(`Workflow ${id} has no active version${versions.length ? ` (versions: ${versions.map(v => `${v.version} ${v.status}`).join(", ")})` : ""}`);
	return client.workflows.get(id, active.version);
}

const exitOfRun = (x: Execution) => (x.status === "completed" ? 0 : 1);

export async function run(cli: Cli, ref: string, opts: RunOptions): Promise<number> {
	if (opts.wait && opts.watch) throw new UsageError("Use --wait or --watch, not both");
	const timeoutMs = opts.timeout ? parseDuration(opts.timeout) : undefined;
	const client = cli.signedInClient();
	const workflow = await resolveWorkflow(client, ref);
	let inputs: Record<string, unknown>;
	try {
		inputs = readInputs(opts.input, opts.inputFile, workflow.inputs);
	} catch (err) {
		if (err instanceof InputError) throw new InvalidInput(err.message);
		throw err;
	}
	const started = await client.executions.start({ workflow_id: workflow.workflow_id, workflow_version: workflow.version, inputs }, { idempotencyKey: opts.idempotencyKey });
	if (!opts.wait && !opts.watch) {
		// The id alone, so that `ID=$(cognitionos run hello)` captures it.
		if (cli.json) cli.printJson(started);
		else cli.out(started.execution_id);
		return 0;
	}
	if (!cli.json && !opts.watch) cli.err(`Started ${started.execution_id}`);
	// The 202 answer is the run as it began; its steps come with the execution.
	const final = opts.watch ? await follow(cli, client, await client.executions.get(started.execution_id), { timeoutMs, mode: "transitions" }) : await waitFor(client, started.execution_id, timeoutMs);
	report(cli, final);
	return exitOfRun(final);
}

async function waitFor(client: CognitionOS, id: string, timeoutMs: number | undefined): Promise<Execution> {
	try {
		return await client.executions.wait(id, { timeoutMs });
	} catch (err) {
		if (err instanceof WaitTimeoutError) throw new InvalidInput(`${err.message}; it goes on: \`cognitionos logs ${id}\` follows it`);
		throw err;
	}
}

/** The end of a run, as the last thing printed. */
function report(cli: Cli, x: Execution): void {
	if (cli.json) return cli.printJson(x);
	const took = x.started_at && x.completed_at ? ` in ${formatElapsed(Date.parse(x.completed_at) - Date.parse(x.started_at))}` : "";
	cli.out(`${x.workflow_id}@${x.workflow_version} ${x.status}${took} (${x.execution_id})`);
	if (x.status === "completed" && x.outputs && Object.keys(x.outputs).length) cli.out(JSON.stringify(x.outputs, null, 2));
	if (x.error) cli.out(`error${x.error.step_id ? ` in step ${x.error.step_id}` : ""}: ${x.error.message}`);
}

/**
 * Follows a run until it ends and returns the final execution. `transitions` draws the
 * DAG on a terminal or prints a line per transition; `messages` prints every message.
 */
async function follow(cli: Cli, client: CognitionOS, first: Execution, opts: { timeoutMs?: number; mode: "transitions" | "messages" }): Promise<Execution> {
	const { stdout, env } = cli.io;
	const tty = Boolean(stdout.isTTY) && !cli.json && opts.mode === "transitions";
	const view: RunView = runFromExecution(first);
	// The stream is followed from its beginning and replays every transition: start from none.
	view.status = "pending";
	for (const step of view.steps) Object.assign(step, { state: "pending", attempt: 0, waiting_for: undefined, error: undefined });
	const screen = tty ? new LiveScreen(stdout) : null;
	const color = tty && !env.NO_COLOR;
	const redraw = () => screen?.draw(renderRun(view, Date.now(), { color, columns: stdout.columns || 80 }));
	const stop = new AbortController();
	const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => stop.abort(new Error("timeout")), opts.timeoutMs);
	const onSigint = () => stop.abort(new Error("interrupted"));
	process.once("SIGINT", onSigint);
	const clock = screen ? setInterval(redraw, REDRAW_INTERVAL) : undefined;
	redraw();
	const tokens = new TokenLines(cli);
	try {
		for await (const message of client.executions.watch(first.execution_id, { signal: stop.signal })) {
			const transitions = applyMessage(view, message);
			if (screen) redraw();
			else if (opts.mode === "messages") tokens.print(message, view.started_at);
			else if (!cli.json) for (const t of transitions) cli.out(transitionLine(t, view.started_at));
		}
	} finally {
		clearInterval(clock);
		clearTimeout(timer);
		process.off("SIGINT", onSigint);
		tokens.flush();
	}
	if (stop.signal.aborted) {
		screen?.end();
		const why = (stop.signal.reason as Error).message === "timeout" ? `still ${view.status} after ${opts.timeoutMs} ms` : "no longer followed";
		throw new InvalidInput(`Execution ${first.execution_id} is ${why}; it goes on: \`cognitionos logs ${first.execution_id}\` follows it`);
	}
	const final = await client.executions.get(first.execution_id);
	if (screen) {
		Object.assign(view, runFromExecution(final));
		redraw();
		screen.end();
	}
	return final;
}

/** `logs` output: a line per message; streamed LLM text is gathered into lines per step. */
class TokenLines {
	private step: string | null = null;
	private text = "";

	constructor(private readonly cli: Cli) {}

	print(m: StreamMessage, startedAt: number | null): void {
		if (this.cli.json) return this.cli.out(JSON.stringify(m));
		const d = m.data;
		if (m.type === "event" && d.event_type === "LlmToken") {
			const step = String(d.step_id);
			if (this.step !== step) this.flush();
			this.step = step;
			this.text += String(d.delta ?? "");
			const lines = this.text.split("\n");
			this.text = lines.pop() ?? "";
			for (const line of lines) this.cli.out(`${step} > ${line}`);
			return;
		}
		this.flush();
		const at = startedAt === null ? m.timestamp : `+${Math.max(0, (Date.parse(m.timestamp) - startedAt) / 1000).toFixed(2)}s`;
		if (m.type === "workflow_status") this.cli.out(`${at} status ${String(d.status)} ${String(d.progress)}%${d.message ? ` ${String(d.message)}` : ""}`);
		else {
			const error = (d.error as { message?: unknown } | undefined)?.message;
			this.cli.out(`${at} ${String(d.event_type)}${d.step_id ? ` ${String(d.step_id)}` : ""}${d.attempt ? ` attempt ${String(d.attempt)}` : ""}${typeof error === "string" ? `: ${error}` : ""}`);
		}
	}

	flush(): void {
		if (this.step && this.text) this.cli.out(`${this.step} > ${this.text}`);
		this.text = "";
	}
}

export async function logs(cli: Cli, id: string, opts: { timeout?: string }): Promise<number> {
	const timeoutMs = opts.timeout ? parseDuration(opts.timeout) : undefined;
	const client = cli.signedInClient();
	const first = await client.executions.get(id);
	const final = await follow(cli, client, first, { timeoutMs, mode: "messages" });
	if (!cli.json) report(cli, final);
	return exitOfRun(final);
}
