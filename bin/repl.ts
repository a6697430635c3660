/**
 * The operator REPL: `npm run repl`. With TRANSPORTER set it joins the cluster as a node
 * that runs no services; otherwise it starts CognitionOS embedded in this process (stop
 * `npm start` first: they would share the data directory and the port). Moleculer's REPL
 * commands are there, plus the operator commands of lib/operator, which act as the user
 * named by REPL_OPERATOR_EMAIL (else SECURITY_ADMIN_EMAIL) with that user's roles.
 * Commands run one after another, so a script can be piped in:
 *   printf 'executions --status failed\nretry <id>\n' | npm run repl
 * Logs go to stderr; command output to stdout.
 */
import { createServer } from "node:net";
import { hostname } from "node:os";
import type { REPLServer } from "node:repl";
import type { ServiceBroker } from "moleculer";
import pino from "pino";
import { refusal, ROLES, type AuthRequirement, type Principal } from "../lib/auth/principal";
import { ConfigError, environmentWithDotEnv, loadConfig, type Config } from "../lib/config";
import { forbidden } from "../lib/errors";
import { OPERATOR_COMMANDS, type ClusterNode, type CommandArgs, type OperatorApi } from "../lib/operator/commands";
import { createBroker } from "../moleculer.config";

/** How long the REPL waits for the auth service to appear in the cluster. */
const DISCOVERY_TIMEOUT_MS = 20_000;

function fail(message: string, code = 1): never {
	process.stderr.write(`${message}\n`);
	process.exit(code);
}

function readConfig(): Config {
	const env = environmentWithDotEnv();
	try {
		// The REPL is a node of its own: never the id of the server whose settings it shares.
		return loadConfig({ ...env, NODE_ID: `repl-${hostname()}-${process.pid}` });
	} catch (err) {
		if (err instanceof ConfigError) fail(`${err.message}\nThe REPL did not start. See .env.example for every setting.`, 78);
		throw err;
	}
}

/** The user the commands act as, looked up through the auth service. */
async function resolveOperator(broker: ServiceBroker, config: Config): Promise<Principal> {
	const email = config.REPL_OPERATOR_EMAIL || config.SECURITY_ADMIN_EMAIL;
	if (!email) fail("Set REPL_OPERATOR_EMAIL (or SECURITY_ADMIN_EMAIL) to the user the REPL acts as", 78);
	await broker.waitForServices(["auth"], DISCOVERY_TIMEOUT_MS).catch(() => fail("No auth service answered in the cluster: is TRANSPORTER (and NAMESPACE) the cluster's?"));
	const user = (await broker.call("auth.principalByEmail", { email })) as { id: string; email: string; roles: string[]; is_active: boolean } | null;
	if (!user) fail(`No user ${email} exists (REPL_OPERATOR_EMAIL)`, 78);
	if (!user.is_active) fail(`The user ${email} is deactivated`, 78);
	return { id: user.id, email: user.email, roles: user.roles.filter(r => (ROLES as readonly string[]).includes(r)) as Principal["roles"], via: "operator", scopes: null };
}

function operatorApi(broker: ServiceBroker, operator: Principal): OperatorApi {
	return {
		operator,
		async call<T>(action: string, params: Record<string, unknown> = {}, nodeID?: string) {
			const endpoints = broker.registry.getActionEndpoints(action);
			const endpoint = endpoints?.endpoints.find(e => e.isAvailable);
			if (!endpoint) throw new Error(`No node offers ${action} now (its service is not running)`);
			// The gateway's rule: an action that declares nothing is for admins only.
			const requirement = ((endpoint.action as { auth?: AuthRequirement }).auth ?? "admin") as AuthRequirement;
			const why = refusal(operator, requirement);
			if (why) throw forbidden(why);
			return (await broker.call(action, params, { meta: { user: operator }, nodeID })) as T;
		},
		actionsOf(service: string) {
			const seen = new Map<string, { name: string; rest?: unknown }>();
			for (const node of broker.registry.getNodeList({ onlyAvailable: true, withServices: true }) as unknown as { services: { name: string; actions: Record<string, { name: string; rest?: unknown }> }[] }[]) {
				for (const svc of node.services ?? []) {
					if (svc.name !== service) continue;
					for (const a of Object.values(svc.actions ?? {})) seen.set(a.name, { name: a.name, rest: a.rest });
				}
			}
			return [...seen.values()];
		},
		nodes(): ClusterNode[] {
			return (broker.registry.getNodeList({ onlyAvailable: false, withServices: true }) as unknown as { id: string; available: boolean; local: boolean; hostname?: string; cpu: number | null; services?: { name: string }[] }[]).map(n => ({
				id: n.id,
				available: n.available,
				local: n.local,
				hostname: n.hostname,
				cpu: typeof n.cpu === "number" ? n.cpu : null,
				services: [...new Set((n.services ?? []).map(s => s.name).filter(name => !name.startsWith("$")))]
			}));
		}
	};
}

/** An action's error as one line: status and type when it has them, and each field problem. */
function describeError(err: unknown): string {
	const e = err as { message?: string; code?: number; type?: string; data?: unknown };
	const status = typeof e.code === "number" && e.code > 0 ? ` (${[e.code, e.type].filter(Boolean).join(" ")})` : "";
	const problems = Array.isArray(e.data) ? (e.data as { path?: string; message?: string }[]).map(d => ` ${d.path ?? ""}: ${d.message ?? ""}`).join(";") : "";
	return `error${status}: ${e.message ?? String(err)}${problems}`;
}

/** The operator commands as Moleculer REPL commands, run one at a time in the order typed (or piped). */
function replCommands(api: OperatorApi, out: (text: string) => void) {
	let queue: Promise<void> = Promise.resolve();
	const commands = OPERATOR_COMMANDS.map(cmd => ({
		command: cmd.command,
		description: cmd.description,
		options: cmd.options,
		action: (_broker: unknown, args: CommandArgs) => {
			queue = queue.then(async () => {
				try {
					out(await cmd.run(api, { ...args, options: { ...(args?.options ?? {}) } }));
				} catch (err) {
					out(describeError(err));
				}
			});
			return queue;
		}
	}));
	return { commands, idle: () => queue };
}

/** Embedded, the REPL serves the API itself: a port already taken (by `npm start`) is said before anything boots. */
function portFree(host: string, port: number): Promise<boolean> {
	return new Promise(resolve => {
		const probe = createServer();
		probe.once("error", () => resolve(false));
		probe.listen(port, host, () => probe.close(() => resolve(true)));
	});
}

async function main(): Promise<void> {
	const config = readConfig();
	if (!config.REPL_OPERATOR_EMAIL && !config.SECURITY_ADMIN_EMAIL)
		fail("Set REPL_OPERATOR_EMAIL (or SECURITY_ADMIN_EMAIL) to the email of the user the REPL acts as, e.g. REPL_OPERATOR_EMAIL=you@example.com npm run repl", 78);
	if (config.mode === "embedded" && config.API_PORT > 0 && !(await portFree(config.API_HOST, config.API_PORT)))
		fail(
			`Port ${config.API_PORT} (API_PORT) is in use: is \`npm start\` running? The REPL starts CognitionOS embedded in its own process: stop the server first, or set TRANSPORTER to join a running cluster instead.`,
			75
		);
	const broker = createBroker(config, {
		services: config.mode === "cluster" ? [] : undefined,
		logDestination: pino.destination({ fd: 2, sync: true }),
		skipProcessEventRegistration: true
	});
	let idle = () => Promise.resolve();
	const stop = async () => {
		await idle();
		await broker.stop().catch(() => undefined);
		process.exit(0);
	};
	process.on("SIGTERM", () => void stop());

	try {
		await broker.start();
	} catch (err) {
		fail(`CognitionOS did not start: ${(err as Error).message}`);
	}
	const api = operatorApi(broker, await resolveOperator(broker, config));
	const repl = replCommands(api, text => process.stdout.write(`${text}\n`));
	idle = repl.idle;
	(broker.options as { replOptions?: unknown }).replOptions = { delimiter: "cognitionos $", customCommands: repl.commands };
	const where = config.mode === "cluster" ? `the cluster (${config.TRANSPORTER}${config.NAMESPACE ? `, namespace ${config.NAMESPACE}` : ""})` : "an embedded node";
	process.stderr.write(`Operator REPL on ${where}, acting as ${api.operator.email} (${api.operator.roles.join(", ")}). Type help for the commands.\n`);

	const server = broker.repl() as unknown as REPLServer;
	// Moleculer's REPL stops at once when input ends; finish the commands still queued first.
	server.removeAllListeners("exit");
	server.on("exit", () => void stop());
}

void main();
