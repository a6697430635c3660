/**
 * Starts a CognitionOS node: embedded (every service, SQLite, no transporter) by
 * default, or the services named by SERVICES joined to a NATS cluster.
 *   node dist/bin/cognitionos.js [--repl]
 */
import type { ServiceBroker } from "moleculer";
import { ConfigError, loadConfig, type Config } from "../lib/config";
import { startTracingFor, stopTracing } from "../lib/observability/tracing";
import type { Check } from "../lib/health";
import type { ProbeAnswer, ProbeServer } from "../lib/probe-server";
import type { Runtime } from "../lib/runtime";

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

/**
 * Readiness of a node without the gateway: not draining, started, connected to NATS, its
 * database (if it uses one) answering. Redis and RabbitMQ never make a node unready.
 */
async function readiness(broker: ServiceBroker, runtime: Runtime): Promise<ProbeAnswer> {
	if (runtime.isClosing) return { status: 503, body: { status: "draining" } };
	const { config } = runtime;
	const { connectionCheck, readinessAnswer, runHealthChecks } = require("../lib/health") as typeof import("../lib/health");
	const checks: Partial<Record<"database" | "nats", Check>> = {};
	const database = runtime.openedDatabase;
	if (database) checks.database = () => database.ping();
	if (runtime.transport) checks.nats = connectionCheck(runtime.transport);
	const report = await runHealthChecks(
		{ checks, disk: () => runtime.disk?.status ?? "not_checked", starting: !broker.started },
		{ version: config.version, nodeID: broker.nodeID, mode: config.mode },
		(dependency, err) => broker.logger.warn({ dependency, err }, "Health check failed")
	);
	// Draining may have begun while the checks ran (the broker then stops): say so, not "not_ready".
	if (runtime.isClosing) return { status: 503, body: { status: "draining" } };
	return readinessAnswer(report);
}

async function main(): Promise<void> {
	const config = readConfig();
	// Before the modules it instruments (http, ioredis) are loaded below.
	startTracingFor(config);
	const { createBroker } = require("../moleculer.config") as typeof import("../moleculer.config");
	const { runtimeOf } = require("../lib/runtime") as typeof import("../lib/runtime");
	const broker = createBroker(config, { skipProcessEventRegistration: true });
	const runtime = runtimeOf(broker);
	let probes: ProbeServer | undefined;

	let stopping = false;
	const shutdown = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		broker.logger.info(`${signal} received: draining and stopping`);
		runtime.beginShutdown();
		try {
			await broker.stop();
			// Probes answer until the drain is over: readiness says "draining", liveness stays up.
			await probes?.close();
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
		if (!config.SERVICES.includes("api-gateway") && config.HEALTH_PORT > 0) {
			const host = config.API_HOST;
			const { startProbeServer } = require("../lib/probe-server") as typeof import("../lib/probe-server");
			probes = await startProbeServer(host, config.HEALTH_PORT, () => readiness(broker, runtime));
			broker.logger.info({ host, port: probes.port }, `Probes listening on port ${probes.port}`);
		}
	} catch (err) {
		broker.logger.fatal("CognitionOS failed to start", err);
		await broker.stop().catch(() => undefined);
		runtime.logger.flush();
		process.exit(1);
	}
	broker.logger.info(`CognitionOS ${config.version} started (${config.mode}, services: ${config.SERVICES.join(", ")})`);
	const gateway = broker.getLocalService("api") as unknown as { server?: import("node:http").Server } | undefined;
	const address = gateway?.server?.address();
	if (address && typeof address === "object") {
		const { welcomeLine } = require("../lib/welcome") as typeof import("../lib/welcome");
		broker.logger.info(welcomeLine({ host: config.API_HOST, port: address.port, adminEmail: config.SECURITY_ADMIN_EMAIL }));
	}
	if (process.argv.includes("--repl")) await broker.repl();
}

void main();
