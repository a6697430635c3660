import { RETRY_AFTER_SECONDS } from "../../lib/errors";
import { restRoutes } from "../../lib/route-catalog";
import { runtimeOf } from "../../lib/runtime";
import { startTestNode, type TestNode } from "../support/broker";
import { createUser, type TestUser } from "../support/factories";
import { freePort } from "../support/ports";

describe("API gateway (embedded)", () => {
	let node: TestNode;

	beforeAll(async () => {
		node = await startTestNode({ env: { API_CORS_ORIGINS: "https://app.example.com", API_BODY_LIMIT: "1kb" } });
	});
	afterAll(() => node.stop());

	it("GET /health checks the database and reports what is not configured", async () => {
		const res = await node.http.get("/health").expect(200);
		expect(res.body).toMatchObject({
			status: "ok",
			version: node.config.version,
			mode: "embedded",
			database: "ok",
			redis: "not_configured",
			rabbitmq: "not_configured",
			nats: "not_configured",
			disk: "ok",
			degraded: []
		});
		expect(Date.parse(res.body.timestamp)).not.toBeNaN();
	});

	it("serves liveness and readiness probes", async () => {
		await node.http.get("/health/live").expect(200, { status: "ok" });
		const ready = await node.http.get("/health/ready").expect(200);
		expect(ready.body).toMatchObject({ status: "ready", routes: true, database: "ok" });
	});

	it("answers unknown routes with 404 in the API's error format", async () => {
		const res = await node.http.get("/api/v3/nothing-here").expect(404);
		expect(res.body).toEqual({ error: "not_found", message: "Not found", trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
		expect(res.headers["content-type"]).toContain("application/json");
	});

	it("does not expose the gateway's route table", async () => {
		await node.http.get("/api/v3/api/list-aliases").expect(404);
	});

	it("returns the client's X-Request-ID and logs it on the request's lines", async () => {
		const res = await node.http.get("/health").set("X-Request-ID", "req-test-42").expect(200);
		expect(res.headers["x-request-id"]).toBe("req-test-42");
		const lines = node.logs.lines.filter(l => l.request_id === "req-test-42");
		expect(lines.length).toBeGreaterThan(0);
		expect(lines.every(l => typeof l.trace_id === "string")).toBe(true);
	});

	it("generates a request id when none (or a malformed one) is sent", async () => {
		const a = await node.http.get("/health/live").expect(200);
		expect(a.headers["x-request-id"]).toMatch(/^[0-9a-f]{24}$/);
		const b = await node.http.get("/health/live").set("X-Request-ID", "bad id with spaces").expect(200);
		expect(b.headers["x-request-id"]).toMatch(/^[0-9a-f]{24}$/);
	});

	it("takes the trace id from a W3C traceparent header", async () => {
		const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		const res = await node.http.get("/api/v3/missing").set("traceparent", `00-${traceId}-00f067aa0ba902b7-01`).expect(404);
		expect(res.body.trace_id).toBe(traceId);
	});

	it("logs every refused request at info level with the trace id of its answer, tracing off as on", async () => {
		const res = await node.http
			.get("/api/v3/workflows/executions/some-id?api_key=query-secret-value")
			.set("X-Request-ID", "req-refused-7")
			.set("Authorization", "Bearer header-secret-value")
			.expect(401);
		const lines = node.logs.lines.filter(l => l.trace_id === res.body.trace_id && l.msg === "Request refused");
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatchObject({
			level: "info",
			status: 401,
			error: res.body.error,
			method: "GET",
			route: "/api/v3/workflows/executions/{id}",
			request_id: "req-refused-7"
		});
		expect(node.logs.raw.filter(l => l.includes("secret-value"))).toEqual([]);
	});

	it("refuses a body over the configured limit with 413", async () => {
		const res = await node.http
			.post("/api/v3/anything")
			.set("Content-Type", "application/json")
			.send(JSON.stringify({ blob: "x".repeat(4096) }));
		expect(res.status).toBe(413);
		expect(res.body.error).toBe("payload_too_large");
	});

	it("refuses malformed JSON with 400 naming the body", async () => {
		const res = await node.http.post("/api/v3/anything").set("Content-Type", "application/json").send('{"a": ');
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({ error: "invalid_body", detail: [{ path: "body" }] });
	});

	it("answers CORS preflights for configured origins only", async () => {
		const ok = await node.http
			.options("/api/v3/anything")
			.set("Origin", "https://app.example.com")
			.set("Access-Control-Request-Method", "POST");
		expect(ok.headers["access-control-allow-origin"]).toBe("https://app.example.com");
		const other = await node.http
			.options("/api/v3/anything")
			.set("Origin", "https://evil.example.com")
			.set("Access-Control-Request-Method", "POST");
		expect(other.headers["access-control-allow-origin"]).toBeUndefined();
	});
});

describe("API gateway with a configured dependency down", () => {
	let node: TestNode;
	let port: number;

	beforeAll(async () => {
		// Nothing listens on this port: the configured RabbitMQ is down.
		port = await freePort();
		node = await startTestNode({ services: ["api-gateway"], env: { RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${port}` } });
	});
	afterAll(() => node.stop());

	it("answers /health with 200 degraded, naming the dependency without its error text", async () => {
		const res = await node.http.get("/health").expect(200);
		expect(res.body).toEqual({
			status: "degraded",
			version: node.config.version,
			timestamp: expect.any(String),
			node_id: node.broker.nodeID,
			mode: "embedded",
			database: "ok",
			redis: "not_configured",
			rabbitmq: "down",
			nats: "not_configured",
			disk: "ok",
			degraded: ["rabbitmq"]
		});
		expect(JSON.stringify(res.body)).not.toContain(String(port));
	});

	it("stays ready: RabbitMQ down degrades the node but the API works (the outbox keeps the events)", async () => {
		const res = await node.http.get("/health/ready").expect(200);
		expect(res.body).toMatchObject({ status: "ready", routes: true, database: "ok", rabbitmq: "down", degraded: ["rabbitmq"] });
		expect(JSON.stringify(res.body)).not.toContain(String(port));
	});

	it("logs why the dependency is down", () => {
		const line = node.logs.lines.find(l => l.msg === "Health check failed" && l.dependency === "rabbitmq");
		expect(line).toBeDefined();
		expect(JSON.stringify(line)).toContain(String(port));
	});
});

describe("API gateway with a service that no node offers", () => {
	let node: TestNode;
	let user: TestUser;

	beforeAll(async () => {
		// No execution service anywhere: its routes must still be routes, answered 503.
		node = await startTestNode({ services: ["api-gateway", "auth", "workflow"] });
		user = await createUser(node.http);
	});
	afterAll(() => node.stop());

	it("answers its routes 503 naming the service, with Retry-After, never 404", async () => {
		const execute = await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "w", workflow_version: "1.0.0" });
		expect(execute.status).toBe(503);
		expect(execute.headers["retry-after"]).toBe(String(RETRY_AFTER_SECONDS));
		expect(execute.body).toEqual({
			error: "service_unavailable",
			message: "The execution service is not available on any node right now; try again shortly",
			detail: { service: "execution" },
			trace_id: expect.any(String)
		});
		for (const path of ["/api/v3/workflows/executions", "/api/v3/workflows/executions/0b6c6f2e-6e55-4c3c-9d1a-1b7c1b1c1b1c"]) {
			const res = await node.http.get(path).set(user.auth);
			expect([path, res.status, res.body.detail]).toEqual([path, 503, { service: "execution" }]);
		}
	});

	it("never lets another service's pattern capture them (the workflow service's /workflows/:id/:version)", async () => {
		const res = await node.http.get("/api/v3/workflows/executions/1.0.0").set(user.auth);
		expect(res.status).toBe(503);
		expect(res.body.message).not.toMatch(/Workflow executions/);
	});

	it("still answers 404 for paths that are no route at all, and serves the services that are there", async () => {
		await node.http.get("/api/v3/no-such-thing").set(user.auth).expect(404);
		await node.http.get("/api/v3/workflows").set(user.auth).expect(200);
	});

	it("reserves the workflow ids that are API paths", async () => {
		const res = await node.http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({ workflow_id: "Executions", version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
		expect(res.status).toBe(422);
		expect(res.body.detail).toEqual([{ path: "workflow_id", message: '"Executions" is reserved: it names an API path (/api/v3/workflows/executions)' }]);
	});
});

describe("API gateway route table", () => {
	let node: TestNode;

	beforeAll(async () => {
		node = await startTestNode();
	});
	afterAll(() => node.stop());

	it("knows every route the services declare: with all of them running, the known routes are exactly the live ones", async () => {
		const live = (await node.broker.call("api.listAliases")) as { actionName?: string; methods: string; fullPath: string; routePath: string }[];
		const fromServices = live.filter(a => a.routePath === "/api/v3").map(a => `${a.methods} ${a.fullPath} ${a.actionName}`);
		const known = restRoutes(runtimeOf(node.broker).serviceCatalog!()).map(r => `${r.method} /api/v3/${r.path} ${r.action}`);
		expect(fromServices.sort()).toEqual(known.sort());
	});
});
