/**
 * Starts a CognitionOS node: embedded (every service, SQLite, no transporter) by
 * default, or the services named by SERVICES joined to a NATS cluster.
 *   node dist/bin/cognitionos.js [--repl]
 */
import { ConfigError, loadConfig, type Config } from "../lib/config";
import { startTracingFor, stopTracing } from "../lib/observability/tracing";

function readConfig(): Config {
	try {
		return loadConfig();
	} catch (err) {
		if (err instanceof ConfigError) {
			process.stderr.write(`${err.message}\nCognitionOS did not start. See .env.example for every setting.\n`);
			process.exit(78); // EX_CONFIG
		}
		throw err;
	}
}

async function main(): Promise<void> {
	const config = readConfig();
	// Before the modules it instruments (http, ioredis) are loaded below.
	startTracingFor(config);
	const { createBroker } = require("../moleculer.config") as typeof import("../moleculer.config");
	const { runtimeOf } = require("../lib/runtime") as typeof import("../lib/runtime");
	const broker = createBroker(config, { skipProcessEventRegistration: true });
	const runtime = runtimeOf(broker);

	let stopping = false;
	const shutdown = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		broker.logger.info(`${signal} received: draining and stopping`);
		runtime.beginShutdown();
		try {
			await broker.stop();
			await stopTracing();
		} finally {
			runtime.logger.flush();
			process.exit(0);
		}
	};
	process.on("SIGTERM", () => void shutdown("SIGTERM"));
	process.on("SIGINT", () => void shutdown("SIGINT"));

	try {
		await broker.start();
	} catch (err) {
		broker.logger.fatal("CognitionOS failed to start", err);
		await broker.stop().catch(() => undefined);
		runtime.logger.flush();
		process.exit(1);
	}
	broker.logger.info(`CognitionOS ${config.version} started (${config.mode}, services: ${config.SERVICES.join(", ")})`);
	if (process.argv.includes("--repl")) await broker.repl();
}

void main();
