import type Redis from "ioredis";
import { RETRY_AFTER_SECONDS } from "../../lib/errors";
import { runtimeOf } from "../../lib/runtime";
import { startTestNode, type TestNode } from "../support/broker";
import { createUser, type TestUser } from "../support/factories";
import { freePort } from "../support/ports";
import { workflowDefinition } from "../support/workflows";

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 20000): Promise<void> {
	for (const end = Date.now() + timeoutMs; !(await condition()); ) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 50));
	}
}

describe("a node whose Redis is down", () => {
	let node: TestNode;
	let attempts = 0;

	beforeAll(async () => {
		// Nothing listens there: Redis is down from the start and stays down.
		node = await startTestNode({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
		runtimeOf(node.broker)
			.redis()!
			.on("reconnecting", () => attempts++);
	});
	afterAll(() => node?.stop());

	it("answers sign-ins 503 naming Redis, with Retry-After, instead of 500", async () => {
		const res = await node.http.post("/api/v3/auth/login").send({ email: "someone@example.com", password: "whatever-it-is" });
		expect(res.status).toBe(503);
		expect(res.headers["retry-after"]).toBe(String(RETRY_AFTER_SECONDS));
		expect(res.body).toMatchObject({ error: "service_unavailable", detail: { service: "redis" } });
	});

	it("reports Redis down as degraded and stays ready", async () => {
		const health = await node.http.get("/health").expect(200);
		expect(health.body).toMatchObject({ status: "degraded", redis: "down", database: "ok", degraded: ["redis"] });
		await node.http.get("/health/ready").expect(200);
	});

	it("logs the outage once, not once per reconnect attempt", async () => {
		const cache = (node.broker.cacher as unknown as { client: Redis }).client;
		let cacheAttempts = 0;
		cache.on("reconnecting", () => cacheAttempts++);
		await until(() => attempts >= 5 && cacheAttempts >= 5, "five reconnect attempts of each Redis client");
		const outage = node.logs.lines.filter(l => typeof l.msg === "string" && /Redis/.test(l.msg) && l.level !== "info");
		expect(outage.map(l => [l.level, l.msg])).toEqual(
			expect.arrayContaining([
				["warn", "Cannot connect to Redis; retrying"],
				["warn", "Cannot connect to Redis (cache); retrying"]
			])
		);
		expect(outage).toHaveLength(2);
		expect(node.logs.lines.filter(l => l.level === "error" && !l.msg)).toEqual([]);
	});
});

describe("an embedded node whose disk is nearly full", () => {
	const GB = 1024 ** 3;
	let free = 10 * GB;
	let node: TestNode;
	let user: TestUser;
	const definition = workflowDefinition("disk");
	const health = async () => (await node.http.get("/health")).body as { status: string; disk: string; degraded: string[] };

	beforeAll(async () => {
		// The free space is read through a seam: filling a real disk needs a volume of its own (see bench/README.md, chaos).
		node = await startTestNode({ freeSpace: async () => free, env: { DATA_DIR_MIN_FREE: "64mb" } });
		user = await createUser(node.http);
		await node.http.post("/api/v3/workflows").set(user.auth).send(definition).expect(201);
	});
	afterAll(() => node?.stop());

	it("refuses new runs and workflow versions with 507 while space is low, says so in /health, and takes work again once space returns", async () => {
		const run = { workflow_id: definition.workflow_id, workflow_version: "1.0.0" };
		free = 10 * 1024 ** 2;
		await until(async () => (await health()).disk === "low", "the disk guard to read the low space");
		expect(await health()).toMatchObject({ status: "degraded", disk: "low", degraded: ["disk"] });
		await node.http.get("/health/ready").expect(200);

		const refused = await node.http.post("/api/v3/workflows/execute").set(user.auth).send(run);
		expect(refused.status).toBe(507);
		expect(refused.body.error).toBe("insufficient_storage");
		expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
		const version = await node.http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({ ...definition, version: "1.0.1" });
		expect(version.status).toBe(507);
		expect(node.logs.lines.some(l => String(l.msg).startsWith("The data directory is nearly full"))).toBe(true);

		free = 10 * GB;
		await until(async () => (await health()).disk === "ok", "the disk guard to read the space back");
		await node.http.post("/api/v3/workflows/execute").set(user.auth).send(run).expect(202);
	});
});
