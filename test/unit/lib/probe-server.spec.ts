import { startProbeServer, type ProbeServer } from "../../../lib/probe-server";

describe("probe server", () => {
	let server: ProbeServer;
	let answer = { status: 200, body: { status: "ready" } as Record<string, unknown> };
	let failing = false;
	const url = (p: string) => `http://127.0.0.1:${server.port}${p}`;

	beforeAll(async () => {
		server = await startProbeServer("127.0.0.1", 0, async () => {
			if (failing) throw new Error("database did not answer");
			return answer;
		});
	});
	afterAll(() => server.close());

	it("answers liveness whatever readiness says", async () => {
		answer = { status: 503, body: { status: "draining" } };
		const res = await fetch(url("/health/live"));
		expect([res.status, await res.json()]).toEqual([200, { status: "ok" }]);
	});

	it("answers readiness with what the node reports", async () => {
		answer = { status: 200, body: { status: "ready", database: "ok" } };
		let res = await fetch(url("/health/ready"));
		expect([res.status, await res.json()]).toEqual([200, { status: "ready", database: "ok" }]);
		answer = { status: 503, body: { status: "draining" } };
		res = await fetch(url("/health/ready?verbose=1"));
		expect([res.status, await res.json()]).toEqual([503, { status: "draining" }]);
	});

	it("is not ready when the readiness check itself fails", async () => {
		failing = true;
		const res = await fetch(url("/health/ready"));
		failing = false;
		expect([res.status, await res.json()]).toEqual([503, { status: "not_ready", error: "database did not answer" }]);
	});

	it("serves nothing else", async () => {
		expect((await fetch(url("/metrics"))).status).toBe(404);
		expect((await fetch(url("/health/live"), { method: "POST" })).status).toBe(405);
	});

	it("refuses a port already taken", async () => {
		await expect(startProbeServer("127.0.0.1", server.port, async () => answer)).rejects.toThrow(/EADDRINUSE/);
	});
});
