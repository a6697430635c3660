import { startTestNode, type TestNode } from "../support/broker";
import { embeddedHarness } from "../support/engine-harness";
import { defineEventsSuite } from "../support/events-suite";
import { AUTH_ENV, createUser } from "../support/factories";
import { connectWebSocket } from "../support/realtime-clients";

defineEventsSuite("events, waits and flow control (embedded)", () => embeddedHarness());

describe("events on the owner's real-time stream", () => {
	let node: TestNode;
	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
	});
	afterAll(() => node.stop());

	it("tells the owner's sockets each event it received and what it did, and no one else's", async () => {
		const owner = await createUser(node.http);
		const other = await createUser(node.http);
		const mine = await connectWebSocket(node.url, owner.token);
		const theirs = await connectWebSocket(node.url, other.token);
		try {
			const sent = await node.http.post("/api/v3/events").set(owner.auth).send({ name: "stream.test", id: "s-1", data: { a: 1 } });
			expect(sent.status).toBe(202);
			const message = await mine.waitFor(m => m.type === "event" && (m.data as { event_type?: string }).event_type === "EventReceived");
			expect(message.data).toMatchObject({ event_id: "s-1", name: "stream.test", source: "api", runs: [], delivered_to: [] });
			// A marker event of the other user shows their stream is live and that ours never reached it.
			await node.http.post("/api/v3/events").set(other.auth).send({ name: "stream.test", id: "marker" });
			await theirs.waitFor(m => (m.data as { event_id?: string }).event_id === "marker");
			expect(theirs.messages.some(m => (m.data as { event_id?: string }).event_id === "s-1")).toBe(false);
		} finally {
			await mine.close();
			await theirs.close();
		}
	});
});
