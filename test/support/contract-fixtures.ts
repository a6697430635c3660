/**
 * What the OpenAPI contract test cannot read from the spec: values that must exist on the
 * server for a request to succeed (an id of a real user, a live refresh token), keyed by
 * operationId (the action's name). An operation whose spec examples already make a
 * request that succeeds needs nothing here; one that has neither fails the contract test
 * with a message naming what is missing.
 */
import { randomUUID } from "node:crypto";
import type supertest from "supertest";
import type { Database } from "../../lib/db/database";
import { appendToOutbox, domainEvent } from "../../lib/events/outbox";
import { EXAMPLE_WEBHOOK } from "../../lib/webhooks/openapi";
import { eventually } from "./event-bus-harness";
import { AUTH_ENV, TEST_PASSWORD, uniqueEmail, type TestUser } from "./factories";
import { startWebhookReceiver } from "./webhook-receiver";

type Http = ReturnType<typeof supertest>;

/** The contract test's node: webhook fixtures deliver to a receiver on this machine. */
export const CONTRACT_ENV = { ...AUTH_ENV, STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1" };

export interface FixtureContext {
	http: Http;
	/** The node's database: events that no request makes (one a handler refuses) enter through its outbox. */
	db: Database;
	/** A new signed-in user with the `user` role. */
	user(): Promise<TestUser>;
	admin: TestUser;
}

/** Parts of the request that replace what the spec's examples give. */
export interface RequestOverrides {
	path?: Record<string, string>;
	query?: Record<string, unknown>;
	body?: unknown;
	/** Who calls; by default an admin for `admin` operations, a new user for the others, no one for public ones. */
	as?: TestUser;
}

export type Fixture = (c: FixtureContext) => Promise<RequestOverrides>;

/** A user with a workflow of their own (an approval gate first when `gated`), and optionally an execution of it. */
async function withWorkflow(c: FixtureContext, kind: "plain" | "gated" | "failing" = "plain"): Promise<{ u: TestUser; workflowId: string }> {
	const u = await c.user();
	const workflowId = `contract-${kind}-${u.user_id.slice(0, 8)}`;
	const steps =
		kind === "gated"
			? [{ id: "gate", type: "approval" }, { id: "after", type: "transform", params: { expression: "1" }, depends_on: ["gate"] }]
			: kind === "failing"
				? [{ id: "boom", type: "transform", params: { expression: '$error("contract failure")' } }]
				: [{ id: "only", type: "transform", params: { expression: "1" } }];
	const res = await c.http.post("/api/v3/workflows").set(u.auth).send({ workflow_id: workflowId, version: "1.0.0", steps });
	if (res.status !== 201) throw new Error(`creating a workflow for the fixture failed: ${res.status} ${JSON.stringify(res.body)}`);
	return { u, workflowId };
}

/** A user with a secret named CONTRACT_TOKEN. */
async function withSecret(c: FixtureContext): Promise<TestUser> {
	const u = await c.user();
	const res = await c.http.put("/api/v3/secrets/CONTRACT_TOKEN").set(u.auth).send({ value: "contract-secret-value" });
	if (res.status !== 201) throw new Error(`creating a secret for the fixture failed: ${res.status} ${JSON.stringify(res.body)}`);
	return u;
}

/** A user with the plain workflow, a one-item dataset for it and an eval of it (finished or not). */
async function withEval(c: FixtureContext): Promise<{ u: TestUser; workflowId: string; datasetId: string; evalId: string }> {
	const { u, workflowId } = await withWorkflow(c, "plain");
	const dataset = await c.http.post("/api/v3/datasets").set(u.auth).send({ name: "contract", items: [{ inputs: {}, expected: {} }] });
	if (dataset.status !== 201) throw new Error(`creating a dataset for the fixture failed: ${dataset.status} ${JSON.stringify(dataset.body)}`);
	const started = await c.http.post("/api/v3/evals").set(u.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0", dataset_id: dataset.body.id, scorers: [{ type: "exact" }] });
	if (started.status !== 201) throw new Error(`starting an eval for the fixture failed: ${started.status} ${JSON.stringify(started.body)}`);
	return { u, workflowId, datasetId: dataset.body.id, evalId: started.body.id };
}

async function withExecution(c: FixtureContext, kind: "plain" | "gated" | "failing", until: (e: { status: string; steps: { waiting_for: string | null }[] }) => boolean) {
	const { u, workflowId } = await withWorkflow(c, kind);
	const started = await c.http.post("/api/v3/workflows/execute").set(u.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0" });
	if (started.status !== 202) throw new Error(`starting an execution for the fixture failed: ${started.status}`);
	const id = started.body.execution_id as string;
	for (let i = 0; ; i++) {
		const e = await c.http.get(`/api/v3/workflows/executions/${id}`).set(u.auth);
		if (until(e.body)) break;
		if (i > 200) throw new Error(`the fixture's execution never got there: ${JSON.stringify(e.body)}`);
		await new Promise(r => setTimeout(r, 25));
	}
	return { u, id, workflowId };
}

/** A user with a conversation thread, left by an agent step that ran with the offline local provider. */
async function withThread(c: FixtureContext): Promise<{ u: TestUser; thread: string }> {
	const u = await c.user();
	const workflowId = `contract-agent-${u.user_id.slice(0, 8)}`;
	const steps = [{ id: "ask", type: "agent", params: { prompt: "Hello", thread: "contract-thread", tools: [] } }];
	const res = await c.http.post("/api/v3/workflows").set(u.auth).send({ workflow_id: workflowId, version: "1.0.0", steps });
	if (res.status !== 201) throw new Error(`creating an agent workflow for the fixture failed: ${res.status} ${JSON.stringify(res.body)}`);
	const started = await c.http.post("/api/v3/workflows/execute").set(u.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0" });
	for (let i = 0; ; i++) {
		const e = await c.http.get(`/api/v3/workflows/executions/${started.body.execution_id}`).set(u.auth);
		if (e.body.status === "completed") break;
		if (i > 200 || e.body.status === "failed") throw new Error(`the fixture's agent run never completed: ${JSON.stringify(e.body)}`);
		await new Promise(r => setTimeout(r, 25));
	}
	return { u, thread: "contract-thread" };
}

const waitingForApproval = (e: { steps: { waiting_for: string | null }[] }) => e.steps[0]?.waiting_for === "approval";

type Row = Record<string, unknown>;

/** A user with an inbound webhook. */
async function withHook(c: FixtureContext, verify = "hmac-sha256"): Promise<{ u: TestUser; hookId: string }> {
	const u = await c.user();
	const res = await c.http.post("/api/v3/hooks").set(u.auth).send({ event: "contract.hook", verify });
	if (res.status !== 201) throw new Error(`creating an inbound webhook for the fixture failed: ${res.status} ${JSON.stringify(res.body)}`);
	return { u, hookId: res.body.id as string };
}

/** A user whose execution completed, once its notification is in their inbox (the event bus made it). */
async function withNotification(c: FixtureContext): Promise<{ u: TestUser; notificationId: string; workflowId: string }> {
	const { u, id, workflowId } = await withExecution(c, "plain", e => e.status === "completed");
	const inbox = await eventually(
		async () => (await c.http.get("/api/v3/notifications").set(u.auth)).body as { notifications: Row[] },
		b => b.notifications.some(n => n.execution_id === id),
		"the fixture's notification"
	);
	return { u, notificationId: String(inbox.notifications.find(n => n.execution_id === id)!.id), workflowId };
}

/**
 * A dead letter: a StepExecutionCompleted event without its owner, workflow and version,
 * which the step-statistics handler refuses for good (it goes to the dead letters at once).
 */
async function withDeadLetter(c: FixtureContext): Promise<{ id: string; handler: string; eventType: string }> {
	const event = domainEvent("StepExecutionCompleted", { type: "execution", id: randomUUID() }, { step_id: "contract" });
	await c.db.sqlTransaction(tx => appendToOutbox(tx, [event]));
	const list = await eventually(
		async () => (await c.http.get("/api/v3/events/dead-letters").query({ event_type: "StepExecutionCompleted" }).set(c.admin.auth)).body as { dead_letters: Row[] },
		b => b.dead_letters.some(d => d.event_id === event.event_id),
		"the fixture's dead letter"
	);
	const letter = list.dead_letters.find(d => d.event_id === event.event_id)!;
	return { id: String(letter.id), handler: String(letter.handler), eventType: event.event_type };
}

async function createWebhook(c: FixtureContext, u: TestUser, workflowId: string, url = EXAMPLE_WEBHOOK.url): Promise<{ id: string; secret: string }> {
	const res = await c.http.post("/api/v3/webhooks").set(u.auth).send({ ...EXAMPLE_WEBHOOK, workflow_id: workflowId, url });
	if (res.status !== 201) throw new Error(`creating a webhook for the fixture failed: ${res.status} ${JSON.stringify(res.body)}`);
	return { id: res.body.id as string, secret: res.body.secret as string };
}

/** A user with a webhook on a workflow of their own. */
async function withWebhook(c: FixtureContext): Promise<{ u: TestUser; webhookId: string }> {
	const { u, workflowId } = await withWorkflow(c);
	return { u, webhookId: (await createWebhook(c, u, workflowId)).id };
}

/**
 * A webhook with a delivery its receiver took (signature verified, 204): an execution's
 * completion sent to a receiver that is closed again once it has answered.
 */
async function withDelivery(c: FixtureContext): Promise<{ u: TestUser; webhookId: string; deliveryId: string }> {
	const { u, workflowId } = await withWorkflow(c);
	const receiver = await startWebhookReceiver();
	try {
		const path = `/hooks/${workflowId}`;
		const hook = await createWebhook(c, u, workflowId, `${receiver.url}${path}`);
		receiver.setSecret(path, hook.secret);
		const started = await c.http.post("/api/v3/workflows/execute").set(u.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0" });
		if (started.status !== 202) throw new Error(`starting an execution for the fixture failed: ${started.status}`);
		const log = await eventually(
			async () => (await c.http.get(`/api/v3/webhooks/${hook.id}/deliveries`).set(u.auth)).body as { deliveries: Row[] },
			b => b.deliveries.some(d => d.status === "delivered"),
			"the fixture's webhook delivery"
		);
		return { u, webhookId: hook.id, deliveryId: String(log.deliveries.find(d => d.status === "delivered")!.id) };
	} finally {
		await receiver.close();
	}
}

const today = () => new Date().toISOString().slice(0, 10);

/** A user whose completed execution has reached their usage (the day's counters). */
async function withUsage(c: FixtureContext): Promise<TestUser> {
	const { u } = await withExecution(c, "plain", e => e.status === "completed");
	await eventually(
		async () => (await c.http.get("/api/v3/usage").set(u.auth)).body as { totals: { executions: { completed: number } } },
		b => b.totals?.executions.completed === 1,
		"the fixture's usage"
	);
	return u;
}

const freshRefreshToken: Fixture = async c => ({ body: { refresh_token: (await c.user()).refresh_token } });

export const CONTRACT_FIXTURES: Record<string, Fixture> = {
	// Each run registers a new email: the example's is taken after the first time.
	"auth.register": async () => ({ body: { email: uniqueEmail("contract"), password: TEST_PASSWORD, full_name: "Ada Lovelace" } }),
	"auth.login": async c => {
		const u = await c.user();
		return { body: { email: u.email, password: u.password } };
	},
	"auth.refresh": freshRefreshToken,
	"auth.logout": freshRefreshToken,
	"auth.revokeApiKey": async c => {
		const u = await c.user();
		const key = await c.http.post("/api/v3/auth/api-keys").set(u.auth).send({ name: "contract" });
		if (key.status !== 201) throw new Error(`creating an API key for the fixture failed: ${key.status}`);
		return { path: { id: key.body.id as string }, as: u };
	},
	"auth.getUser": async c => ({ path: { id: (await c.user()).user_id } }),
	"auth.updateUser": async c => ({ path: { id: (await c.user()).user_id } }),
	// Definitions are per owner: each operation gets a user with a workflow of their own.
	"workflow.create": async c => ({ as: await c.user(), body: { workflow_id: `contract-new-${Date.now().toString(36)}`, version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] } }),
	"workflow.versions": async c => {
		const { u, workflowId } = await withWorkflow(c);
		return { as: u, path: { workflow_id: workflowId } };
	},
	"workflow.get": async c => {
		const { u, workflowId } = await withWorkflow(c);
		return { as: u, path: { workflow_id: workflowId, version: "1.0.0" } };
	},
	"workflow.setStatus": async c => {
		const { u, workflowId } = await withWorkflow(c);
		return { as: u, path: { workflow_id: workflowId, version: "1.0.0" }, body: { status: "deprecated" } };
	},
	"execution.execute": async c => {
		const { u, workflowId } = await withWorkflow(c);
		return { as: u, body: { workflow_id: workflowId, workflow_version: "1.0.0" } };
	},
	"execution.get": async c => {
		const { u, id } = await withExecution(c, "plain", e => e.status === "completed");
		return { as: u, path: { id } };
	},
	"execution.step": async c => {
		const { u, id } = await withExecution(c, "plain", e => e.status === "completed");
		return { as: u, path: { id, step_id: "only" } };
	},
	"execution.cancel": async c => {
		const { u, id } = await withExecution(c, "gated", waitingForApproval);
		return { as: u, path: { id } };
	},
	"execution.approve": async c => {
		const { u, id } = await withExecution(c, "gated", waitingForApproval);
		return { as: u, path: { id, step_id: "gate" } };
	},
	"execution.reject": async c => {
		const { u, id } = await withExecution(c, "gated", waitingForApproval);
		return { as: u, path: { id, step_id: "gate" } };
	},
	"evals.datasetGet": async c => {
		const { u, datasetId } = await withEval(c);
		return { as: u, path: { id: datasetId } };
	},
	"evals.datasetDelete": async c => {
		const { u, datasetId } = await withEval(c);
		return { as: u, path: { id: datasetId } };
	},
	"evals.evalCreate": async c => {
		const { u, workflowId, datasetId } = await withEval(c);
		return { as: u, body: { workflow_id: workflowId, workflow_version: "1.0.0", dataset_id: datasetId, scorers: [{ type: "exact" }, { type: "contains", text: "1" }] } };
	},
	"evals.evalGet": async c => {
		const { u, evalId } = await withEval(c);
		return { as: u, path: { id: evalId } };
	},
	"evals.evalCompare": async c => {
		const { u, evalId } = await withEval(c);
		return { as: u, query: { a: evalId, b: evalId } };
	},
	"execution.llmCalls": async c => {
		const { u, id } = await withExecution(c, "plain", e => e.status === "completed");
		return { as: u, path: { id } };
	},
	"execution.transcript": async c => {
		const { u, id } = await withExecution(c, "plain", e => e.status === "completed");
		return { as: u, path: { id, step_id: "only" } };
	},
	"workflow.secretGet": async c => ({ as: await withSecret(c), path: { name: "CONTRACT_TOKEN" } }),
	"workflow.secretDelete": async c => ({ as: await withSecret(c), path: { name: "CONTRACT_TOKEN" } }),
	"execution.threadGet": async c => {
		const { u, thread } = await withThread(c);
		return { as: u, path: { id: thread } };
	},
	"execution.threadDelete": async c => {
		const { u, thread } = await withThread(c);
		return { as: u, path: { id: thread } };
	},
	// A gated run is not over: it takes signals.
	"execution.signal": async c => {
		const { u, id } = await withExecution(c, "gated", waitingForApproval);
		return { as: u, path: { id, name: "approved" } };
	},
	"events.getHook": async c => {
		const { u, hookId } = await withHook(c);
		return { as: u, path: { id: hookId } };
	},
	"events.rotateHook": async c => {
		const { u, hookId } = await withHook(c);
		return { as: u, path: { id: hookId } };
	},
	"events.deleteHook": async c => {
		const { u, hookId } = await withHook(c);
		return { as: u, path: { id: hookId } };
	},
	// The sender's side: a hook that verifies nothing takes the example as it is.
	"events.receiveHook": async c => ({ path: { id: (await withHook(c, "none")).hookId } }),
	"execution.retry": async c => {
		const { u, id } = await withExecution(c, "failing", e => e.status === "failed");
		return { as: u, path: { id } };
	},
	"execution.fork": async c => {
		const { u, id } = await withExecution(c, "failing", e => e.status === "failed");
		return { as: u, path: { id }, body: { from_step: "boom" } };
	},
	// The event bus: what its handlers made from real executions and events.
	"event-bus.audit": async c => {
		const u = await c.user();
		await eventually(
			async () => (await c.http.get("/api/v3/audit").query({ actor_id: u.user_id, action: "auth.login" }).set(c.admin.auth)).body as { total: number },
			b => b.total > 0,
			"the fixture's audit entry"
		);
		return { query: { actor_id: u.user_id } };
	},
	"event-bus.listDeadLetters": async c => {
		await withDeadLetter(c);
		return {};
	},
	"event-bus.getDeadLetter": async c => ({ path: { id: (await withDeadLetter(c)).id } }),
	"event-bus.discardDeadLetter": async c => ({ path: { id: (await withDeadLetter(c)).id } }),
	"event-bus.replayDeadLetter": async c => ({ path: { id: (await withDeadLetter(c)).id } }),
	"event-bus.replayDeadLetters": async c => {
		const letter = await withDeadLetter(c);
		return { body: { handler: letter.handler, event_type: letter.eventType, limit: 100 } };
	},
	"event-bus.usage": async c => ({ as: await withUsage(c), query: { from: today(), to: today() } }),
	"event-bus.usageByUser": async c => {
		await withUsage(c);
		return { query: { from: today(), to: today() } };
	},
	"event-bus.statistics": async c => {
		const { u, workflowId } = await withExecution(c, "plain", e => e.status === "completed");
		await eventually(
			async () => (await c.http.get(`/api/v3/workflows/${workflowId}/1.0.0/statistics`).set(u.auth)).body as { steps: { completed: number }[] },
			b => b.steps?.[0]?.completed === 1,
			"the fixture's step statistics"
		);
		return { as: u, path: { workflow_id: workflowId, version: "1.0.0" } };
	},
	"event-bus.notifications": async c => ({ as: (await withNotification(c)).u }),
	"event-bus.readNotification": async c => {
		const { u, notificationId } = await withNotification(c);
		return { as: u, path: { id: notificationId } };
	},
	"event-bus.readAllNotifications": async c => ({ as: (await withNotification(c)).u }),
	// Webhooks belong to the workflow's owner: each operation gets a user with one of their own.
	"webhooks.create": async c => {
		const { u, workflowId } = await withWorkflow(c);
		return { as: u, body: { ...EXAMPLE_WEBHOOK, workflow_id: workflowId } };
	},
	"webhooks.list": async c => ({ as: (await withWebhook(c)).u }),
	"webhooks.get": async c => {
		const { u, webhookId } = await withWebhook(c);
		return { as: u, path: { id: webhookId } };
	},
	"webhooks.update": async c => {
		const { u, webhookId } = await withWebhook(c);
		return { as: u, path: { id: webhookId } };
	},
	"webhooks.remove": async c => {
		const { u, webhookId } = await withWebhook(c);
		return { as: u, path: { id: webhookId } };
	},
	"webhooks.rotateSecret": async c => {
		const { u, webhookId } = await withWebhook(c);
		return { as: u, path: { id: webhookId } };
	},
	"webhooks.deliveries": async c => {
		const { u, webhookId } = await withDelivery(c);
		return { as: u, path: { id: webhookId } };
	},
	"webhooks.redeliver": async c => {
		const { u, webhookId, deliveryId } = await withDelivery(c);
		return { as: u, path: { id: webhookId, delivery_id: deliveryId } };
	}
};
