import { backoffDelay, backoffDelays, jittered } from "../../../lib/backoff";
import { retryQueueFor, topologyNames, topologyOf } from "../../../lib/events/topology";
import { EVENT_HANDLERS } from "../../../lib/events/handlers";

describe("backoff", () => {
	const policy = { maxAttempts: 5, minDelay: 1000, maxDelay: 5000, multiplier: 2 };

	it("waits min, then multiplies, capped, and stops after the last try", () => {
		expect([1, 2, 3, 4].map(a => backoffDelay(policy, a))).toEqual([1000, 2000, 4000, 5000]);
		expect(backoffDelay(policy, 5)).toBeNull();
		expect(backoffDelay({ ...policy, maxAttempts: Infinity }, 50)).toBe(5000);
	});

	it("lists each distinct wait once", () => {
		expect(backoffDelays(policy)).toEqual([1000, 2000, 4000, 5000]);
		expect(backoffDelays({ ...policy, maxAttempts: 10 })).toEqual([1000, 2000, 4000, 5000]);
		expect(backoffDelays({ ...policy, maxAttempts: 1 })).toEqual([]);
	});

	it("jitters over the upper half", () => {
		expect(jittered(1000, () => 0)).toBe(500);
		expect(jittered(1000, () => 1)).toBe(1000);
	});
});

describe("topology", () => {
	const retry = { maxAttempts: 4, minDelay: 500, maxDelay: 1000, multiplier: 2 };
	const t = topologyOf("acme.events", EVENT_HANDLERS, retry);

	it("derives every name from the exchange", () => {
		expect(t).toMatchObject({ exchange: "acme.events", deadLetterExchange: "acme.events.dlx", deadLetterQueue: "acme.events.dead_letter" });
		const stats = t.handlers.find(h => h.handler === "step-statistics")!;
		expect(stats).toEqual({
			handler: "step-statistics",
			queue: "acme.events.step-statistics",
			events: ["StepExecutionCompleted"],
			retryQueues: [
				{ delayMs: 500, queue: "acme.events.step-statistics.retry.500ms" },
				{ delayMs: 1000, queue: "acme.events.step-statistics.retry.1s" }
			]
		});
		const names = topologyNames(t);
		expect(names.exchanges).toEqual(["acme.events", "acme.events.dlx"]);
		expect(names.queues).toHaveLength(1 + 5 * 3);
		expect(names.queues.every(q => q.startsWith("acme.events."))).toBe(true);
	});

	it("sends try n to the retry queue of its wait, and the last try's failure to the dead letters", () => {
		const q = t.handlers[0];
		expect([1, 2, 3, 4].map(a => retryQueueFor(q, retry, a))).toEqual([`${q.queue}.retry.500ms`, `${q.queue}.retry.1s`, `${q.queue}.retry.1s`, null]);
	});

	it("binds each event type a handler takes", () => {
		const bound = t.handlers.flatMap(h => h.events);
		expect(bound).toEqual(expect.arrayContaining(["WorkflowCreated", "WorkflowExecutionStarted", "WorkflowExecutionCompleted", "WorkflowExecutionFailed", "StepExecutionCompleted", "UserLoggedIn", "UserUpdated", "ApiKeyCreated"]));
		// One handler per event type: a replay to one queue reaches exactly the handler that failed.
		expect(new Set(bound).size).toBe(bound.length);
	});
});
