/**
 * The image's HEALTHCHECK: asks this container's node for /health/live on its own port
 * (API_PORT where the api-gateway runs, HEALTH_PORT elsewhere) and exits 0 when it answers 200.
 *   node dist/bin/healthcheck.js
 */
import { loadConfig } from "../lib/config";

/** Longer than a busy event loop needs to answer, shorter than Docker's own timeout. */
const TIMEOUT_MS = 2500;

async function main(): Promise<number> {
	const config = loadConfig();
	const port = config.SERVICES.includes("api-gateway") ? config.API_PORT : config.HEALTH_PORT;
	if (!port) {
		process.stderr.write("No port to probe: this node runs no api-gateway and HEALTH_PORT is 0\n");
		return 1;
	}
	const host = ["0.0.0.0", "::", ""].includes(config.API_HOST) ? "127.0.0.1" : config.API_HOST;
	const res = await fetch(`http://${host.includes(":") ? `[${host}]` : host}:${port}/health/live`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
	if (res.status !== 200) process.stderr.write(`/health/live answered ${res.status}\n`);
	return res.status === 200 ? 0 : 1;
}

main().then(
	code => process.exit(code),
	(err: Error) => {
		process.stderr.write(`Health check failed: ${err.message}\n`);
		process.exit(1);
	}
);
