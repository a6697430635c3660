import type { Socket } from "socket.io-client";
import { signAccessToken } from "../../lib/auth/tokens";
import { runtimeOf } from "../../lib/runtime";
import { startTestNode, type TestNode } from "../support/broker";
import { AUTH_ENV, createUser, loginAdmin, type TestUser } from "../support/factories";
import { connectSocketIo, connectWebSocket, connectors } from "../support/realtime-clients";

/** Resolves when a socket.io client is disconnected by the server. */
const disconnected = (socket: Socket) => new Promise<string>(resolve => socket.once("disconnect", reason => resolve(reason)));

/**
 * Issue 15, "open sockets keep the rights they had at connect": after a user is
 * deactivated, demoted, their key revoked or their token expired, their socket.io and
 * WebSocket connections could still subscribe and call (an ex-admin still listed every
 * tenant's runs). Now each connection follows its user, and sends at a bounded rate.
 */
describe("sockets follow their user (embedded)", () => {
	let node: TestNode;
	let admin: TestUser;

	beforeAll(async () => {
		node = await startTestNode({ env: { ...AUTH_ENV, REALTIME_MAX_MESSAGES_PER_SECOND: "20" } });
		admin = await loginAdmin(node.http);
	});
	afterAll(() => node.stop());

	it.each(["websocket", "socketio"] as const)("closes a deactivated user's %s connection at once, telling it why", async transport => {
		const user = await createUser(node.http);
		const client = await connectors[transport](node.url, user.token);
		await client.waitFor(m => m.type === "connected");
		const gone =
			transport === "websocket" ? (client as Awaited<ReturnType<typeof connectWebSocket>>).closed.then(c => c.code) : disconnected((client as Awaited<ReturnType<typeof connectSocketIo>>).socket);
		await node.http.patch(`/api/v3/auth/users/${user.user_id}`).set(admin.auth).send({ is_active: false }).expect(200);
		const ended = await client.waitFor(m => m.type === "error" && m.data.error === "session_ended");
		expect(ended.data.message).toMatch(/deactivated/);
		expect(await gone).toBe(transport === "websocket" ? 1008 : "io server disconnect");
	});

	it("takes an ex-admin's rights away from their open socket: other users' runs and workflows are out of reach", async () => {
		const owner = await createUser(node.http);
		await node.http.post("/api/v3/workflows").set(owner.auth).send({ workflow_id: "theirs", version: "1.0.0", steps: [{ id: "a", type: "approval" }] }).expect(201);
		const run = await node.http.post("/api/v3/workflows/execute").set(owner.auth).send({ workflow_id: "theirs", workflow_version: "1.0.0" }).expect(202);

		const boss = await createUser(node.http, { role: "admin" });
		const client = await connectSocketIo(node.url, boss.token);
		await client.waitFor(m => m.type === "connected");
		const call = (action: string, params: Record<string, unknown>) =>
			new Promise<{ err: { code?: number } | null; res: { executions?: { owner_id: string }[] } }>(resolve => client.socket.emit("call", action, params, (err: { code?: number } | null, res: never) => resolve({ err, res })));
		expect((await call("execution.list", { page_size: 100 })).res.executions!.some(e => e.owner_id === owner.user_id)).toBe(true);
		expect((await client.request({ action: "subscribe", workflow_id: "theirs", owner_id: owner.user_id }, "subscribed")).type).toBe("subscribed");
		expect((await client.request({ action: "subscribe", execution_id: run.body.execution_id }, "subscribed")).type).toBe("subscribed");

		await node.http.patch(`/api/v3/auth/users/${boss.user_id}`).set(admin.auth).send({ roles: ["user"] }).expect(200);
		// The subscriptions the new role does not allow are dropped, and the client is told.
		await client.waitFor(m => m.type === "unsubscribed" && m.data.workflow_id === "theirs" && m.data.reason === "access_changed");
		await client.waitFor(m => m.type === "unsubscribed" && m.data.execution_id === run.body.execution_id && m.data.reason === "access_changed");
		const listed = await call("execution.list", { page_size: 100 });
		expect(listed.err).toBeNull();
		expect(listed.res.executions!.filter(e => e.owner_id !== boss.user_id)).toEqual([]);
		expect((await client.request({ action: "subscribe", workflow_id: "theirs", owner_id: owner.user_id }, "subscribed")).data.error).toBe("forbidden");
		await client.close();
	});

	it.each(["websocket", "socketio"] as const)("ends a %s connection when its token expires", async transport => {
		const user = await createUser(node.http);
		const keys = runtimeOf(node.broker).tokenKeys();
		// A token that lives two seconds (the configured minimum is a minute).
		const { token } = signAccessToken({ ...keys, accessTtlSeconds: 2 }, { id: user.user_id, email: user.email, roles: ["user"] });
		const client = await connectors[transport](node.url, token);
		await client.waitFor(m => m.type === "connected");
		const ended = await client.waitFor(m => m.type === "error" && m.data.error === "session_ended", { timeoutMs: 15_000 });
		expect(ended.data.message).toMatch(/expired/);
	});

	it("closes a connection opened with an API key when the key is revoked", async () => {
		const user = await createUser(node.http);
		const key = await node.http.post("/api/v3/auth/api-keys").set(user.auth).send({ name: "socket" }).expect(201);
		const client = await connectWebSocket(node.url, key.body.key);
		await client.waitFor(m => m.type === "connected");
		await node.http.delete(`/api/v3/auth/api-keys/${key.body.id}`).set(user.auth).expect(204);
		expect((await client.closed).code).toBe(1008);
		expect(client.messages.some(m => m.type === "error" && m.data.error === "session_ended" && /revoked/.test(String(m.data.message)))).toBe(true);
	});

	it.each(["websocket", "socketio"] as const)("limits the requests of a %s connection, and closes one that ignores rate_limited", async transport => {
		const user = await createUser(node.http);
		const client = await connectors[transport](node.url, user.token);
		await client.waitFor(m => m.type === "connected");
		const gone =
			transport === "websocket" ? (client as Awaited<ReturnType<typeof connectWebSocket>>).closed.then(() => true) : disconnected((client as Awaited<ReturnType<typeof connectSocketIo>>).socket).then(() => true);
		for (let i = 0; i < 60; i++) client.send({ action: "ping", request_id: `p${i}` });
		await client.waitFor(m => m.type === "error" && m.data.error === "rate_limited");
		const pongs = client.messages.filter(m => m.type === "pong").length;
		// A burst of at most twice the per-second rate got through.
		expect(pongs).toBeLessThanOrEqual(40 + 2);
		for (let i = 0; i < 300; i++) client.send({ action: "ping" });
		expect(await gone).toBe(true);
	});
});
