import { execFile } from "node:child_process";
import path from "node:path";
import { startProbeServer } from "../../lib/probe-server";
import { startTestNode, type TestNode } from "../support/broker";
import { freePort } from "../support/ports";

const SCRIPT = path.resolve(__dirname, "../../dist/bin/healthcheck.js");

/** Runs the image's HEALTHCHECK command with `env`; resolves with its exit code and stderr. */
function healthcheck(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
	return new Promise(resolve => {
		execFile(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? "", ENV_FILE: "/dev/null", API_HOST: "127.0.0.1", ...env } }, (err, _stdout, stderr) =>
			resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr })
		);
	});
}

describe("the image's health check (dist/bin/healthcheck.js)", () => {
	let node: TestNode;

	beforeAll(async () => {
		node = await startTestNode();
	});
	afterAll(() => node?.stop());

	it("passes on a node with the gateway, asking its API port", async () => {
		expect(await healthcheck({ API_PORT: new URL(node.url).port })).toEqual({ code: 0, stderr: "" });
	});

	it("asks HEALTH_PORT on a node without the gateway", async () => {
		const probes = await startProbeServer("127.0.0.1", 0, async () => ({ status: 200, body: {} }));
		try {
			expect(await healthcheck({ SERVICES: "auth", HEALTH_PORT: String(probes.port) })).toEqual({ code: 0, stderr: "" });
		} finally {
			await probes.close();
		}
	});

	it("fails when nothing answers, or when there is no port to ask", async () => {
		const down = await healthcheck({ API_PORT: String(await freePort()) });
		expect(down.code).toBe(1);
		expect(down.stderr).toMatch(/Health check failed/);
		const noPort = await healthcheck({ SERVICES: "auth", HEALTH_PORT: "0" });
		expect(noPort).toEqual({ code: 1, stderr: "No port to probe: this node runs no api-gateway and HEALTH_PORT is 0\n" });
	});
});
