import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { LogLine } from "./logs";

const ROOT = path.resolve(__dirname, "../..");
export const SERVER_ENTRY = path.join(ROOT, "dist/bin/cognitionos.js");

export interface NodeProcess {
	proc: ChildProcess;
	pid: number;
	/** The gateway's port when this node runs the gateway. */
	port?: number;
	url?: string;
	/** Where a node without the gateway serves /metrics. */
	metricsUrl?: string;
	lines: LogLine[];
	stderr: string[];
	waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
	/** SIGTERM and wait for the exit code. */
	stop(): Promise<number | null>;
	/** SIGKILL: the node dies mid-step. */
	kill(): Promise<void>;
	exited: Promise<number | null>;
}

/** Resolves once `observer` (a node process) has heard of node `nodeId`: Moleculer logs each node it discovers. */
export function knowsNode(observer: NodeProcess, nodeId: string): Promise<LogLine> {
	return observer.waitForLog(l => l.msg === `Node '${nodeId}' connected.`);
}

/**
 * Starts `node dist/bin/cognitionos.js` as a child process with `env`, and resolves once
 * it has started (and, with the gateway, once it listens). Only processes started here are
 * ever signalled, by their pid.
 */
export async function startNodeProcess(env: Record<string, string>, timeoutMs = 30000): Promise<NodeProcess> {
	const proc = spawn(process.execPath, [SERVER_ENTRY], {
		cwd: ROOT,
		// Nodes without the gateway serve /metrics on a port of their own: any free one, unless the test says.
		env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ENV_FILE: "/dev/null", OBSERVABILITY_METRICS_PORT: "0", SECURITY_REGISTER_MAX_PER_IP: "100000", ...env },
		stdio: ["ignore", "pipe", "pipe"]
	});
	const lines: LogLine[] = [];
	const stderr: string[] = [];
	const waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
	let partial = "";
	proc.stdout?.on("data", (chunk: Buffer) => {
		const parts = (partial + chunk.toString("utf8")).split("\n");
		partial = parts.pop() ?? "";
		for (const raw of parts) {
			if (!raw.trim()) continue;
			let line: LogLine;
			try {
				line = JSON.parse(raw) as LogLine;
			} catch {
				continue;
			}
			lines.push(line);
			for (const w of [...waiters]) {
				if (w.match(line)) {
					waiters.splice(waiters.indexOf(w), 1);
					w.resolve(line);
				}
			}
		}
	});
	proc.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
	const exited = new Promise<number | null>(resolve => proc.once("exit", code => resolve(code)));

	const waitForLog = (match: (line: LogLine) => boolean, ms = timeoutMs) => {
		const found = lines.find(match);
		if (found) return Promise.resolve(found);
		return new Promise<LogLine>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`No matching log line within ${ms} ms. stderr: ${stderr.join("")}`)), ms);
			waiters.push({
				match,
				resolve: l => {
					clearTimeout(timer);
					resolve(l);
				}
			});
			void exited.then(code => {
				clearTimeout(timer);
				reject(new Error(`Node exited with ${code} before the log line. stderr: ${stderr.join("")}`));
			});
		});
	};

	try {
		await waitForLog(l => typeof l.msg === "string" && l.msg.startsWith("CognitionOS ") && l.msg.includes(" started ("));
	} catch (err) {
		// A node that did not start is not left behind to keep the test run alive.
		proc.kill("SIGKILL");
		throw err;
	}
	const listening = lines.find(l => l.msg?.startsWith("API listening on port"));
	const port = listening ? Number(listening.port) : undefined;
	const metrics = lines.find(l => l.msg?.startsWith("Metrics at http://"));
	return {
		proc,
		pid: proc.pid ?? 0,
		port,
		url: port ? `http://127.0.0.1:${port}` : undefined,
		metricsUrl: metrics ? `http://127.0.0.1:${String(metrics.port)}/metrics` : undefined,
		lines,
		stderr,
		waitForLog,
		exited,
		async stop() {
			if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
			return exited;
		},
		async kill() {
			if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
			await exited;
		}
	};
}
