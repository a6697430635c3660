import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const REPL = path.resolve(__dirname, "../../dist/bin/repl.js");

/** Runs `npm run repl`'s program with `commands` piped to its stdin; resolves when it exits by itself at the end of input. */
export function runRepl(env: Record<string, string>, commands: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const home = mkdtempSync(path.join(tmpdir(), "cos-repl-home-"));
	const proc = spawn(process.execPath, [REPL], {
		// HOME: the REPL keeps its history there.
		env: { PATH: process.env.PATH ?? "", HOME: home, ENV_FILE: "/dev/null", ...env },
		stdio: ["pipe", "pipe", "pipe"]
	});
	let stdout = "";
	let stderr = "";
	proc.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
	proc.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
	proc.stdin.end(`${commands.join("\n")}\n`);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			proc.kill("SIGKILL");
			reject(new Error(`The REPL did not finish. stdout:\n${stdout}\nstderr:\n${stderr.slice(-3000)}`));
		}, 60000);
		proc.once("exit", code => {
			clearTimeout(timer);
			rmSync(home, { recursive: true, force: true });
			resolve({ code, stdout, stderr });
		});
	});
}

