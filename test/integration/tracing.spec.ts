import { randomBytes } from "node:crypto";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import amqp from "amqplib";
import type { Context, ServiceSchema } from "moleculer";
import { tracedConsume, tracedPublish } from "../../lib/observability/amqp";
import { context, flushTracing, SpanKind, SpanStatusCode, startTracing, stopTracing, trace, tracer } from "../../lib/observability/tracing";
import { runtimeOf } from "../../lib/runtime";
import { startTestNode, type TestNode } from "../support/broker";
import { describeWith, TEST_RABBITMQ_URL } from "../support/env";
import { AUTH_ENV, createUser } from "../support/factories";
import { FakeLlmServer } from "../support/fake-llm-server";
import { OPENAI_KEY } from "../support/llm-client";

/**
 * Spans in one process, caught by an in-memory exporter: the HTTP request, actions and
 * events, the LLM call and its outgoing HTTP request, AMQP publish and consume. The
 * trace across node processes is test/cluster/tracing.spec.ts.
 */
const exporter = new InMemorySpanExporter();

const ProbeService: ServiceSchema = {
	name: "probe",
	actions: {
		boom: {
			rest: "GET /boom",
			auth: "public",
			handler() {
				throw new Error("kaput");
			}
		},
		announce: {
			rest: "POST /announce",
			auth: "public",
			async handler(ctx: Context) {
				await ctx.emit("probe.announced", { at: Date.now() });
				return { ok: true };
			}
		}
	},
	events: {
		"probe.announced"() {
			return undefined;
		}
	}
};

async function finished(): Promise<ReadableSpan[]> {
	await flushTracing();
	return exporter.getFinishedSpans();
}

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** Waits until the finished spans satisfy `done` (a step's span ends just after its transition commits). */
async function spansUntil(done: (spans: ReadableSpan[]) => boolean, timeoutMs = 10000): Promise<ReadableSpan[]> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const spans = await finished();
		if (done(spans)) return spans;
		if (Date.now() > until) throw new Error(`The expected spans did not end within ${timeoutMs} ms; ended: ${spans.map(s => s.name).join(", ")}`);
		await new Promise(r => setTimeout(r, 50));
	}
}

describe("tracing in one process", () => {
	let node: TestNode;
	let llm: FakeLlmServer;

	beforeAll(async () => {
		startTracing({ serviceName: "cognitionos", version: "test", nodeId: "trace-test", environment: "test", endpoint: "http://127.0.0.1:9", sampleRatio: 1, exporter });
		llm = await new FakeLlmServer().start();
		node = await startTestNode({
			env: {
				...AUTH_ENV,
				OBSERVABILITY_ENABLE_TRACING: "true",
				OBSERVABILITY_OTLP_ENDPOINT: "http://127.0.0.1:9",
				LLM_OPENAI_API_KEY: OPENAI_KEY,
				LLM_OPENAI_BASE_URL: llm.baseURL("openai"),
				LLM_DEFAULT_PROVIDER: "openai"
			},
			extraServices: [ProbeService]
		});
	});
	afterAll(async () => {
		await node?.stop();
		await llm?.stop();
		await stopTracing();
	});
	beforeEach(() => exporter.reset());

	it("names an unmatched request's span by one fixed label, and its error answer carries the trace id", async () => {
		const res = await node.http.get("/api/v3/nothing/here/42").expect(404);
		const span = (await finished()).find(s => s.kind === SpanKind.SERVER)!;
		expect(span.name).toBe("GET unmatched");
		expect(span.attributes["url.path"]).toBe("/api/v3/nothing/here/42");
		expect(res.body.trace_id).toBe(span.spanContext().traceId);
	});

	it("keeps the query string out of the span (it may hold a token)", async () => {
		await node.http.get("/health/live?token=secret-value").expect(200);
		const span = (await finished()).find(s => s.kind === SpanKind.SERVER)!;
		expect(span.name).toBe("GET /health/live");
		expect(JSON.stringify(span.attributes)).not.toContain("secret-value");
	});

	it("marks a 5xx as an error on the request span and the action span, under one trace id", async () => {
		const res = await node.http.get("/api/v3/probe/boom").expect(500);
		const spans = await finished();
		const http = spans.find(s => s.kind === SpanKind.SERVER)!;
		const action = spans.find(s => s.name === "probe.boom")!;
		expect(http.name).toBe("GET /api/v3/probe/boom");
		expect(http.status.code).toBe(SpanStatusCode.ERROR);
		expect(action.status.code).toBe(SpanStatusCode.ERROR);
		expect(action.events.some(e => e.name === "exception")).toBe(true);
		expect(parentOf(action)).toBe(http.spanContext().spanId);
		expect(res.body.trace_id).toBe(http.spanContext().traceId);
		// The error log line carries the same ids.
		const line = node.logs.lines.find(l => l.msg === "Request failed" && l.trace_id === res.body.trace_id);
		expect(line).toBeDefined();
	});

	it("writes one info line for a refused request with the ids its answer carries, its route template and error, and no secrets", async () => {
		const requestId = `refused-${randomBytes(4).toString("hex")}`;
		const res = await node.http
			.post("/api/v3/auth/login?token=query-secret-value")
			.set("X-Request-ID", requestId)
			.set("Authorization", "Bearer header-secret-value")
			.send({ email: "nobody@example.com", password: "body-secret-value" });
		expect(res.status).toBeGreaterThanOrEqual(400);
		expect(res.status).toBeLessThan(500);
		const lines = node.logs.lines.filter(l => l.trace_id === res.body.trace_id && l.msg === "Request refused");
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatchObject({ level: "info", status: res.status, error: res.body.error, method: "POST", route: "/api/v3/auth/login", request_id: requestId });
		expect(node.logs.raw.filter(l => l.includes("secret-value"))).toEqual([]);

		// A request no route matches: the route is one fixed label, the ids those of the answer.
		const unmatched = await node.http.get("/api/v3/no/such/route/42").expect(404);
		expect(node.logs.lines.find(l => l.trace_id === unmatched.body.trace_id && l.msg === "Request refused")).toMatchObject({
			level: "info",
			status: 404,
			error: "not_found",
			method: "GET",
			route: "unmatched",
			request_id: unmatched.headers["x-request-id"] ?? expect.any(String)
		});
	});

	it("exports nothing of a trace its caller did not sample, yet its id is in the answer and the log lines", async () => {
		const traceId = randomBytes(16).toString("hex");
		const res = await node.http.get("/api/v3/probe/boom").set("traceparent", `00-${traceId}-${randomBytes(8).toString("hex")}-00`).expect(500);
		expect(res.body.trace_id).toBe(traceId);
		expect((await finished()).filter(s => s.spanContext().traceId === traceId)).toEqual([]);
		expect(node.logs.lines.find(l => l.msg === "Request failed" && l.trace_id === traceId)).toBeDefined();
	});

	it("puts an event handler's span under the action that emitted it", async () => {
		await node.http.post("/api/v3/probe/announce").send({}).expect(200);
		const spans = await finished();
		const action = spans.find(s => s.name === "probe.announce")!;
		const event = spans.find(s => s.name === "event probe.announced")!;
		expect(event.kind).toBe(SpanKind.CONSUMER);
		expect(parentOf(event)).toBe(action.spanContext().spanId);
		expect(event.spanContext().traceId).toBe(action.spanContext().traceId);
	});

	it("traces an LLM call: the provider attempt as a CLIENT span with token counts, its HTTP request beneath", async () => {
		await tracer().startActiveSpan("test root", async root => {
			await node.broker.call("llm.complete", { prompt: "Say hello to the tracer" });
			root.end();
		});
		const spans = await finished();
		const action = spans.find(s => s.name === "llm.complete")!;
		const attempt = spans.find(s => s.name.startsWith("llm openai "))!;
		expect(attempt.kind).toBe(SpanKind.CLIENT);
		expect(parentOf(attempt)).toBe(action.spanContext().spanId);
		expect(attempt.attributes).toMatchObject({ "gen_ai.system": "openai", "gen_ai.usage.input_tokens": expect.any(Number), "gen_ai.usage.output_tokens": expect.any(Number) });
		expect(action.attributes).toMatchObject({ "gen_ai.system": "openai", "cognitionos.llm.cost_usd": expect.any(Number) });
		const outgoing = spans.find(s => parentOf(s) === attempt.spanContext().spanId && s.kind === SpanKind.CLIENT)!;
		expect(outgoing).toBeDefined();
		expect(String(outgoing.attributes["url.full"])).toContain(`${llm.url}/v1/chat/completions`);
		// The key never lands in a span.
		expect(JSON.stringify(spans.map(s => s.attributes))).not.toContain(OPENAI_KEY);
	});

	it("makes each step attempt a span under the execute action; a step the sweeper recovered, or one another request released, stays a child of it and links to what brought it", async () => {
		const user = await createUser(node.http, { tag: "steps" });
		const workflowId = `traced-steps-${randomBytes(3).toString("hex")}`;
		await node.http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({
				workflow_id: workflowId,
				version: "1.0.0",
				steps: [
					{ id: "a", type: "transform", params: { expression: "1" } },
					{ id: "gate", type: "approval", depends_on: ["a"] },
					{ id: "b", type: "ai_generate", params: { prompt: "Say hello to step ${{ steps.a.output }}", max_tokens: 50 }, depends_on: ["gate"] }
				]
			})
			.expect(201);
		const executeTrace = randomBytes(16).toString("hex");
		const started = await node.http
			.post("/api/v3/workflows/execute")
			.set(user.auth)
			.set("traceparent", `00-${executeTrace}-${randomBytes(8).toString("hex")}-01`)
			.send({ workflow_id: workflowId, workflow_version: "1.0.0" })
			.expect(202);
		const executionId = started.body.execution_id as string;
		let spans = await spansUntil(all => all.some(s => s.name === "step gate"));
		const execute = spans.find(s => s.name === "execution.execute" && s.spanContext().traceId === executeTrace)!;
		expect(execute).toBeDefined();
		const stepA = spans.find(s => s.name === "step a")!;
		expect(stepA.spanContext().traceId).toBe(executeTrace);
		expect(parentOf(stepA)).toBe(execute.spanContext().spanId);
		expect(stepA.attributes).toMatchObject({
			"cognitionos.execution.id": executionId,
			"cognitionos.workflow.id": workflowId,
			"cognitionos.step.id": "a",
			"cognitionos.step.type": "transform",
			"cognitionos.step.attempt": 1,
			"cognitionos.step.status": "completed"
		});
		// The step's own SQL (its transition) is inside its span.
		expect(spans.some(s => parentOf(s) === stepA.spanContext().spanId && s.attributes["db.system.name"] === "sqlite")).toBe(true);
		const gate = spans.find(s => s.name === "step gate")!;
		expect(parentOf(gate)).toBe(execute.spanContext().spanId);
		expect(gate.attributes["cognitionos.step.status"]).toBe("waiting");
		expect(gate.attributes["cognitionos.step.recoveries"]).toBe(0);

		// The gate's node "dies" holding it: its lease lapses, the sweeper recovers it and the attempt runs again,
		// dispatched from a sweep (a trace of its own), still under the execute action.
		const db = await runtimeOf(node.broker).database();
		await db.sqlTransaction(sql =>
			sql.run("UPDATE step_runs SET waiting_for = NULL, lease_owner = 'gone-node:00000000', lease_expires_at = 1 WHERE execution_id = $1 AND step_id = 'gate'", [executionId])
		);
		spans = await spansUntil(all => all.some(s => s.name === "step gate" && s.attributes["cognitionos.step.recoveries"] === 1));
		const recovered = spans.find(s => s.name === "step gate" && s.attributes["cognitionos.step.recoveries"] === 1)!;
		expect(recovered.spanContext().traceId).toBe(executeTrace);
		expect(parentOf(recovered)).toBe(execute.spanContext().spanId);
		expect(recovered.attributes).toMatchObject({ "cognitionos.step.attempt": 1, "cognitionos.step.status": "waiting" });
		expect(recovered.links).toHaveLength(1);
		expect(recovered.links[0].context.traceId).not.toBe(executeTrace);

		// The approval is another request, another trace: step b, released by it, stays in the run's trace and links to it.
		const approveTrace = randomBytes(16).toString("hex");
		await node.http
			.post(`/api/v3/workflows/executions/${executionId}/steps/gate/approve`)
			.set(user.auth)
			.set("traceparent", `00-${approveTrace}-${randomBytes(8).toString("hex")}-01`)
			.send({})
			.expect(200);
		spans = await spansUntil(all => all.some(s => s.name === "step b"));
		const stepB = spans.find(s => s.name === "step b")!;
		expect(stepB.spanContext().traceId).toBe(executeTrace);
		expect(parentOf(stepB)).toBe(execute.spanContext().spanId);
		expect(stepB.links.map(l => l.context.traceId)).toEqual([approveTrace]);
		expect(stepB.attributes).toMatchObject({ "cognitionos.step.type": "ai_generate", "cognitionos.step.status": "completed" });
		// The step's LLM call is inside its span, and the provider attempt inside that.
		const complete = spans.find(s => s.name === "llm.complete" && parentOf(s) === stepB.spanContext().spanId)!;
		expect(complete).toBeDefined();
		expect(spans.some(s => s.name.startsWith("llm openai ") && parentOf(s) === complete.spanContext().spanId)).toBe(true);
	});

	it("puts SQL statements under the action that ran them, without their values", async () => {
		const email = `trace-sql-${randomBytes(3).toString("hex")}@example.com`;
		await node.http.post("/api/v3/auth/register").send({ email, password: "correct-horse-battery" }).expect(201);
		const spans = await finished();
		const action = spans.find(s => s.name === "auth.register")!;
		const insert = spans.find(s => s.name === "insert users")!;
		expect(parentOf(insert)).toBe(action.spanContext().spanId);
		expect(insert.attributes).toMatchObject({ "db.system.name": "sqlite", "db.operation.name": "insert", "db.collection.name": "users" });
		expect(JSON.stringify(spans.map(s => s.attributes))).not.toContain(email);
	});

	describeWith(["rabbitmq"])("over RabbitMQ", () => {
		let conn: amqp.ChannelModel;
		let channel: amqp.Channel;
		const exchange = `cos-test-trace-${process.pid}-${randomBytes(4).toString("hex")}`;

		beforeAll(async () => {
			conn = await amqp.connect(TEST_RABBITMQ_URL);
			channel = await conn.createChannel();
			await channel.assertExchange(exchange, "topic", { durable: false, autoDelete: true });
		});
		afterAll(async () => {
			await channel?.deleteExchange(exchange).catch(() => undefined);
			await conn?.close();
		});

		it("makes the consumer's span a child of the publisher's, with the trace context in the message headers", async () => {
			const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
			await channel.bindQueue(queue, exchange, "WorkflowCreated");
			const consumed = new Promise<{ traceId?: string; spanId?: string; headers: Record<string, unknown> }>(resolve => {
				void channel.consume(queue, msg => {
					if (!msg) return;
					const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
					// Resolved once the handler's span has ended.
					void tracedConsume({ exchange, routingKey: msg.fields.routingKey, queue }, headers, async () => {
						channel.ack(msg);
						return trace.getSpanContext(context.active());
					}).then(sc => resolve({ traceId: sc?.traceId, spanId: sc?.spanId, headers }));
				});
			});
			let rootTrace = "";
			tracer().startActiveSpan("outbox relay", root => {
				rootTrace = root.spanContext().traceId;
				tracedPublish({ exchange, routingKey: "WorkflowCreated", messageId: "evt-1" }, { "x-source": "test" }, headers =>
					channel.publish(exchange, "WorkflowCreated", Buffer.from("{}"), { headers, persistent: false })
				);
				root.end();
			});
			const got = await consumed;
			expect(got.headers).toMatchObject({ "x-source": "test", traceparent: expect.stringMatching(new RegExp(`^00-${rootTrace}-[0-9a-f]{16}-01$`)) });
			const spans = await finished();
			const publish = spans.find(s => s.kind === SpanKind.PRODUCER)!;
			const process = spans.find(s => s.kind === SpanKind.CONSUMER && s.name === `process ${exchange}`)!;
			expect(publish.name).toBe(`publish ${exchange}`);
			expect(publish.attributes).toMatchObject({ "messaging.system": "rabbitmq", "messaging.rabbitmq.destination.routing_key": "WorkflowCreated", "messaging.message.id": "evt-1" });
			expect(parentOf(process)).toBe(publish.spanContext().spanId);
			expect(got).toMatchObject({ traceId: rootTrace, spanId: process.spanContext().spanId });
		});
	});
});
