import { startTestNode, type TestNode } from "../support/broker";

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
			nats: "not_configured"
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
