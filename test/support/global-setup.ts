import { execFileSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { TEST_NATS_URL, TEST_POSTGRES_URL, TEST_RABBITMQ_URL, TEST_REDIS_URL, type ExternalService } from "./env";

function reachable(url: string, defaultPort: number): Promise<boolean> {
	const u = new URL(url);
	return new Promise(resolve => {
		const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
		socket.setTimeout(1500);
		socket.once("connect", () => {
			socket.destroy();
			resolve(true);
		});
		socket.once("error", () => resolve(false));
		socket.once("timeout", () => {
			socket.destroy();
			resolve(false);
		});
	});
}

export default async function globalSetup(): Promise<void> {
	const probes: [ExternalService, string, number][] = [
		["postgres", TEST_POSTGRES_URL, 5432],
		["redis", TEST_REDIS_URL, 6379],
		["rabbitmq", TEST_RABBITMQ_URL, 5672],
		["nats", TEST_NATS_URL, 4222]
	];
	const up: ExternalService[] = [];
	const down: string[] = [];
	for (const [name, url, port] of probes) {
		if (await reachable(url, port)) up.push(name);
		else down.push(`${name} (${new URL(url).host})`);
	}
	if (down.length && process.env.CI === "true") {
		throw new Error(`CI=true and these services are not reachable: ${down.join(", ")}. Tests that need them must not be skipped.`);
	}
	if (down.length) process.stderr.write(`\n[tests] not reachable, their tests are skipped: ${down.join(", ")}\n`);
	process.env.COS_TEST_AVAILABLE = up.join(",");

	// Tests that start real node processes run the compiled server; gateways serve the dashboard's bundle.
	const root = path.resolve(__dirname, "../..");
	// The client package (packages/client): its CLI runs as a process, its dist/ is what tests import.
	execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(root, "packages/client/tsconfig.json")], { stdio: "inherit" });
	execFileSync(process.execPath, [path.join(root, "packages/client/scripts/bundle-dsl.mjs")], { stdio: "inherit" });
	execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], {
		stdio: "inherit"
	});
	execFileSync(process.execPath, [path.join(root, "public/dashboard/build.mjs")], { stdio: "inherit" });
}
