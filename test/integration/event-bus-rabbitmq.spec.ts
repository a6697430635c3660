import { randomUUID } from "node:crypto";
import amqp from "amqplib";
import { domainEvent } from "../../lib/events/outbox";
import { handlerQueueArguments, retryQueueArguments } from "../../lib/events/topology";
import { eventBusHarness, eventually, finishedExecution, postWorkflow, runWorkflow, waitFor, type EventBusHarness } from "../support/event-bus-harness";
import { defineEventBusSuite } from "../support/event-bus-suite";
import { available, TEST_RABBITMQ_URL } from "../support/env";
import { metricValue } from "../support/metrics";
import { publishRaw, topologyFor } from "../support/rabbitmq";

const suite = available("rabbitmq") ? defineEventBusSuite : (title: string) => describe.skip(title, () => it("needs RabbitMQ", () => undefined));
suite("event bus (through RabbitMQ: outbox → topic exchange → quorum queue per handler)", () => eventBusHarness("amqp"));

const rabbit = available("rabbitmq") ? describe : describe.skip;

rabbit("event bus on RabbitMQ: topology, foreign messages, repeats", () => {
	let h: EventBusHarness;

	beforeAll(async () => {
		h = await eventBusHarness("amqp");
	});
	afterAll(() => h?.stop());

	/** Runs `fn` on a channel of its own: a refused declaration closes the channel it was made on. */
	const onChannel = async <T>(fn: (ch: amqp.Channel) => Promise<T>): Promise<T> => {
		const conn = await amqp.connect(TEST_RABBITMQ_URL);
		conn.on("error", () => undefined);
		try {
			const ch = await conn.createChannel();
			ch.on("error", () => undefined);
			return await fn(ch);
		} finally {
			await conn.close().catch(() => undefined);
		}
	};

	it("declares a durable topic exchange, a dead-letter exchange and queue, and a consumed quorum queue per handler with its retry queues", async () => {
		const t = topologyFor(h.node.config);
		expect(t.exchange).toBe(h.node.config.RABBITMQ_EXCHANGE);
		expect(t.deadLetterExchange).toBe(`${t.exchange}.dlx`);
		expect(t.deadLetterQueue).toBe(`${t.exchange}.dead_letter`);
		// Declaring with the same properties is accepted; with other ones refused (406): this is what exists.
		await onChannel(ch => ch.assertExchange(t.exchange, "topic", { durable: true }));
		await onChannel(ch => ch.assertExchange(t.deadLetterExchange, "topic", { durable: true }));
		await expect(onChannel(ch => ch.assertExchange(t.exchange, "fanout", { durable: true }))).rejects.toThrow(/PRECONDITION_FAILED/);
		expect(t.handlers.map(q => q.queue)).toEqual(["audit-log", "execution-started", "execution-completed", "execution-failed", "step-statistics"].map(n => `${t.exchange}.${n}`));
		for (const q of t.handlers) {
			await onChannel(ch => ch.assertQueue(q.queue, { durable: true, arguments: handlerQueueArguments(t) }));
			await expect(onChannel(ch => ch.assertQueue(q.queue, { durable: true, arguments: { "x-queue-type": "classic" } }))).rejects.toThrow(/PRECONDITION_FAILED/);
			// A quorum queue reports a new consumer once its leader has registered it: wait for that, not for a moment.
			await eventually(() => onChannel(ch => ch.checkQueue(q.queue)), r => r.consumerCount === 1, `one consumer on ${q.queue}`);
			// 100 ms and 200 ms: one retry queue per backoff wait of EVENT_HANDLER_RETRY_* (3 tries).
			expect(q.retryQueues.map(r => r.queue)).toEqual([`${q.queue}.retry.100ms`, `${q.queue}.retry.200ms`]);
			for (const r of q.retryQueues) await onChannel(ch => ch.assertQueue(r.queue, { durable: true, arguments: retryQueueArguments(q, r.delayMs) }));
		}
		await eventually(() => onChannel(ch => ch.checkQueue(t.deadLetterQueue)), r => r.consumerCount === 1, "one consumer on the dead-letter queue");
	});

	it("publishes each run's events in order, persistent, with the event id as message id and the event type as routing key", async () => {
		const exchange = h.node.config.RABBITMQ_EXCHANGE;
		const probe = `${exchange}.probe`;
		await onChannel(async ch => {
			await ch.assertQueue(probe, { durable: false, autoDelete: false });
			await ch.bindQueue(probe, exchange, "#");
		});
		try {
			await postWorkflow(h.http, h.user, {
				workflow_id: "ordered",
				version: "1.0.0",
				steps: [
					{ id: "a", type: "transform", params: { expression: "1" } },
					{ id: "b", type: "transform", params: { expression: "2" }, depends_on: ["a"] },
					{ id: "c", type: "transform", params: { expression: "3" }, depends_on: ["b"] }
				]
			});
			const runs = await Promise.all(Array.from({ length: 40 }, () => runWorkflow(h.http, h.user, "ordered")));
			for (const run of runs) await finishedExecution(h.http, h.user, run);
			await waitFor(async () => Number((await h.db.sql.all<{ n: unknown }>("SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL"))[0].n) === 0, "the outbox to drain");
			const messages = await onChannel(async ch => {
				const got: amqp.GetMessage[] = [];
				for (let m = await ch.get(probe, { noAck: true }); m; m = await ch.get(probe, { noAck: true })) got.push(m);
				return got;
			});
			const seqs = new Map<string, number[]>();
			for (const m of messages) {
				const e = JSON.parse(m.content.toString()) as { event_id: string; event_type: string; aggregate_id: string; seq?: number };
				expect(m.properties).toMatchObject({ messageId: e.event_id, type: e.event_type, deliveryMode: 2, contentType: "application/json" });
				expect(m.fields.routingKey).toBe(e.event_type);
				if (runs.includes(e.aggregate_id)) seqs.set(e.aggregate_id, [...(seqs.get(e.aggregate_id) ?? []), e.seq!]);
			}
			// Every run's 8 events arrived once each, in the order the engine numbered them.
			expect(seqs.size).toBe(runs.length);
			for (const run of runs) expect(seqs.get(run)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		} finally {
			await onChannel(ch => ch.deleteQueue(probe));
		}
	});

	it("sends a message that is not JSON straight to the dead-letter queue, with the error in its headers", async () => {
		const messageId = randomUUID();
		await publishRaw(TEST_RABBITMQ_URL, h.node.config.RABBITMQ_EXCHANGE, [{ routingKey: "WorkflowExecutionFailed", content: "{not json", messageId }]);
		const dead = await eventually(
			async () => (await h.http.get("/api/v3/events/dead-letters").query({ handler: "execution-failed" }).set(h.admin.auth)).body,
			b => b.dead_letters.some((d: { event_id: string }) => d.event_id === messageId),
			"the dead letter"
		);
		const letter = dead.dead_letters.find((d: { event_id: string }) => d.event_id === messageId);
		expect(letter).toMatchObject({ event_type: "WorkflowExecutionFailed", attempts: 1, payload: "{not json", error: { type: "malformed_event", message: "The message body is not JSON" } });
		expect(letter.headers).toMatchObject({ "x-handler": "execution-failed", "x-attempts": 1, "x-error-type": "malformed_event", "x-dead-letter-id": letter.id });
	});

	it("handles a message published twice with one event id once", async () => {
		const event = domainEvent("WorkflowExecutionStarted", { type: "execution", id: randomUUID() }, { execution_id: randomUUID(), workflow_id: "twice", workflow_version: "1.0.0", owner_id: h.user.user_id, trigger: "api" });
		const duplicates = () => metricValue(h.node.broker, "events_duplicates_total", { event_type: "WorkflowExecutionStarted", handler: "execution-started" });
		const before = duplicates();
		const message = { routingKey: event.event_type, content: JSON.stringify(event), messageId: event.event_id };
		await publishRaw(TEST_RABBITMQ_URL, h.node.config.RABBITMQ_EXCHANGE, [message, message]);
		await waitFor(() => duplicates() === before + 1, "the second copy to be recognised");
		const rows = await h.db.sql.all<{ n: unknown }>("SELECT COUNT(*) AS n FROM audit_log WHERE event_id = $1", [event.event_id]);
		expect(Number(rows[0].n)).toBe(1);
	});
});
