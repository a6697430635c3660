import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import supertest from "supertest";
import { loadConfig, type Config, type ServiceName } from "../../lib/config";
import type { FreeSpace } from "../../lib/db/disk-guard";
import { createBroker } from "../../moleculer.config";
import { LogCapture } from "./logs";

export interface TestNode {
	broker: ServiceBroker;
	config: Config;
	url: string;
	http: ReturnType<typeof supertest>;
	logs: LogCapture;
	dataDir: string;
	stop(): Promise<void>;
}

export interface TestNodeOptions {
	env?: Record<string, string>;
	services?: ServiceName[];
	extraServices?: ServiceSchema[];
	/** Reuse a data directory (restart tests); a fresh temporary one otherwise. */
	dataDir?: string;
	/** How the data directory's free space is read (disk tests give low readings instead of filling a disk). */
	freeSpace?: FreeSpace;
}

/** Waits until the gateway has generated its route table (moleculer-web builds it asynchronously). */
export async function waitForRoutes(broker: ServiceBroker, timeoutMs = 10000): Promise<void> {
	const api = broker.getLocalService("api") as unknown as { routesReady?: boolean } | undefined;
	if (!api) return;
	const until = Date.now() + timeoutMs;
	while (!api.routesReady) {
		if (Date.now() > until) throw new Error("The gateway did not build its routes in time");
		await new Promise(r => setTimeout(r, 20));
	}
}

/** Waits until every broker sees `count` available nodes (cluster discovery has finished). */
export async function waitForNodes(brokers: ServiceBroker[], count: number, timeoutMs = 15000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!brokers.every(b => b.registry.getNodeList({ onlyAvailable: true, withServices: false }).length >= count)) {
		if (Date.now() > until) throw new Error(`The brokers did not discover ${count} nodes in time`);
		await new Promise(r => setTimeout(r, 20));
	}
}

let nodeSeq = 0;

/** Starts an in-process node on a free port with its own data directory and captured logs. */
export async function startTestNode(opts: TestNodeOptions = {}): Promise<TestNode> {
	const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), "cos-test-"));
	const config = loadConfig({
		API_PORT: "0",
		// Several brokers may share this process; node ids must differ.
		NODE_ID: `test-${process.pid}-${++nodeSeq}`,
		API_HOST: "127.0.0.1",
		DATA_DIR: dataDir,
		ENVIRONMENT: "test",
		OBSERVABILITY_LOG_LEVEL: "info",
		// Nodes without the gateway serve /metrics on a port of their own: any free one.
		OBSERVABILITY_METRICS_PORT: "0",
		SECURITY_BCRYPT_ROUNDS: "4",
		// Tests register many users from one address; test/security checks the real throttle.
		SECURITY_REGISTER_MAX_PER_IP: "100000",
		...opts.env
	});
	const logs = new LogCapture();
	const broker = createBroker(config, {
		services: opts.services,
		extraServices: opts.extraServices,
		logDestination: logs,
		skipProcessEventRegistration: true,
		freeSpace: opts.freeSpace
	});
	await broker.start();
	await waitForRoutes(broker);
	const api = broker.getLocalService("api") as unknown as { server?: import("node:http").Server } | undefined;
	const port = api?.server ? (api.server.address() as AddressInfo).port : 0;
	const url = `http://127.0.0.1:${port}`;
	return {
		broker,
		config,
		url,
		http: supertest(url),
		logs,
		dataDir,
		async stop() {
			await broker.stop();
			if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
