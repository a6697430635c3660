import { randomBytes } from "node:crypto";
import supertest from "supertest";
import type { Envelope } from "../../lib/realtime/messages";
import { waitForRoute } from "../support/engine-harness";
import { describeWith, TEST_NATS_URL } from "../support/env";
import { AUTH_ENV, createUser } from "../support/factories";
import { startNodeProcess, type NodeProcess } from "../support/node-process";
import { createTestDatabase } from "../support/postgres";
import { connectSocketIo, connectWebSocket, seqsOf, type RealtimeTestClient } from "../support/realtime-clients";
import { workflowDefinition } from "../support/workflows";

const isFinal = (executionId: string) => (m: Envelope) => m.type === "workflow_status" && m.execution_id === executionId && m.data.status === "completed";

/**
 * Two gateway nodes and an execution node over NATS: each gateway's notifier hears the
 * engine's broadcasts and serves its own sockets, so a client on either gateway hears a run
 * that neither of them executes.
 */
describeWith(["postgres", "nats"])("real time across gateway nodes", () => {
	let db: Awaited<ReturnType<typeof createTestDatabase>>;
	const nodes: NodeProcess[] = [];
	const clients: RealtimeTestClient[] = [];

	beforeAll(async () => {
		db = await createTestDatabase();
		const env = { ...AUTH_ENV, TRANSPORTER: TEST_NATS_URL, NAMESPACE: `rt-${randomBytes(4).toString("hex")}`, DATABASE_URL: db.url, API_HOST: "127.0.0.1", API_PORT: "0" };
		nodes.push(await startNodeProcess({ ...env, SERVICES: "api-gateway,notifier,auth,workflow", NODE_ID: "gateway-a" }));
		nodes.push(await startNodeProcess({ ...env, SERVICES: "api-gateway,notifier", NODE_ID: "gateway-b" }));
		nodes.push(await startNodeProcess({ ...env, SERVICES: "execution,llm", NODE_ID: "executor" }));
	}, 90000);

	afterAll(async () => {
		await Promise.all(clients.map(c => c.close()));
		await Promise.all(nodes.map(n => n.kill()));
		await db?.drop();
	});

	it("streams a run executed on a third node to a client on each gateway, alike", async () => {
		const [a, b] = nodes;
		const httpA = supertest(a.url!);
		const httpB = supertest(b.url!);
		await waitForRoute(httpA, "post", "/api/v3/workflows/execute");
		await waitForRoute(httpB, "post", "/api/v3/workflows/execute");
		const user = await createUser(httpA);
		const definition = workflowDefinition("rt-cluster");
		expect((await httpA.post("/api/v3/workflows").set(user.auth).send(definition)).status).toBe(201);
		expect((await httpA.post(`/api/v3/workflows/${definition.workflow_id}/1.0.0/status`).set(user.auth).send({ status: "active" })).status).toBe(200);

		const onA = await connectSocketIo(a.url!, user.token);
		const onB = await connectWebSocket(b.url!, user.token);
		clients.push(onA, onB);
		expect((await onA.waitFor(m => m.type === "connected")).data.node_id).toBe("gateway-a");
		expect((await onB.waitFor(m => m.type === "connected")).data.node_id).toBe("gateway-b");
		for (const c of [onA, onB]) expect((await c.request({ action: "subscribe", workflow_id: definition.workflow_id }, "subscribed")).type).toBe("subscribed");

		// Started through gateway B; it runs on the executor.
		const res = await httpB.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: definition.workflow_id, workflow_version: "1.0.0" });
		expect(res.status).toBe(202);
		const executionId = res.body.execution_id as string;
		const [lastA, lastB] = await Promise.all([onA.waitFor(isFinal(executionId), { timeoutMs: 30000 }), onB.waitFor(isFinal(executionId), { timeoutMs: 30000 })]);
		expect(lastA.data.progress).toBe(100);
		expect(lastB.data.progress).toBe(100);
		// Both gateways number the run alike (from the engine's sequence): the same messages, in the same order.
		const seqsA = seqsOf(onA.messages, executionId);
		expect(seqsA.length).toBeGreaterThan(4);
		expect(seqsOf(onB.messages, executionId)).toEqual(seqsA);
		expect([...seqsA].sort((x, y) => x - y)).toEqual(seqsA);
	});
});
