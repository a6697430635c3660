import { randomBytes } from "node:crypto";
import supertest from "supertest";
import { describeWith, TEST_NATS_URL } from "../support/env";
import { AUTH_ENV, TEST_PASSWORD, uniqueEmail } from "../support/factories";
import { knowsNode, startNodeProcess, type NodeProcess } from "../support/node-process";
import { createTestDatabase } from "../support/postgres";

/**
 * Three node processes over the real NATS against PostgreSQL: a gateway node and two
 * auth nodes. Requests enter at the gateway, are served on the other nodes, and each
 * request id is on the log lines of both the gateway and the node that served it.
 */
describeWith(["postgres", "nats"])("a cluster of three nodes", () => {
	let db: Awaited<ReturnType<typeof createTestDatabase>>;
	let gateway: NodeProcess;
	let workers: NodeProcess[] = [];

	beforeAll(async () => {
		db = await createTestDatabase();
		const env = {
			...AUTH_ENV,
			TRANSPORTER: TEST_NATS_URL,
			NAMESPACE: `cluster-${randomBytes(4).toString("hex")}`,
			DATABASE_URL: db.url,
			API_HOST: "127.0.0.1",
			API_PORT: "0"
		};
		// Started together: the migration lock makes them migrate once.
		[gateway, ...workers] = await Promise.all([
			startNodeProcess({ ...env, SERVICES: "api-gateway", NODE_ID: "gateway-1" }),
			startNodeProcess({ ...env, SERVICES: "auth", NODE_ID: "auth-1" }),
			startNodeProcess({ ...env, SERVICES: "auth", NODE_ID: "auth-2" })
		]);
		// Wait until the gateway has discovered the auth nodes and routed their actions.
		const http = supertest(gateway.url!);
		for (let i = 0; ; i++) {
			const res = await http.post("/api/v3/auth/login").send({ email: "nobody@example.com", password: "nothing-here" });
			if (res.status === 401) break;
			if (i > 200) throw new Error(`auth never became reachable through the gateway (last ${res.status})`);
			await new Promise(r => setTimeout(r, 100));
		}
		// One answer proves one auth node known: the balance below needs both.
		await Promise.all(["auth-1", "auth-2"].map(id => knowsNode(gateway, id)));
	});

	afterAll(async () => {
		await Promise.all([gateway, ...workers].filter(Boolean).map(n => n.stop()));
		await db?.drop();
	});

	it("serves requests through the gateway on the other nodes, with the request id in both nodes' logs", async () => {
		const http = supertest(gateway.url!);
		const ids: string[] = [];
		for (let i = 0; i < 6; i++) {
			const id = `cluster-req-${randomBytes(6).toString("hex")}`;
			ids.push(id);
			const res = await http.post("/api/v3/auth/register").set("X-Request-ID", id).send({ email: uniqueEmail("cluster"), password: TEST_PASSWORD });
			expect(res.status).toBe(201);
			expect(res.headers["x-request-id"]).toBe(id);
		}
		// Give the last log lines a moment to be flushed by the child processes.
		await Promise.all(ids.map(id => gateway.waitForLog(l => l.request_id === id)));
		const servedBy = await Promise.all(
			ids.map(id => Promise.any(workers.map(w => w.waitForLog(l => l.request_id === id && l.msg === "User registered", 10000).then(() => w))))
		);
		for (const [i, id] of ids.entries()) {
			const gatewayLine = gateway.lines.find(l => l.request_id === id)!;
			const workerLine = servedBy[i].lines.find(l => l.request_id === id)!;
			expect(gatewayLine.node_id).toBe("gateway-1");
			expect(["auth-1", "auth-2"]).toContain(workerLine.node_id);
			// One trace id follows the request across the nodes.
			expect(workerLine.trace_id).toBe(gatewayLine.trace_id);
		}
		// Requests were balanced over both auth nodes.
		expect(new Set(servedBy.map(w => w.pid)).size).toBe(2);
	});

	it("reports NATS and PostgreSQL in the gateway's health", async () => {
		const res = await supertest(gateway.url!).get("/health").expect(200);
		expect(res.body).toMatchObject({ status: "ok", mode: "cluster", nats: "ok", database: "ok" });
	});

	it("authenticates on the gateway with the principal served by an auth node", async () => {
		const http = supertest(gateway.url!);
		const email = uniqueEmail("c-login");
		await http.post("/api/v3/auth/register").send({ email, password: TEST_PASSWORD }).expect(201);
		const login = await http.post("/api/v3/auth/login").send({ email, password: TEST_PASSWORD }).expect(200);
		const me = await http.get("/api/v3/auth/me").set("Authorization", `Bearer ${login.body.access_token}`).expect(200);
		expect(me.body.email).toBe(email);
	});
});
