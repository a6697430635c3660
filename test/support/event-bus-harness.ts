import supertest from "supertest";
import type { Database } from "../../lib/db/database";
import { runtimeOf } from "../../lib/runtime";
import { startTestNode, type TestNode } from "./broker";
import { TEST_RABBITMQ_URL } from "./env";
import { AUTH_ENV, createUser, loginAdmin, type TestUser } from "./factories";
import { deleteTopology, topologyFor, uniqueExchange } from "./rabbitmq";
import { startTargetServer, type TargetServer } from "./target-server";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver";

type Http = ReturnType<typeof supertest>;

/** Short waits keep tests quick; the production defaults are in lib/config.ts. */
export const EVENT_BUS_ENV = {
	...AUTH_ENV,
	STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
	OUTBOX_POLL_INTERVAL: "50ms",
	EVENT_HANDLER_MAX_ATTEMPTS: "3",
	EVENT_HANDLER_RETRY_MIN_DELAY: "100ms",
	EVENT_HANDLER_RETRY_MAX_DELAY: "400ms",
	WEBHOOK_MAX_ATTEMPTS: "3",
	WEBHOOK_RETRY_MIN_DELAY: "100ms",
	WEBHOOK_RETRY_MAX_DELAY: "1s",
	WEBHOOK_TIMEOUT: "2s",
	RABBITMQ_RECONNECT_MIN_DELAY: "100ms",
	RABBITMQ_RECONNECT_MAX_DELAY: "1s"
};

/** One embedded node with the event bus, delivering in-process or through RabbitMQ. */
export interface EventBusHarness {
	readonly transport: "in-process" | "amqp";
	readonly node: TestNode;
	readonly http: Http;
	readonly db: Database;
	user: TestUser;
	admin: TestUser;
	target: TargetServer;
	receiver: WebhookReceiver;
	stop(): Promise<void>;
}

export async function eventBusHarness(transport: "in-process" | "amqp"): Promise<EventBusHarness> {
	const env: Record<string, string> = { ...EVENT_BUS_ENV };
	if (transport === "amqp") Object.assign(env, { RABBITMQ_URL: TEST_RABBITMQ_URL, RABBITMQ_EXCHANGE: uniqueExchange("bus") });
	const node = await startTestNode({ env });
	const target = await startTargetServer();
	const receiver = await startWebhookReceiver();
	const db = await runtimeOf(node.broker).database();
	if (transport === "amqp") await waitFor(async () => (await node.http.get("/health")).body.rabbitmq === "ok", "RabbitMQ to be reachable");
	return {
		transport,
		node,
		http: node.http,
		db,
		user: await createUser(node.http),
		admin: await loginAdmin(node.http),
		target,
		receiver,
		async stop() {
			await node.stop();
			await target.close();
			await receiver.close();
			if (transport === "amqp") await deleteTopology(TEST_RABBITMQ_URL, topologyFor(node.config));
		}
	};
}

/** Polls `check` until it holds. */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20000): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return;
		if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 50));
	}
}

/** Polls `read` until `done` holds for its value, and returns that value. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20000): Promise<T> {
	let last: T | undefined;
	try {
		await waitFor(async () => done((last = await read())), what, timeoutMs);
	} catch (err) {
		throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)?.slice(0, 2000)}`);
	}
	return last as T;
}

export async function postWorkflow(http: Http, user: TestUser, definition: Record<string, unknown>): Promise<void> {
	const res = await http.post("/api/v3/workflows").set(user.auth).send(definition);
	if (res.status !== 201 && res.status !== 200) throw new Error(`creating ${String(definition.workflow_id)} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function runWorkflow(http: Http, user: TestUser, workflowId: string, inputs: Record<string, unknown> = {}): Promise<string> {
	const res = await http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0", inputs });
	if (res.status !== 202) throw new Error(`executing ${workflowId} failed: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body.execution_id as string;
}

/** Waits until an execution has ended and returns its view. */
export function finishedExecution(http: Http, user: TestUser, id: string, timeoutMs = 20000): Promise<{ status: string; steps: { step_id: string; attempts: number }[] }> {
	return eventually(
		async () => (await http.get(`/api/v3/workflows/executions/${id}`).set(user.auth)).body,
		e => ["completed", "failed", "cancelled"].includes(e.status),
		`execution ${id} to end`,
		timeoutMs
	);
}
