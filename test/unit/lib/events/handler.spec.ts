import { deadLetterOf } from "../../../../lib/events/amqp-transport";
import { failureType, HandlerFailure, isFinalFailure, isUnavailable, parseEvent } from "../../../../lib/events/handler";
import { EVENT_HANDLERS } from "../../../../lib/events/handlers";
import { KeyedQueue } from "../../../../lib/events/keyed-queue";
import { topologyOf } from "../../../../lib/events/topology";
import type { ConsumeMessage } from "amqplib";

describe("parseEvent", () => {
	it("takes a flat JSON event", () => {
		const e = parseEvent(Buffer.from(JSON.stringify({ event_id: "e1", event_type: "WorkflowCreated", occurred_at: "2026-01-01T00:00:00.000Z", owner_id: "u" })));
		expect(e).toMatchObject({ event_id: "e1", owner_id: "u" });
	});

	it.each([
		["{nope", "The message body is not JSON"],
		["[1,2]", "The message body is not a JSON object"],
		['{"event_type":"X","occurred_at":"t"}', "The event has no event_id"]
	])("refuses %s for good", (body, message) => {
		let error: unknown;
		try {
			parseEvent(body);
		} catch (err) {
			error = err;
		}
		expect(error).toBeInstanceOf(HandlerFailure);
		expect((error as Error).message).toBe(message);
		expect(isFinalFailure(error)).toBe(true);
		expect(failureType(error)).toBe("malformed_event");
	});

	it("names other errors by their code", () => {
		expect(failureType(Object.assign(new Error("x"), { code: "23503" }))).toBe("23503");
		expect(failureType(new TypeError("x"))).toBe("TypeError");
		expect(failureType(new Error("x"))).toBe("handler_error");
		expect(isFinalFailure(new Error("x"))).toBe(false);
	});
});

describe("isUnavailable", () => {
	it.each([
		[Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), true],
		[Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }), true],
		[Object.assign(new Error("connection failure"), { code: "08006" }), true],
		[new Error("Connection terminated unexpectedly"), true],
		[Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR_WRITE" }), true],
		[Object.assign(new Error("insert or update violates foreign key constraint"), { code: "23503" }), false],
		[Object.assign(new Error("FOREIGN KEY constraint failed"), { code: "SQLITE_CONSTRAINT_FOREIGNKEY" }), false],
		[new HandlerFailure("bad", "malformed_event", true), false]
	])("%s → %s", (err, unavailable) => {
		expect(isUnavailable(err)).toBe(unavailable);
	});
});

describe("deadLetterOf", () => {
	const topology = topologyOf("acme.events", EVENT_HANDLERS, { maxAttempts: 3, minDelay: 100, maxDelay: 400, multiplier: 2 });
	const message = (headers: Record<string, unknown>, content = '{"event_id":"e1","event_type":"StepExecutionCompleted","occurred_at":"t"}') =>
		({ content: Buffer.from(content), fields: { routingKey: "StepExecutionCompleted", exchange: "acme.events.dlx" }, properties: { messageId: "e1", headers } }) as unknown as ConsumeMessage;

	it("keeps the bus's own error headers", () => {
		const headers = { "x-handler": "step-statistics", "x-attempts": 3, "x-error-message": "boom", "x-error-type": "23503", "x-dead-letter-id": "d1", "x-failed-at": "2026-01-01T00:00:00.000Z" };
		expect(deadLetterOf(message(headers), headers, topology, 0)).toMatchObject({
			id: "d1",
			handler: "step-statistics",
			event_id: "e1",
			event_type: "StepExecutionCompleted",
			error_message: "boom",
			error_type: "23503",
			attempts: 3,
			status: "dead",
			failed_at: Date.parse("2026-01-01T00:00:00.000Z")
		});
	});

	it("recognises what RabbitMQ dead-lettered itself (delivery limit), by the queue in x-death", () => {
		const headers = { "x-death": [{ queue: "acme.events.step-statistics", reason: "delivery_limit", count: 1 }] };
		const d = deadLetterOf(message(headers), headers, topology, 42);
		expect(d).toMatchObject({ handler: "step-statistics", error_type: "delivery_limit", failed_at: 42 });
		expect(d.error_message).toContain("delivery_limit");
		// The same message archived twice is kept once.
		expect(deadLetterOf(message(headers), headers, topology, 43).id).toBe(d.id);
	});
});

describe("KeyedQueue", () => {
	it("runs tasks of one key in order and other keys alongside", async () => {
		const q = new KeyedQueue();
		const log: string[] = [];
		const task = (name: string, ms: number) => () => new Promise<void>(r => setTimeout(() => (log.push(name), r()), ms));
		await Promise.all([q.run("a", task("a1", 30)), q.run("a", task("a2", 1)), q.run("b", task("b1", 5))]);
		expect(log).toEqual(["b1", "a1", "a2"]);
		expect(q.size).toBe(0);
	});

	it("goes on after a failed task", async () => {
		const q = new KeyedQueue();
		await expect(q.run("a", async () => Promise.reject(new Error("x")))).rejects.toThrow("x");
		await expect(q.run("a", async () => 1)).resolves.toBe(1);
	});
});
