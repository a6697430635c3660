import { randomBytes } from "node:crypto";
import supertest from "supertest";
import { loadConfig } from "../../lib/config";
import { waitForRoute } from "../support/engine-harness";
import { EVENT_BUS_ENV, eventually, postWorkflow, waitFor } from "../support/event-bus-harness";
import { available, TEST_NATS_URL, TEST_RABBITMQ_URL } from "../support/env";
import { createUser, type TestUser } from "../support/factories";
import type { LogLine } from "../support/logs";
import { startNodeProcess, type NodeProcess } from "../support/node-process";
import { createTestDatabase } from "../support/postgres";
import { deleteTopology, topologyFor, uniqueExchange } from "../support/rabbitmq";

const ELECTED = (l: LogLine) => l.msg === "This node now relays the outbox (elected)";

const suite = available("postgres") && available("nats") && available("rabbitmq") ? describe : describe.skip;

/**
 * Two event-bus nodes beside a gateway/engine node, over NATS, PostgreSQL and RabbitMQ:
 * one of them relays the outbox (elected through a PostgreSQL advisory lock), both consume
 * the handler queues; when the relay dies mid-work the other takes over and nothing is
 * handled twice.
 */
suite("event bus (cluster: two event-bus nodes, PostgreSQL, NATS, RabbitMQ)", () => {
	let db: { url: string; drop(): Promise<void> };
	let env: Record<string, string>;
	let core: NodeProcess;
	let buses: NodeProcess[];
	let http: ReturnType<typeof supertest>;
	let user: TestUser;

	beforeAll(async () => {
		db = await createTestDatabase();
		env = {
			...EVENT_BUS_ENV,
			TRANSPORTER: TEST_NATS_URL,
			NAMESPACE: `bus-${randomBytes(4).toString("hex")}`,
			DATABASE_URL: db.url,
			RABBITMQ_URL: TEST_RABBITMQ_URL,
			RABBITMQ_EXCHANGE: uniqueExchange("cluster"),
			API_HOST: "127.0.0.1",
			API_PORT: "0"
		};
		core = await startNodeProcess({ ...env, SERVICES: "api-gateway,auth,workflow,llm,execution", NODE_ID: "core" });
		buses = await Promise.all([1, 2].map(i => startNodeProcess({ ...env, SERVICES: "event-bus,webhooks", NODE_ID: `bus-${i}` })));
		http = supertest(core.url!);
		await waitForRoute(http, "get", "/api/v3/usage");
		await waitForRoute(http, "get", "/api/v3/notifications");
		user = await createUser(http);
	}, 120_000);

	afterAll(async () => {
		await Promise.all([core, ...(buses ?? [])].filter(Boolean).map(n => n.kill()));
		if (env) await deleteTopology(TEST_RABBITMQ_URL, topologyFor(loadConfig(env)));
		await db?.drop();
	}, 60_000);

	it("relays on one elected node, fails over when it dies, and handles every event exactly once", async () => {
		const leader = await Promise.any(buses.map(b => b.waitForLog(ELECTED).then(() => b)));
		const follower = buses.find(b => b !== leader)!;
		await postWorkflow(http, user, { workflow_id: "clustered", version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }, { id: "b", type: "transform", params: { expression: "2" }, depends_on: ["a"] }] });
		const run = async (n: number) => {
			for (let i = 0; i < n; i += 10) {
				await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "clustered", workflow_version: "1.0.0" }).expect(202)));
			}
		};
		const usage = () => eventually(async () => (await http.get("/api/v3/usage").set(user.auth)).body, u => u.totals !== undefined, "the usage API");

		await run(50);
		await eventually(usage, u => u.totals.executions.completed === 50, "the first 50 runs to be accounted", 60_000);
		expect(follower.lines.some(ELECTED)).toBe(false);

		// The relay dies (SIGKILL, mid-work: more runs are starting); its lock goes with its connection.
		const more = run(50);
		await leader.kill();
		await follower.waitForLog(ELECTED, 30_000);
		await more;

		const totals = await eventually(usage, u => u.totals.executions.completed === 100, "all 100 runs to be accounted", 60_000);
		expect(totals.totals.executions.started).toBe(100);
		const notifications = await eventually(
			async () => (await http.get("/api/v3/notifications").query({ page_size: 100 }).set(user.auth)).body,
			b => b.total >= 100,
			"a notification per run",
			60_000
		);
		expect(notifications.total).toBe(100);
		expect(new Set(notifications.notifications.map((n: { execution_id: string }) => n.execution_id)).size).toBe(100);
		const stats = (await http.get("/api/v3/workflows/clustered/1.0.0/statistics").set(user.auth).expect(200)).body;
		expect(stats.steps.map((s: { completed: number }) => s.completed)).toEqual([100, 100]);
		await waitFor(async () => (await http.get("/health").expect(200)).body.database === "ok", "the cluster to be healthy");
	}, 300_000);
});
