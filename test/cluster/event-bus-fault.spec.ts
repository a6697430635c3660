import amqp from "amqplib";
import { startTestNode, type TestNode } from "../support/broker";
import { EVENT_BUS_ENV, eventually, postWorkflow, waitFor } from "../support/event-bus-harness";
import { available } from "../support/env";
import { createUser, loginAdmin, type TestUser } from "../support/factories";
import { createTestDatabase } from "../support/postgres";
import { uniqueExchange } from "../support/rabbitmq";
import { canRunPrivateRabbit, startPrivateRabbit, type PrivateRabbit } from "../support/rabbitmq-node";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";
import { WEBHOOK_HEADERS } from "../../lib/webhooks/signature";
import { runtimeOf } from "../../lib/runtime";
import type { Database } from "../../lib/db/database";

const RUNS = 500;
/** Runs started when RabbitMQ is stopped; more start while it stops, and all finish while it is down. */
const STARTED_BEFORE_OUTAGE = 100;
/**
 * The last runs start only once the bus has seen RabbitMQ go: their events cannot have been
 * published, whatever the machine's load (`rabbitmqctl stop_app` can take longer than all
 * the other runs together).
 */
const STARTED_DURING_OUTAGE = 200;
const STEPS = ["fetch", "transform", "report"];
/** Events of one run: started, three steps started and completed, completed. */
const EVENTS_PER_RUN = 2 + 2 * STEPS.length;

/**
 * RabbitMQ goes away (`rabbitmqctl stop_app`) while 500 runs execute, and comes back.
 * The broker is a node of this test's own: the machine's shared RabbitMQ is never stopped.
 */
const suite = available("postgres") && canRunPrivateRabbit() ? describe : describe.skip;

suite("event bus: RabbitMQ stopped while 500 runs execute, then started", () => {
	let rabbit: PrivateRabbit;
	let pg: { url: string; drop(): Promise<void> };
	let node: TestNode;
	let db: Database;
	let receiver: WebhookReceiver;
	let user: TestUser;
	let exchange: string;

	beforeAll(async () => {
		[rabbit, pg, receiver] = await Promise.all([startPrivateRabbit(), createTestDatabase(), startWebhookReceiver()]);
		exchange = uniqueExchange("fault");
		node = await startTestNode({
			env: { ...EVENT_BUS_ENV, DATABASE_URL: pg.url, RABBITMQ_URL: rabbit.url, RABBITMQ_EXCHANGE: exchange, RABBITMQ_HEARTBEAT: "2s", ENGINE_WORKER_CONCURRENCY: "64", DB_POOL_MAX: "20" }
		});
		db = await runtimeOf(node.broker).database();
		user = await createUser(node.http);
	}, 120_000);

	afterAll(async () => {
		await node?.stop();
		await Promise.all([rabbit?.shutdown(), receiver?.close()]);
		await pg?.drop();
	}, 120_000);

	it("delivers every event of every run to every handler exactly once in effect, losing none", async () => {
		const admin = await loginAdmin(node.http);
		const status = () => node.http.get("/api/v3/events/status").set(admin.auth);
		await waitFor(async () => (await status()).body.connected === true, "the bus to connect to the private RabbitMQ");

		// A queue of the test's own sees everything the relay publishes: proof that every event reached the exchange.
		const probe = await amqp.connect(rabbit.url);
		const probeChannel = await probe.createChannel();
		await probeChannel.assertQueue(`${exchange}.probe`, { durable: true });
		await probeChannel.bindQueue(`${exchange}.probe`, exchange, "#");
		await probe.close();

		const wf = "fault-tolerant";
		await postWorkflow(node.http, user, {
			workflow_id: wf,
			version: "1.0.0",
			inputs: [{ name: "n", type: "integer", required: true }],
			steps: [
				{ id: "fetch", type: "transform", params: { expression: "inputs.n * 2" } },
				{ id: "transform", type: "transform", params: { expression: "steps.fetch.output + 1" }, depends_on: ["fetch"] },
				{ id: "report", type: "transform", params: { expression: "{ 'n': inputs.n, 'result': steps.transform.output }" }, depends_on: ["transform"] }
			]
		});
		const hook = (await node.http.post("/api/v3/webhooks").set(user.auth).send({ workflow_id: wf, url: `${receiver.url}/hooks/fault`, events: ["WorkflowExecutionCompleted"] }).expect(201)).body;
		receiver.setSecret("/hooks/fault", hook.secret);

		const runs: string[] = [];
		const start = async (n: number) => {
			const res = await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: wf, workflow_version: "1.0.0", inputs: { n } });
			if (res.status !== 202) throw new Error(`run ${n}: ${res.status} ${JSON.stringify(res.body)}`);
			runs.push(res.body.execution_id);
		};
		const startMany = async (from: number, to: number) => {
			for (let i = from; i < to; i += 25) await Promise.all(Array.from({ length: Math.min(25, to - i) }, (_, k) => start(i + k)));
		};

		// The outage begins in the middle of things: runs keep starting and executing, the relay is mid-batch, handlers mid-message.
		let outageNoticed!: () => void;
		const noticed = new Promise<void>(resolve => (outageNoticed = resolve));
		const starting = (async () => {
			await startMany(0, RUNS - STARTED_DURING_OUTAGE);
			await noticed;
			await startMany(RUNS - STARTED_DURING_OUTAGE, RUNS);
		})();
		await waitFor(() => runs.length >= STARTED_BEFORE_OUTAGE, "the first runs to start");
		await rabbit.stopApp();
		await waitFor(async () => (await status()).body.connected === false, "the bus to notice the outage");
		outageNoticed();
		await starting;
		const completed = () => db.sql.all<{ n: unknown }>("SELECT COUNT(*) AS n FROM executions WHERE workflow_id = $1 AND status = 'completed'", [wf]);
		await waitFor(async () => Number((await completed())[0].n) === RUNS, "all runs to complete without RabbitMQ", 180_000);
		const during = (await status()).body;
		expect(during).toMatchObject({ transport: "amqp", connected: false });
		// Nothing was dropped: the events wait in the outbox.
		expect(during.outbox.pending).toBeGreaterThan(0);
		await waitFor(async () => (await node.http.get("/health")).body.rabbitmq === "down", "the health check to report RabbitMQ down");

		process.stdout.write(`[fault] ${during.outbox.pending} events waited in the outbox when RabbitMQ came back\n`);
		await rabbit.startApp();
		await waitFor(async () => (await status()).body.connected === true, "the bus to reconnect", 60_000);
		await waitFor(async () => (await status()).body.outbox.pending === 0, "the outbox to drain", 120_000);

		const count = async (sql: string, bind: unknown[] = []) => Number((await db.sql.all<{ n: unknown }>(sql, bind))[0].n);
		const runEvents = (types: string) => `SELECT o.event_id FROM outbox o JOIN executions e ON e.id = o.aggregate_id WHERE e.workflow_id = '${wf}' AND o.event_type IN (${types})`;
		expect(await count(`SELECT COUNT(*) AS n FROM (${runEvents("'WorkflowExecutionStarted', 'StepExecutionStarted', 'StepExecutionCompleted', 'WorkflowExecutionCompleted'")}) x`)).toBe(RUNS * EVENTS_PER_RUN);

		// Every handler has each event of its types exactly once in its inbox...
		const inbox = (handler: string, types: string) => count(`SELECT COUNT(*) AS n FROM event_inbox WHERE handler = '${handler}' AND event_id IN (${runEvents(types)})`);
		await eventually(
			async () => ({
				started: await inbox("execution-started", "'WorkflowExecutionStarted'"),
				completed: await inbox("execution-completed", "'WorkflowExecutionCompleted'"),
				steps: await inbox("step-statistics", "'StepExecutionCompleted'")
			}),
			n => n.started === RUNS && n.completed === RUNS && n.steps === RUNS * STEPS.length,
			"every handler to handle every event of every run",
			120_000
		);
		// ...and its effects happened exactly once per event.
		expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'execution.started' AND resource_id IN (SELECT id FROM executions WHERE workflow_id = $1)", [wf])).toBe(RUNS);
		expect(await count("SELECT SUM(executions_started) AS n FROM usage_daily WHERE user_id = $1", [user.user_id])).toBe(RUNS);
		expect(await count("SELECT SUM(executions_completed) AS n FROM usage_daily WHERE user_id = $1", [user.user_id])).toBe(RUNS);
		expect(await count("SELECT COUNT(DISTINCT execution_id) AS n FROM notifications WHERE user_id = $1", [user.user_id])).toBe(RUNS);
		expect(await count("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1", [user.user_id])).toBe(RUNS);
		const stats = (await node.http.get(`/api/v3/workflows/${wf}/1.0.0/statistics`).set(user.auth).expect(200)).body;
		expect(stats.steps.map((s: { step_id: string; completed: number }) => [s.step_id, s.completed])).toEqual(STEPS.map(s => [s, RUNS]));
		expect(await count("SELECT COUNT(*) AS n FROM dead_letters")).toBe(0);

		// Webhooks: one delivery per completed run, each delivered and verified by the receiver.
		await waitFor(async () => (await count("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'delivered'", [hook.id])) === RUNS, "every webhook delivery", 120_000);
		expect(await count("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = $1", [hook.id])).toBe(RUNS);
		const received = receiver.deliveries("/hooks/fault");
		expect(received.every(d => d.verified)).toBe(true);
		expect(new Set(received.map(d => d.headers[WEBHOOK_HEADERS.delivery])).size).toBe(RUNS);
		expect(new Set(received.map(d => (JSON.parse(d.body) as { execution_id: string }).execution_id))).toEqual(new Set(runs));

		// Every event of every run reached RabbitMQ (some perhaps twice: the inbox made that harmless).
		const conn = await amqp.connect(rabbit.url);
		const ch = await conn.createChannel();
		const seen = new Set<string>();
		for (let msg = await ch.get(`${exchange}.probe`, { noAck: true }); msg; msg = await ch.get(`${exchange}.probe`, { noAck: true })) seen.add(String(msg.properties.messageId));
		await conn.close();
		const all = await db.sql.all<{ event_id: string }>(runEvents("'WorkflowExecutionStarted', 'StepExecutionStarted', 'StepExecutionCompleted', 'WorkflowExecutionCompleted'"));
		expect(all.filter(e => !seen.has(e.event_id))).toEqual([]);
	}, 600_000);
});
