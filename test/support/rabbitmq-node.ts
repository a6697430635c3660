import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const SBIN = ["/usr/lib/rabbitmq/bin", "/usr/sbin", "/usr/local/sbin"];

function binary(name: string): string | null {
	for (const dir of SBIN) if (existsSync(path.join(dir, name))) return path.join(dir, name);
	return null;
}

/**
 * Whether this machine can run a RabbitMQ node of its own (the fault test needs one). Without
 * the binaries the test is skipped with a note, except with CI=true, where their absence is a failure.
 */
export function canRunPrivateRabbit(): boolean {
	const found = binary("rabbitmq-server") !== null && binary("rabbitmqctl") !== null;
	const wanted = `rabbitmq-server and rabbitmqctl (looked in ${SBIN.join(", ")}; apt-get install rabbitmq-server)`;
	if (!found && process.env.CI === "true") throw new Error(`CI=true and the RabbitMQ fault test cannot run a private node: it needs ${wanted}`);
	if (!found) process.stderr.write(`\n[tests] the RabbitMQ fault test is skipped: it needs ${wanted}\n`);
	return found;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.listen(0, "127.0.0.1", () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
		srv.on("error", reject);
	});
}

/**
 * A RabbitMQ node of this test's own (its own name, ports, data and cookie under a
 * temporary directory), so that stopping it never disturbs the machine's shared broker
 * or anyone else's tests. `stopApp`/`startApp` are `rabbitmqctl stop_app`/`start_app`.
 */
export interface PrivateRabbit {
	url: string;
	nodeName: string;
	stopApp(): Promise<void>;
	startApp(): Promise<void>;
	shutdown(): Promise<void>;
}

export async function startPrivateRabbit(timeoutMs = 60_000): Promise<PrivateRabbit> {
	const server = binary("rabbitmq-server");
	const ctl = binary("rabbitmqctl");
	if (!server || !ctl) throw new Error("rabbitmq-server is not installed");
	const dir = mkdtempSync(path.join(tmpdir(), "cos-rabbit-"));
	const nodeName = `cos-test-${randomBytes(4).toString("hex")}@localhost`;
	const port = await freePort();
	const distPort = await freePort();
	writeFileSync(path.join(dir, "rabbitmq.conf"), `listeners.tcp.default = 127.0.0.1:${port}\nloopback_users.guest = false\n`);
	writeFileSync(path.join(dir, "enabled_plugins"), "[].\n");
	writeFileSync(path.join(dir, "rabbitmq-env.conf"), "");
	writeFileSync(path.join(dir, ".erlang.cookie"), randomBytes(16).toString("hex"));
	chmodSync(path.join(dir, ".erlang.cookie"), 0o400);
	const env = {
		PATH: process.env.PATH ?? "/usr/bin:/bin",
		// The cookie lives in HOME: only this test's rabbitmqctl can talk to the node.
		HOME: dir,
		RABBITMQ_NODENAME: nodeName,
		RABBITMQ_NODE_PORT: String(port),
		RABBITMQ_DIST_PORT: String(distPort),
		RABBITMQ_CONF_ENV_FILE: path.join(dir, "rabbitmq-env.conf"),
		RABBITMQ_CONFIG_FILE: path.join(dir, "rabbitmq"),
		RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, "advanced.config"),
		RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, "enabled_plugins"),
		RABBITMQ_MNESIA_BASE: path.join(dir, "mnesia"),
		RABBITMQ_LOG_BASE: path.join(dir, "log"),
		RABBITMQ_PID_FILE: path.join(dir, "node.pid"),
		ERL_EPMD_ADDRESS: "127.0.0.1"
	};
	const log = openSync(path.join(dir, "server.log"), "a");
	const proc: ChildProcess = spawn(server, [], { env, stdio: ["ignore", log, log] });
	closeSync(log);
	const rabbitmqctl = (...args: string[]) =>
		new Promise<void>((resolve, reject) =>
			execFile(ctl, ["-n", nodeName, ...args], { env, timeout: 60_000 }, (err, _out, stderr) => (err ? reject(new Error(`rabbitmqctl ${args.join(" ")}: ${stderr || err.message}`)) : resolve()))
		);
	let exited = false;
	proc.once("exit", () => (exited = true));
	const until = Date.now() + timeoutMs;
	for (;;) {
		if (exited) throw new Error(`The private RabbitMQ node exited while starting (see ${dir}/server.log)`);
		try {
			await rabbitmqctl("await_startup", "--timeout", "5");
			break;
		} catch (err) {
			if (Date.now() > until) {
				proc.kill("SIGKILL");
				throw new Error(`The private RabbitMQ node did not start within ${timeoutMs} ms: ${(err as Error).message}`);
			}
			await new Promise(r => setTimeout(r, 500));
		}
	}
	return {
		url: `amqp://guest:guest@127.0.0.1:${port}`,
		nodeName,
		stopApp: () => rabbitmqctl("stop_app"),
		async startApp() {
			await rabbitmqctl("start_app");
			await rabbitmqctl("await_startup");
		},
		async shutdown() {
			const gone = exited ? Promise.resolve() : new Promise(r => proc.once("exit", r));
			await rabbitmqctl("shutdown").catch(() => {
				// The wrapper script stops the node properly on SIGTERM.
				if (!exited) proc.kill("SIGTERM");
			});
			let timer: NodeJS.Timeout | undefined;
			const late = await Promise.race([gone.then(() => false), new Promise(r => (timer = setTimeout(() => r(true), 20_000)))]);
			clearTimeout(timer);
			if (late) {
				// Still there: kill the Erlang VM itself (this node's pid, from its own pid file).
				const pid = Number(readFileSync(path.join(dir, "node.pid"), "utf8").trim());
				if (pid > 0) process.kill(pid, "SIGKILL");
				proc.kill("SIGKILL");
			}
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
