import type { Envelope } from "../../lib/realtime/messages";
import { startTestNode, type TestNode } from "../support/broker";
import { AUTH_ENV, createUser, type TestUser } from "../support/factories";
import { connectors, refusedSocketIo, refusedWebSocket, seqsOf, type RealtimeTestClient } from "../support/realtime-clients";
import { workflowDefinition } from "../support/workflows";

const isStatusOf = (executionId: string) => (m: Envelope) => m.type === "workflow_status" && m.execution_id === executionId;
const isFinalStatusOf = (executionId: string) => (m: Envelope) => isStatusOf(executionId)(m) && ["completed", "failed", "cancelled"].includes(String(m.data.status));

function approvalWorkflow(id: string) {
	return {
		workflow_id: id,
		version: "1.0.0",
		steps: [
			{ id: "build", type: "transform", params: { expression: "'built'" } },
			{ id: "gate", type: "approval", params: { message: "Ship it?" }, depends_on: ["build"] },
			{ id: "ship", type: "transform", params: { expression: "'shipped'" }, depends_on: ["gate"] }
		]
	};
}

describe("real time: plain WebSocket and socket.io", () => {
	let node: TestNode;
	let alice: TestUser;
	let bob: TestUser;
	const open: RealtimeTestClient[] = [];

	const createWorkflow = async (user: TestUser, definition: Record<string, unknown>) => {
		const res = await node.http.post("/api/v3/workflows").set(user.auth).send(definition);
		expect(res.status).toBe(201);
		const id = definition.workflow_id as string;
		const act = await node.http.post(`/api/v3/workflows/${id}/1.0.0/status`).set(user.auth).send({ status: "active" });
		expect(act.status).toBe(200);
		return id;
	};
	const execute = async (user: TestUser, workflowId: string) => {
		const res = await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0" });
		expect(res.status).toBe(202);
		return res.body.execution_id as string;
	};

	beforeAll(async () => {
		node = await startTestNode({ env: { ...AUTH_ENV, REALTIME_MAX_CONNECTIONS_PER_USER: "6" } });
		alice = await createUser(node.http, { tag: "alice" });
		bob = await createUser(node.http, { tag: "bob" });
	});

	afterEach(async () => {
		await Promise.all(open.splice(0).map(c => c.close()));
	});

	afterAll(() => node?.stop());

	it("refuses a bad token: close code 1008 on /ws/connect, connect_error on socket.io", async () => {
		const ws = await refusedWebSocket(node.url, "not-a-token");
		expect(ws.code).toBe(1008);
		expect(ws.messages).toBe(0);
		const err = await refusedSocketIo(node.url, "not-a-token");
		expect(err.message).toMatch(/token/i);
		expect(err.data).toEqual({ error: "unauthorized" });
	});

	it("answers /ws/connect without an upgrade with 426, and serves the /ws/test page", async () => {
		const plain = await node.http.get("/ws/connect");
		expect(plain.status).toBe(426);
		expect(plain.body.error).toBe("upgrade_required");
		const page = await node.http.get("/ws/test");
		expect(page.status).toBe(200);
		expect(page.text).toContain("/ws/connect?token=");
		// Nothing from another origin: the page works offline.
		expect(page.text).not.toMatch(/https?:\/\//);
		const client = await node.http.get("/socket.io/socket.io.min.js");
		expect(client.status).toBe(200);
	});

	describe.each(["websocket", "socketio"] as const)("over %s", transport => {
		const connect = async (user: TestUser) => {
			const c = await connectors[transport](node.url, user.token);
			open.push(c);
			await c.waitFor(m => m.type === "connected");
			return c;
		};

		it("greets, answers ping and get_stats", async () => {
			const c = await connect(alice);
			const hello = c.messages[0];
			expect(hello).toMatchObject({ type: "connected", data: { user_id: alice.user_id, transport } });
			expect(typeof hello.timestamp).toBe("string");
			expect((await c.request({ action: "ping" }, "pong")).type).toBe("pong");
			const stats = await c.request({ action: "get_stats" }, "stats");
			expect(stats.data).toMatchObject({ your_connections: 1, subscriptions: [] });
		});

		it("names the wrong field of a bad request", async () => {
			const c = await connect(alice);
			const bad = await c.request({ action: "subscribe", execution_id: "x", since: -1 }, "subscribed");
			expect(bad).toMatchObject({ type: "error", data: { error: "validation_error", field: "since" } });
			const both = await c.request({ action: "subscribe" }, "subscribed");
			expect(both).toMatchObject({ type: "error", data: { field: "workflow_id" } });
			if (transport === "websocket") {
				const unknown = await c.request({ action: "dance" }, "pong");
				expect(unknown).toMatchObject({ type: "error", data: { field: "action" } });
			}
		});

		it("streams a run of a subscribed workflow: ordered statuses ending at 100 %, and its events", async () => {
			const workflowId = await createWorkflow(alice, workflowDefinition(`rt-${transport}`));
			const c = await connect(alice);
			const ack = await c.request({ action: "subscribe", workflow_id: workflowId }, "subscribed");
			expect(ack).toMatchObject({ type: "subscribed", workflow_id: workflowId });
			const executionId = await execute(alice, workflowId);
			const last = await c.waitFor(isFinalStatusOf(executionId));
			expect(last.data).toMatchObject({ execution_id: executionId, status: "completed", progress: 100, message: "Execution completed" });
			const mine = c.messages.filter(m => m.execution_id === executionId);
			const statuses = mine.filter(m => m.type === "workflow_status").map(m => m.data as { progress: number; status: string });
			expect(statuses.length).toBeGreaterThanOrEqual(3);
			// Progress never goes back, and only the last says completed.
			expect(statuses.map(s => s.progress)).toEqual([...statuses.map(s => s.progress)].sort((a, b) => a - b));
			expect(statuses.filter(s => s.status === "completed")).toHaveLength(1);
			const seqs = seqsOf(c.messages, executionId);
			expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
			expect(new Set(seqs).size).toBe(seqs.length);
			const events = mine.filter(m => m.type === "event").map(m => m.data.event_type);
			expect(events).toEqual(
				expect.arrayContaining(["WorkflowExecutionStarted", "StepExecutionStarted", "StepExecutionCompleted", "WorkflowExecutionCompleted"])
			);
			expect(mine.every(m => m.workflow_id === workflowId && typeof m.timestamp === "string")).toBe(true);
		});

		it("refuses another user's workflow or execution, and delivers nothing of it", async () => {
			const workflowId = await createWorkflow(alice, workflowDefinition(`rt-private-${transport}`));
			const watcher = await connect(alice);
			await watcher.request({ action: "subscribe", workflow_id: workflowId }, "subscribed");
			const spy = await connect(bob);
			const refused = await spy.request({ action: "subscribe", workflow_id: workflowId }, "subscribed");
			expect(refused).toMatchObject({ type: "error", data: { error: "not_found", field: "workflow_id", action: "subscribe" } });
			const executionId = await execute(alice, workflowId);
			const byId = await spy.request({ action: "subscribe", execution_id: executionId }, "subscribed");
			expect(byId).toMatchObject({ type: "error", data: { error: "not_found", field: "execution_id" } });
			const forged = await spy.request({ action: "subscribe", workflow_id: workflowId, owner_id: alice.user_id }, "subscribed");
			expect(forged).toMatchObject({ type: "error", data: { error: "forbidden", field: "owner_id" } });
			await watcher.waitFor(isFinalStatusOf(executionId));
			// The hub delivers to every subscriber at once: by the pong, bob would have had it.
			await spy.request({ action: "ping" }, "pong");
			expect(spy.messages.filter(m => m.execution_id === executionId || m.workflow_id === workflowId).filter(m => m.type !== "error")).toEqual([]);
		});

		it("stops delivering after unsubscribe", async () => {
			const workflowId = await createWorkflow(alice, workflowDefinition(`rt-unsub-${transport}`));
			const control = await connect(alice);
			await control.request({ action: "subscribe", workflow_id: workflowId }, "subscribed");
			const c = await connect(alice);
			await c.request({ action: "subscribe", workflow_id: workflowId }, "subscribed");
			const first = await execute(alice, workflowId);
			await c.waitFor(isFinalStatusOf(first));
			const bye = await c.request({ action: "unsubscribe", workflow_id: workflowId }, "unsubscribed");
			expect(bye).toMatchObject({ type: "unsubscribed", data: { workflow_id: workflowId, was_subscribed: true } });
			const second = await execute(alice, workflowId);
			await control.waitFor(isFinalStatusOf(second));
			await c.request({ action: "ping" }, "pong");
			// Notifications are addressed to the user, not to subscriptions: only the run's stream must stop.
			expect(c.messages.filter(m => m.execution_id === second && m.type !== "notification")).toEqual([]);
			expect(c.messages.filter(m => m.execution_id === first).length).toBeGreaterThan(0);
		});

		it("resumes after a dropped connection with nothing lost and nothing doubled", async () => {
			const workflowId = await createWorkflow(alice, approvalWorkflow(`rt-resume-${transport}`));
			const control = await connect(alice);
			await control.request({ action: "subscribe", workflow_id: workflowId }, "subscribed");
			const executionId = await execute(alice, workflowId);
			const c = await connect(alice);
			// Subscribed from the start (since 0 replays what came before the subscription).
			await c.request({ action: "subscribe", execution_id: executionId, since: 0 }, "subscribed");
			await c.waitFor(m => m.execution_id === executionId && m.type === "event" && m.data.event_type === "ApprovalRequested");
			const before = c.messages.filter(m => m.execution_id === executionId && typeof m.seq === "number");
			const lastSeen = before.at(-1)!.seq!;
			c.drop();
			// The run goes on while the client is away.
			const approved = await node.http.post(`/api/v3/workflows/executions/${executionId}/steps/gate/approve`).set(alice.auth).send({ comment: "go" });
			expect(approved.status).toBe(200);
			await control.waitFor(isFinalStatusOf(executionId));

			const again = await connect(alice);
			const ack = await again.request({ action: "subscribe", execution_id: executionId, since: lastSeen }, "subscribed");
			expect(ack.data).toMatchObject({ since: lastSeen, complete: true });
			expect(Number(ack.data.replayed)).toBeGreaterThan(0);
			await again.waitFor(isFinalStatusOf(executionId));
			const after = again.messages.filter(m => m.execution_id === executionId && typeof m.seq === "number");
			const joined = [...before, ...after].map(m => m.seq);
			expect(joined).toEqual(seqsOf(control.messages, executionId));
			expect(new Set(joined).size).toBe(joined.length);
			expect(after.at(-1)!.data).toMatchObject({ status: "completed", progress: 100 });
		});

		it("holds each user to the per-node connection limit", async () => {
			const carol = await createUser(node.http, { tag: "carol" });
			for (let i = 0; i < 6; i++) await connect(carol);
			if (transport === "websocket") {
				const refused = await refusedWebSocket(node.url, carol.token);
				expect(refused).toMatchObject({ code: 1008, reason: "Too many connections for this user" });
			} else {
				const err = await refusedSocketIo(node.url, carol.token);
				expect(err.data).toEqual({ error: "too_many_connections" });
			}
		});
	});

	it("delivers a user's notifications to each of their connections, and to nobody else", async () => {
		const ws = await connectors.websocket(node.url, alice.token);
		const sio = await connectors.socketio(node.url, alice.token);
		const other = await connectors.websocket(node.url, bob.token);
		open.push(ws, sio, other);
		const workflowId = await createWorkflow(alice, approvalWorkflow("rt-notify"));
		const executionId = await execute(alice, workflowId);
		const isApproval = (m: Envelope) => m.type === "notification" && m.execution_id === executionId;
		const [a, b] = await Promise.all([ws.waitFor(isApproval), sio.waitFor(isApproval)]);
		expect(a.data).toMatchObject({ kind: "approval", execution_id: executionId, workflow_id: workflowId, step_id: "gate" });
		expect(b.data.id).toBe(a.data.id);
		// Failures come from the event bus's inbox (filed, then broadcast).
		const approvedOrRejected = await node.http.post(`/api/v3/workflows/executions/${executionId}/steps/gate/reject`).set(alice.auth).send({ comment: "no" });
		expect(approvedOrRejected.status).toBe(200);
		const failed = await ws.waitFor(m => m.type === "notification" && m.execution_id === executionId && m.data.kind === "alert");
		expect(failed.data).toMatchObject({ user_id: alice.user_id, event_type: "WorkflowExecutionFailed" });
		await other.request({ action: "ping" }, "pong");
		expect(other.messages.filter(m => m.type === "notification")).toEqual([]);
	});

	it("streams an ai_generate step's LLM tokens in the run's sequence, between the step's start and end", async () => {
		const workflowId = await createWorkflow(alice, {
			workflow_id: "rt-tokens",
			version: "1.0.0",
			steps: [{ id: "write", type: "ai_generate", params: { prompt: "Describe durable execution in a few words.", max_tokens: 40, stream: true } }]
		});
		const c = await connectors.websocket(node.url, alice.token);
		open.push(c);
		await c.request({ action: "subscribe", workflow_id: workflowId }, "subscribed");
		const executionId = await execute(alice, workflowId);
		await c.waitFor(isFinalStatusOf(executionId));
		const events = c.messages.filter(m => m.execution_id === executionId && m.type === "event");
		const kinds = events.map(m => String(m.data.event_type));
		const tokens = events.filter(m => m.data.event_type === "LlmToken");
		expect(tokens.length).toBeGreaterThan(1);
		expect(tokens.map(m => m.data.token_seq)).toEqual(tokens.map((_, i) => i));
		expect(tokens.every(m => m.data.step_id === "write")).toBe(true);
		const first = kinds.indexOf("LlmToken");
		expect(kinds.lastIndexOf("StepExecutionStarted")).toBeLessThan(first);
		expect(kinds.indexOf("StepExecutionCompleted")).toBeGreaterThan(kinds.lastIndexOf("LlmToken"));
		const seqs = seqsOf(c.messages, executionId);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		const output = await node.http.get(`/api/v3/workflows/executions/${executionId}`).set(alice.auth);
		expect(tokens.map(m => m.data.delta).join("")).toBe(output.body.steps[0].output.text);
	});

	it("reaches only whitelisted actions through socket.io's call", async () => {
		const c = await connectors.socketio(node.url, alice.token);
		open.push(c);
		const call = (action: string, params: Record<string, unknown>) =>
			new Promise<{ err: { code?: number; type?: string } | null; res?: { total?: number } }>(resolve => c.socket.emit("call", action, params, (err: { code?: number } | null, res?: { total?: number }) => resolve({ err, res })));
		const list = await call("execution.list", {});
		expect(list.err).toBeNull();
		expect(typeof list.res?.total).toBe("number");
		expect((await call("auth.principal", { id: alice.user_id })).err).toMatchObject({ code: 404, type: "SERVICE_NOT_FOUND" });
		expect((await call("api.broadcast", { event: "x" })).err).toMatchObject({ code: 404 });
	});

	it("counts connections by transport and messages by type on /metrics", async () => {
		const c = await connectors.websocket(node.url, alice.token);
		open.push(c);
		await c.waitFor(m => m.type === "connected");
		const text = (await node.http.get("/metrics")).text;
		expect(text).toMatch(/^websocket_connections\{transport="websocket"[^}]*\} [1-9]/m);
		expect(text).toMatch(/^websocket_messages_sent_total\{transport="websocket",type="connected"[^}]*\} [1-9]/m);
	});
});
