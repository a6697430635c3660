import { randomBytes } from "node:crypto";
import supertest from "supertest";
import { describeWith, TEST_NATS_URL, TEST_REDIS_URL } from "../support/env";
import { AUTH_ENV, TEST_PASSWORD, uniqueEmail } from "../support/factories";
import { startNodeProcess, type NodeProcess } from "../support/node-process";
import { OtlpReceiver, type ReceivedSpan } from "../support/otlp-receiver";
import { createTestDatabase } from "../support/postgres";
import { promtool, promtoolAvailable } from "../support/promtool";

type Http = ReturnType<typeof supertest>;

const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;

/** What a serving node must run for the traced request, and the request itself: an execute. */
const SERVING_NODE_SERVICES = "auth,workflow,execution,llm";
const SERVED_ACTION = "execution.execute";
function tracedRequest(http: Http, auth: { Authorization: string }) {
	return http.post("/api/v3/workflows/execute").set(auth).send({ workflow_id: "traced", workflow_version: "1.0.0", inputs: {} });
}

/** The workflow the traced execute runs: a fan-out, so a successor may be dispatched to the other execution node. */
const TRACED_STEPS = [
	{ id: "a", type: "transform", params: { expression: "1" } },
	{ id: "b", type: "transform", params: { expression: "steps.a.output + 1" }, depends_on: ["a"] },
	{ id: "c", type: "transform", params: { expression: "steps.a.output + 2" }, depends_on: ["a"] }
];
const EXECUTION_NODES = ["trace-worker", "trace-exec"];

/**
 * The must-show: one request through a gateway node process, served by another
 * node process over NATS, is one trace in an OTLP/HTTP receiver, with spans from both
 * processes and each span's parent where it belongs; the execution's steps, run by the
 * execution nodes (a third process takes what is dispatched to it), are spans of it too.
 */
describeWith(["postgres", "nats", "redis"])("tracing across node processes", () => {
	let receiver: OtlpReceiver;
	let db: Awaited<ReturnType<typeof createTestDatabase>>;
	let gateway: NodeProcess;
	let worker: NodeProcess;
	let exec: NodeProcess;
	let http: Http;

	beforeAll(async () => {
		receiver = await new OtlpReceiver().start();
		db = await createTestDatabase();
		const env = {
			...AUTH_ENV,
			TRANSPORTER: TEST_NATS_URL,
			NAMESPACE: `trace-${randomBytes(4).toString("hex")}`,
			DATABASE_URL: db.url,
			REDIS_URL: TEST_REDIS_URL,
			API_HOST: "127.0.0.1",
			API_PORT: "0",
			OBSERVABILITY_METRICS_PORT: "0",
			OBSERVABILITY_ENABLE_TRACING: "true",
			OBSERVABILITY_OTLP_ENDPOINT: receiver.url,
			OBSERVABILITY_TRACE_SAMPLE_RATIO: "1",
			// Export every 100 ms rather than every 5 s.
			OTEL_BSP_SCHEDULE_DELAY: "100"
		};
		// One step at a time per execution node: of a fan-out, one successor runs where its predecessor did, the other is dispatched.
		[gateway, worker] = await Promise.all([
			startNodeProcess({ ...env, SERVICES: "api-gateway", NODE_ID: "trace-gateway" }),
			startNodeProcess({ ...env, SERVICES: SERVING_NODE_SERVICES, NODE_ID: "trace-worker", ENGINE_WORKER_CONCURRENCY: "1" })
		]);
		http = supertest(gateway.url!);
		// Until a node offering a service is discovered, the gateway answers its routes 503: wait for the execution and auth
		// services (discovery takes longer on a loaded machine).
		for (const until = Date.now() + 60000; ; ) {
			const execute = await http.post("/api/v3/workflows/execute").send({});
			const register = await http.post("/api/v3/auth/register").send({});
			if (execute.status === 401 && register.status === 422) break;
			if (Date.now() > until) throw new Error(`the services never became reachable through the gateway (last ${execute.status}, ${register.status})`);
			await new Promise(r => setTimeout(r, 100));
		}
		// Started once the gateway knows the worker: the first execute call goes to the worker, the
		// first endpoint the gateway found (both started together, it went to either: it failed once).
		exec = await startNodeProcess({ ...env, SERVICES: "execution", NODE_ID: "trace-exec", ENGINE_WORKER_CONCURRENCY: "1" });
	});

	afterAll(async () => {
		await Promise.all([gateway, worker, exec].filter(Boolean).map(n => n.stop()));
		await db?.drop();
		await receiver?.stop();
	});

	// Its waits are for spans to arrive: bounds on failure only, generous for a loaded machine.
	it("yields one trace with spans from the gateway, the serving node and each step on the node that ran it, each under its parent", async () => {
		const email = uniqueEmail("trace");
		await http.post("/api/v3/auth/register").send({ email, password: TEST_PASSWORD }).expect(201);
		const login = await http.post("/api/v3/auth/login").send({ email, password: TEST_PASSWORD }).expect(200);
		await http
			.post("/api/v3/workflows")
			.set("Authorization", `Bearer ${login.body.access_token}`)
			.send({ workflow_id: "traced", version: "1.0.0", steps: TRACED_STEPS })
			.expect(201);

		// The client starts the trace: its span id must be the parent of the gateway's span.
		const traceId = randomBytes(16).toString("hex");
		const clientSpanId = randomBytes(8).toString("hex");
		const res = await tracedRequest(http, { Authorization: `Bearer ${login.body.access_token}` }).set("traceparent", `00-${traceId}-${clientSpanId}-01`);
		expect(res.status).toBeLessThan(300);

		const isServed = (s: ReceivedSpan) => s.node === "trace-worker" && s.name === SERVED_ACTION && s.kind === SPAN_KIND.server;
		const stepNames = TRACED_STEPS.map(s => `step ${s.id}`);
		// Each process exports in batches of its own, on its own schedule: a span may come before its parent (which ends
		// later) or after its children. Wait until the trace holds what the test reads and every span's parent is in it.
		const root = (spans: ReceivedSpan[]) => spans.find(s => s.node === "trace-gateway" && s.kind === SPAN_KIND.server);
		const missing = (all: ReceivedSpan[]): string[] => {
			const spans = all.filter(s => s.traceId === traceId);
			const ids = new Set(spans.map(s => s.spanId));
			const top = root(spans);
			const steps = spans.filter(s => stepNames.includes(s.name));
			return [
				...(top ? [] : ["the gateway's SERVER span"]),
				...(spans.some(isServed) ? [] : [`the SERVER span of ${SERVED_ACTION}`]),
				...stepNames.filter(name => !steps.some(s => s.name === name)),
				...steps.filter(step => !spans.some(s => s.parentSpanId === step.spanId && s.attributes["db.system.name"] === "postgresql")).map(s => `the SQL of ${s.name}`),
				...spans.filter(s => s !== top && !ids.has(s.parentSpanId ?? "")).map(s => `the parent of ${s.node}:${s.name}`)
			];
		};
		// A bound for a failure only: on a loaded machine the exporters' batches take longer.
		await receiver.waitFor(all => missing(all).length === 0, 60000).catch(err => {
			throw new Error(`${(err as Error).message.split(";")[0]}; still missing: ${missing(receiver.spans).join(", ")}`);
		});
		const spans = receiver.trace(traceId);
		const byId = new Map(spans.map(s => [s.spanId, s]));
		const describe = (s: ReceivedSpan) => `${s.node}:${s.name}`;

		// The gateway and the serving node contributed, and nothing but the execution nodes did.
		const nodes = new Set(spans.map(s => s.node));
		expect([...nodes]).toEqual(expect.arrayContaining(["trace-gateway", "trace-worker"]));
		expect([...nodes].filter(n => n !== "trace-gateway" && !EXECUTION_NODES.includes(n))).toEqual([]);

		// The gateway's HTTP span is the root of our part of the trace, under the client's span.
		const top = root(spans)!;
		expect(top.name).toMatch(/^GET \/api\/v3\/auth\/me$|^POST \/api\/v3\/workflows\/execute$/);
		expect(top.parentSpanId).toBe(clientSpanId);
		expect(top.attributes["http.response.status_code"]).toBe(res.status);

		// Every other span hangs under a span of this trace: one tree.
		for (const s of spans) if (s !== top) expect(byId.has(s.parentSpanId ?? "") ? describe(s) : `${describe(s)} has no parent in the trace`).toBe(describe(s));

		// The call crossed NATS: a CLIENT span on the gateway is the parent of the SERVER span on the worker.
		const served = spans.find(isServed)!;
		const call = byId.get(served.parentSpanId!)!;
		expect(call).toMatchObject({ node: "trace-gateway", kind: SPAN_KIND.client, name: SERVED_ACTION });
		// …and that CLIENT span descends from the HTTP span.
		let up: ReceivedSpan | undefined = call;
		while (up && up !== top) up = byId.get(up.parentSpanId ?? "");
		expect(up).toBe(top);

		// The worker's own work is inside its SERVER span: the SQL statement (PostgreSQL) and the Redis cache lookup.
		const under = (s: ReceivedSpan, ancestor: ReceivedSpan): boolean => {
			for (let p = byId.get(s.parentSpanId ?? ""); p; p = byId.get(p.parentSpanId ?? "")) if (p === ancestor) return true;
			return false;
		};
		const sql = spans.filter(s => s.attributes["db.system.name"] === "postgresql" && under(s, served));
		expect(sql.map(s => s.name)).toEqual(expect.arrayContaining(["select workflows", "insert executions", "insert step_runs"]));
		for (const s of sql) expect(String(s.attributes["db.query.text"])).not.toContain(email);

		// Each step is one span, on the execution node that ran it, a child of the execute action's SERVER span,
		// whichever node dispatched it; its transition's SQL is inside it.
		const steps = spans.filter(s => s.name.startsWith("step "));
		expect(steps.map(s => s.name).sort()).toEqual(stepNames);
		for (const step of steps) {
			const id = step.name.slice("step ".length);
			expect(EXECUTION_NODES).toContain(step.node);
			expect({ step: step.name, parent: step.parentSpanId, kind: step.kind }).toEqual({ step: step.name, parent: served.spanId, kind: SPAN_KIND.internal });
			expect(step.attributes).toMatchObject({
				"cognitionos.execution.id": res.body.execution_id,
				"cognitionos.workflow.id": "traced",
				"cognitionos.step.id": id,
				"cognitionos.step.type": "transform",
				"cognitionos.step.attempt": 1,
				"cognitionos.step.status": "completed"
			});
			expect(spans.some(s => s.parentSpanId === step.spanId && s.node === step.node && s.attributes["db.system.name"] === "postgresql")).toBe(true);
		}
		// Redis commands are spans too: a sign-in reads the failed-login counters there.
		const loginTrace = randomBytes(16).toString("hex");
		await http.post("/api/v3/auth/login").set("traceparent", `00-${loginTrace}-${randomBytes(8).toString("hex")}-01`).send({ email, password: TEST_PASSWORD }).expect(200);
		const isSignIn = (s: ReceivedSpan) => s.traceId === loginTrace && s.node === "trace-worker" && s.name === "auth.login" && s.kind === SPAN_KIND.server;
		const redisUnderSignIn = (all: ReceivedSpan[]) => {
			const signIn = all.find(isSignIn);
			const loginById = new Map(all.filter(s => s.traceId === loginTrace).map(s => [s.spanId, s]));
			return all.filter(s => {
				if (!signIn || s.traceId !== loginTrace || !(s.attributes["db.system"] === "redis" || s.attributes["db.system.name"] === "redis")) return false;
				for (let p = loginById.get(s.parentSpanId ?? ""); p; p = loginById.get(p.parentSpanId ?? "")) if (p === signIn) return true;
				return false;
			});
		};
		// A Redis span ends before the spans above it (the action's SERVER span, and those between), which may come in
		// later batches: wait until its whole ancestry up to the sign-in is there.
		const loginSpans = await receiver.waitFor(all => redisUnderSignIn(all).length > 0, 60000);
		expect(redisUnderSignIn(loginSpans).map(s => s.name)).toContain("get");
		expect(receiver.rejected).toEqual([]);
	}, 180000);

	it("puts the trace and span ids of the active span on the log lines of both nodes", async () => {
		const traceId = randomBytes(16).toString("hex");
		const requestId = `trace-log-${randomBytes(4).toString("hex")}`;
		await http
			.post("/api/v3/auth/register")
			.set("X-Request-ID", requestId)
			.set("traceparent", `00-${traceId}-${randomBytes(8).toString("hex")}-01`)
			.send({ email: uniqueEmail("logs"), password: TEST_PASSWORD })
			.expect(201);
		const workerLine = await worker.waitForLog(l => l.request_id === requestId && l.msg === "User registered");
		const gatewayLine = await gateway.waitForLog(l => l.request_id === requestId);
		expect(workerLine).toMatchObject({ trace_id: traceId, node_id: "trace-worker", service: "auth", span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
		expect(gatewayLine).toMatchObject({ trace_id: traceId, node_id: "trace-gateway", span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
		// The worker's span_id is the span it logged from: the SERVER span of auth.register.
		const spans = await receiver.waitFor(all => all.some(s => s.traceId === traceId && s.spanId === workerLine.span_id), 60000);
		expect(spans.find(s => s.spanId === workerLine.span_id)).toMatchObject({ node: "trace-worker", name: "auth.register", kind: SPAN_KIND.server });
	});

	it("has each node expose its own metrics: the gateway on its API port, the worker on its metrics port", async () => {
		const gatewayText = (await http.get("/metrics").expect(200)).text;
		expect(gatewayText).toContain('node_id="trace-gateway"');
		expect(worker.metricsUrl).toBeDefined();
		const workerText = (await supertest(worker.metricsUrl!.replace(/\/metrics$/, "")).get("/metrics").expect(200)).text;
		expect(workerText).toContain('node_id="trace-worker"');
		expect(workerText).toMatch(/^db_queries_total\{operation="select",table="users"\} \d+/m);
		expect(workerText).toMatch(/^db_pool_connections\{state="idle"\} \d+/m);
		if (promtoolAvailable()) for (const text of [gatewayText, workerText]) expect(promtool(["check", "metrics"], text)).toEqual({ code: 0, output: "" });
	});
});
