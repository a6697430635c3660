import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./ports";

/**
 * A NATS or Redis server of the test's own, on a port of its own, so a test can stop,
 * kill or freeze it without touching the machine's shared one. Only its own process is
 * ever signalled, by its pid.
 */
export interface PrivateServer {
	url: string;
	port: number;
	/** Stops the process (SIGTERM) or kills it (SIGKILL: no goodbye to its clients) and waits for it to exit. */
	stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
	/** Starts it again on the same port. */
	start(): Promise<void>;
	destroy(): Promise<void>;
}

const BINARIES: Record<string, string[]> = {
	"nats-server": ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"],
	"redis-server": ["/usr/bin/redis-server", "/usr/sbin/redis-server", "/usr/local/bin/redis-server"]
};

function binary(name: string): string | null {
	return BINARIES[name].find(p => existsSync(p)) ?? null;
}

/** Whether `name` is installed; under CI=true its absence is a failure, elsewhere a skip with a note. */
export function canRunPrivate(name: "nats-server" | "redis-server"): boolean {
	const found = binary(name) !== null;
	if (!found && process.env.CI === "true") throw new Error(`CI=true and a private ${name} cannot run: it is not installed (looked in ${BINARIES[name].join(", ")})`);
	if (!found) process.stderr.write(`\n[tests] tests with a private ${name} are skipped: it is not installed\n`);
	return found;
}

async function accepting(port: number, timeoutMs: number): Promise<void> {
	for (const until = Date.now() + timeoutMs; ; ) {
		const ok = await new Promise<boolean>(resolve => {
			const socket = net.connect({ host: "127.0.0.1", port }, () => {
				socket.destroy();
				resolve(true);
			});
			socket.once("error", () => resolve(false));
		});
		if (ok) return;
		if (Date.now() > until) throw new Error(`nothing accepted connections on port ${port} within ${timeoutMs} ms`);
		await new Promise(r => setTimeout(r, 50));
	}
}

async function startPrivateServer(name: "nats-server" | "redis-server", args: (port: number, dir: string) => string[], url: (port: number) => string): Promise<PrivateServer> {
	const bin = binary(name);
	if (!bin) throw new Error(`${name} is not installed`);
	const dir = mkdtempSync(path.join(tmpdir(), `cos-${name}-`));
	const port = await freePort();
	let proc: ChildProcess | undefined;
	let exited: Promise<void> = Promise.resolve();
	const start = async () => {
		const log = openSync(path.join(dir, "server.log"), "a");
		const child = spawn(bin, args(port, dir), { cwd: dir, stdio: ["ignore", log, log] });
		closeSync(log);
		proc = child;
		exited = new Promise(resolve => child.once("exit", () => resolve()));
		await accepting(port, 30_000);
	};
	const stop = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
		const child = proc;
		proc = undefined;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		child.kill(signal);
		await exited;
	};
	await start();
	return {
		url: url(port),
		port,
		stop,
		start,
		async destroy() {
			await stop("SIGKILL");
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

export const startPrivateNats = () => startPrivateServer("nats-server", port => ["-a", "127.0.0.1", "-p", String(port)], port => `nats://127.0.0.1:${port}`);

export const startPrivateRedis = () =>
	startPrivateServer(
		"redis-server",
		(port, dir) => ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no"],
		port => `redis://127.0.0.1:${port}`
	);
