import { healthStatusCode, readinessAnswer, runHealthChecks, type Check } from "../../../lib/health";

const ok: Check = async () => undefined;
const down: Check = async () => {
	throw new Error("connection refused by 10.0.0.7");
};
const info = { version: "3.0.0", nodeID: "n1", mode: "cluster" as const };
const at = new Date("2026-12-07T00:00:00Z");

describe("health", () => {
	it("is ok when every configured dependency answers", async () => {
		const report = await runHealthChecks({ checks: { database: ok, nats: ok } }, info, undefined, at);
		expect(report).toEqual({
			status: "ok",
			version: "3.0.0",
			timestamp: at.toISOString(),
			node_id: "n1",
			mode: "cluster",
			database: "ok",
			redis: "not_configured",
			rabbitmq: "not_configured",
			nats: "ok",
			disk: "not_checked",
			degraded: []
		});
		expect(healthStatusCode(report)).toBe(200);
		expect(readinessAnswer(report)).toMatchObject({ status: 200, body: { status: "ready" } });
	});

	it("is degraded, and still ready, with Redis, RabbitMQ or the disk down", async () => {
		const heard: string[] = [];
		const report = await runHealthChecks({ checks: { database: ok, nats: ok, redis: down, rabbitmq: down }, disk: () => "low" }, info, d => heard.push(d), at);
		expect(report).toMatchObject({ status: "degraded", redis: "down", rabbitmq: "down", disk: "low", degraded: ["redis", "rabbitmq", "disk"] });
		expect(heard).toEqual(["redis", "rabbitmq"]);
		expect(readinessAnswer(report)).toMatchObject({ status: 200, body: { status: "ready", degraded: ["redis", "rabbitmq", "disk"] } });
	});

	it("is unhealthy, and not ready, with the database or NATS down", async () => {
		for (const checks of [{ database: down, nats: ok }, { database: ok, nats: down }]) {
			const report = await runHealthChecks({ checks: { ...checks, redis: down } }, info, undefined, at);
			expect(report.status).toBe("unhealthy");
			expect(report.degraded).toEqual(["redis"]);
			expect(readinessAnswer(report)).toMatchObject({ status: 503, body: { status: "not_ready" } });
		}
	});

	it("is starting until the node has started, whatever its dependencies say", async () => {
		const report = await runHealthChecks({ checks: { database: ok }, starting: true }, info, undefined, at);
		expect(report.status).toBe("starting");
		expect(healthStatusCode(report)).toBe(503);
	});
});
