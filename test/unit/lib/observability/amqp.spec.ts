import { currentRequestContext, requestContext } from "../../../../lib/context";
import { tracedConsume, tracedPublish } from "../../../../lib/observability/amqp";
import { tracingEnabled } from "../../../../lib/observability/tracing";

const dest = { exchange: "cognitionos.events", routingKey: "WorkflowCreated", queue: "q" };

describe("AMQP trace context with tracing off", () => {
	it("is off in this process", () => {
		expect(tracingEnabled()).toBe(false);
	});

	it("still carries the request's trace id to the consumer, as an unsampled traceparent", async () => {
		const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		const sent = requestContext.run({ request_id: "r1", trace_id: traceId }, () => tracedPublish(dest, { "x-event-id": "e1" }, headers => headers));
		expect(sent).toEqual({ "x-event-id": "e1", traceparent: expect.stringMatching(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`)) });
		const seen = await tracedConsume(dest, sent, async () => currentRequestContext());
		expect(seen).toEqual({ trace_id: traceId });
	});

	it("adds nothing outside a request, and runs a consumer without a traceparent as it is", async () => {
		expect(tracedPublish(dest, { a: 1 }, headers => headers)).toEqual({ a: 1 });
		expect(await tracedConsume(dest, undefined, async () => currentRequestContext())).toBeUndefined();
		expect(await tracedConsume(dest, { traceparent: "garbage" }, async () => currentRequestContext())).toBeUndefined();
	});

	it("returns what publish returns and lets its errors through", async () => {
		expect(tracedPublish(dest, {}, () => true)).toBe(true);
		await expect(tracedConsume(dest, {}, async () => Promise.reject(new Error("nack")))).rejects.toThrow("nack");
	});
});
