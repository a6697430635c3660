import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./ports";

/** Debian keeps each PostgreSQL version's server binaries here; the newest is used. */
const PG_ROOT = "/usr/lib/postgresql";

function binDir(): string | null {
	if (!existsSync(PG_ROOT)) return null;
	const versions = readdirSync(PG_ROOT)
		.filter(v => existsSync(path.join(PG_ROOT, v, "bin", "pg_ctl")))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(PG_ROOT, versions[0], "bin") : null;
}

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` account (Debian's package creates it). */
function asServerUser(): { uid: number; gid: number } | null {
	if (process.getuid?.() !== 0) return null;
	try {
		const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
		const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
		const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
		return { uid, gid };
	} catch {
		throw new Error("Running as root, a private PostgreSQL needs the postgres account (apt-get install postgresql creates it)");
	}
}

/** Whether this machine can run a PostgreSQL server of a test's own (initdb, pg_ctl). */
export function canRunPrivatePostgres(): boolean {
	const found = binDir() !== null;
	const wanted = `initdb and pg_ctl (looked in ${PG_ROOT}/*/bin; apt-get install postgresql)`;
	if (!found && process.env.CI === "true") throw new Error(`CI=true and a private PostgreSQL cannot run here: it needs ${wanted}`);
	if (!found) process.stderr.write(`\n[tests] private PostgreSQL tests are skipped: they need ${wanted}\n`);
	return found;
}

export type StopMode = "fast" | "immediate";

/**
 * A PostgreSQL server of the test's own (its own data directory, port and socket under a
 * temporary directory), so that stopping, restarting or crashing it never touches the
 * machine's shared server. Trust authentication on 127.0.0.1, database `postgres`.
 */
export interface PrivatePostgres {
	url: string;
	port: number;
	/** `pg_ctl stop -m <mode>`: fast rolls back and disconnects sessions, immediate kills the server (crash recovery at the next start). */
	stop(mode: StopMode): Promise<void>;
	start(): Promise<void>;
	/** Stops it for good and removes its files. */
	destroy(): Promise<void>;
}

export async function startPrivatePostgres(settings: Record<string, string> = {}): Promise<PrivatePostgres> {
	const bin = binDir();
	if (!bin) throw new Error("PostgreSQL's server binaries are not installed");
	const owner = asServerUser();
	const dir = mkdtempSync(path.join(tmpdir(), "cos-pg-"));
	if (owner) chownSync(dir, owner.uid, owner.gid);
	const data = path.join(dir, "data");
	const port = await freePort();
	const run = (tool: string, args: string[], timeoutMs = 120_000) =>
		new Promise<string>((resolve, reject) =>
			execFile(path.join(bin, tool), args, { uid: owner?.uid, gid: owner?.gid, cwd: dir, timeout: timeoutMs, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" } }, (err, out, stderr) =>
				err ? reject(new Error(`${tool} ${args.join(" ")}: ${stderr || err.message}`)) : resolve(out)
			)
		);
	await run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
	const options = {
		listen_addresses: "127.0.0.1",
		port: String(port),
		unix_socket_directories: dir,
		max_connections: "200",
		shared_buffers: "32MB",
		...settings
	};
	const optionString = Object.entries(options)
		.map(([k, v]) => `-c ${k}=${v}`)
		.join(" ");
	const start = () => run("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-o", optionString, "-w", "-t", "120", "start"]).then(() => undefined);
	await start();
	let running = true;
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		port,
		async stop(mode) {
			await run("pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "60", "stop"]);
			running = false;
		},
		async start() {
			await start();
			running = true;
		},
		async destroy() {
			if (running) await run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "60", "stop"]).catch(() => undefined);
			running = false;
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
