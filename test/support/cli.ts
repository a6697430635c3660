/**
 * Runs the `cognitionos` CLI (packages/client, built by the global setup) as a process:
 * through pipes, or in a pseudo-terminal (node-pty) to see what a person at a terminal sees.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { IPty } from "@lydell/node-pty";

export const CLI_BIN = path.resolve(__dirname, "../../packages/client/bin/cognitionos.js");

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** A fresh $XDG_CONFIG_HOME: each test's sessions are its own. */
export const freshConfigHome = () => mkdtempSync(path.join(tmpdir(), "cos-cli-"));

export function cliEnv(configHome: string, extra: Record<string, string> = {}): Record<string, string> {
	return { PATH: process.env.PATH ?? "", HOME: configHome, XDG_CONFIG_HOME: configHome, ...extra };
}

/** Runs the CLI with pipes for stdin, stdout and stderr (no terminal anywhere). */
export function runCli(args: string[], env: Record<string, string>, input = ""): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const proc = spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
		let stdout = "";
		let stderr = "";
		proc.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
		proc.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
		proc.on("error", reject);
		proc.on("close", code => resolve({ code, stdout, stderr }));
		proc.stdin.end(input);
	});
}

export interface PtySession {
	pty: IPty;
	/** Everything the terminal received so far, escape sequences included. */
	output(): string;
	waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
	exited: Promise<number>;
}

/** Runs the CLI in a pseudo-terminal of `cols` × `rows`: stdin, stdout and stderr are a TTY. */
export function ptyCli(args: string[], env: Record<string, string>, size = { cols: 100, rows: 30 }): PtySession {
	// Loaded here: a native addon only the terminal tests need.
	const { spawn: spawnPty } = require("@lydell/node-pty") as typeof import("@lydell/node-pty");
	const pty = spawnPty(process.execPath, [CLI_BIN, ...args], { name: "xterm-256color", cols: size.cols, rows: size.rows, env: { ...env, TERM: "xterm-256color" } });
	let out = "";
	const waiters: { test: () => boolean; resolve: () => void }[] = [];
	pty.onData(d => {
		out += d;
		for (const w of [...waiters]) {
			if (!w.test()) continue;
			waiters.splice(waiters.indexOf(w), 1);
			w.resolve();
		}
	});
	const exited = new Promise<number>(resolve => pty.onExit(e => resolve(e.exitCode)));
	return {
		pty,
		output: () => out,
		exited,
		waitFor(pattern, timeoutMs = 30000) {
			const test = () => (typeof pattern === "string" ? out.includes(pattern) : pattern.test(out));
			if (test()) return Promise.resolve();
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`The terminal never showed ${String(pattern)}; it shows:\n${out}`)), timeoutMs);
				waiters.push({
					test,
					resolve: () => {
						clearTimeout(timer);
						resolve();
					}
				});
			});
		}
	};
}
