import { RealtimeHub, type RealtimeClient, type Transport } from "../../../../lib/realtime/hub";
import type { EngineUpdateMessage, Envelope } from "../../../../lib/realtime/messages";

const now = () => 1_000_000;

class FakeClient implements RealtimeClient {
	static next = 0;
	readonly id = `c${++FakeClient.next}`;
	readonly received: Envelope[] = [];
	pending = 0;
	closed: string | null = null;
	constructor(
		readonly user: { id: string; email: string; roles: string[] },
		readonly transport: Transport = "websocket"
	) {}
	send(message: Envelope) {
		this.received.push(message);
	}
	backlog() {
		return this.pending;
	}
	close(reason: "slow_client" | "shutdown") {
		this.closed = reason;
	}
	types() {
		return this.received.map(m => m.type);
	}
}

const alice = { id: "alice", email: "a@x", roles: ["user"] };
const bob = { id: "bob", email: "b@x", roles: ["user"] };

function update(seq: number, status = "running", owner = "alice", workflow = "wf"): EngineUpdateMessage {
	return {
		execution: { execution_id: "x1", owner_id: owner, workflow_id: workflow, workflow_version: "1", status, progress: status === "completed" ? 100 : 50, current_step: "s" },
		events: [{ seq, event_type: status === "completed" ? "WorkflowExecutionCompleted" : "StepExecutionStarted", event_id: `e${seq}`, occurred_at: "2026-01-01T00:00:00Z", step_id: "s" }]
	};
}

function hubWith(maxBacklog = 10, maxConnectionsPerUser = 2) {
	const dropped: string[] = [];
	const hub = new RealtimeHub({
		nodeId: "n1",
		maxConnectionsPerUser,
		maxBacklog,
		streams: { retentionMs: 60_000, maxMessages: 100, reorderWindowMs: 500, now },
		observer: { connections: () => undefined, sent: () => undefined, dropped: (_t, reason) => dropped.push(reason) }
	});
	return { hub, dropped };
}

const ack = (hub: RealtimeHub) => () => hub.message("subscribed", {});

describe("realtime hub", () => {
	it("delivers a run's messages to subscribers of its workflow (by owner) or execution, to nobody else", () => {
		const { hub } = hubWith();
		const byWorkflow = new FakeClient(alice);
		const byExecution = new FakeClient(alice);
		const sameNameOtherOwner = new FakeClient(bob);
		const idle = new FakeClient(alice);
		for (const c of [byWorkflow, byExecution, sameNameOtherOwner, idle]) hub.attach(c);
		hub.subscribe(byWorkflow, { kind: "workflow", owner_id: "alice", workflow_id: "wf" }, undefined, ack(hub));
		hub.subscribe(byExecution, { kind: "execution", execution_id: "x1" }, undefined, ack(hub));
		hub.subscribe(sameNameOtherOwner, { kind: "workflow", owner_id: "bob", workflow_id: "wf" }, undefined, ack(hub));
		hub.streams.acceptUpdate(update(1));
		expect(byWorkflow.types()).toEqual(["connected", "subscribed", "event", "workflow_status"]);
		expect(byExecution.types()).toEqual(["connected", "subscribed", "event", "workflow_status"]);
		expect(sameNameOtherOwner.types()).toEqual(["connected", "subscribed"]);
		expect(idle.types()).toEqual(["connected"]);
	});

	it("sends a client subscribed to both the workflow and the execution each message once", () => {
		const { hub } = hubWith();
		const c = new FakeClient(alice);
		hub.attach(c);
		hub.subscribe(c, { kind: "workflow", owner_id: "alice", workflow_id: "wf" }, undefined, ack(hub));
		hub.subscribe(c, { kind: "execution", execution_id: "x1" }, undefined, ack(hub));
		hub.streams.acceptUpdate(update(1));
		expect(c.types().filter(t => t === "workflow_status")).toHaveLength(1);
	});

	it("stops delivering after unsubscribe and after detach", () => {
		const { hub } = hubWith();
		const c = new FakeClient(alice);
		hub.attach(c);
		hub.subscribe(c, { kind: "execution", execution_id: "x1" }, undefined, ack(hub));
		expect(hub.unsubscribe(c, { kind: "execution", execution_id: "x1" })).toBe(true);
		expect(hub.unsubscribe(c, { kind: "execution", execution_id: "x1" })).toBe(false);
		hub.streams.acceptUpdate(update(1));
		expect(c.types()).toEqual(["connected", "subscribed"]);
	});

	it("acknowledges, replays what was missed, then continues live, without a gap or a repeat", () => {
		const { hub } = hubWith();
		hub.streams.acceptUpdate(update(1));
		hub.streams.acceptUpdate(update(2));
		const c = new FakeClient(alice);
		hub.attach(c);
		const answer = hub.subscribe(c, { kind: "execution", execution_id: "x1" }, 1_000_001, info => hub.message("subscribed", info));
		expect(answer.data).toEqual({ replayed: 2, complete: true });
		hub.streams.acceptUpdate(update(3, "completed"));
		expect(c.received.slice(1).map(m => m.type === "subscribed" ? "subscribed" : m.seq)).toEqual(["subscribed", 2_000_000, 2_000_001, 3_000_000, 3_000_001]);
	});

	it("skips superseded statuses for a client falling behind, and disconnects one that is too far behind", () => {
		const { hub, dropped } = hubWith(10);
		const slow = new FakeClient(alice);
		hub.attach(slow);
		hub.subscribe(slow, { kind: "execution", execution_id: "x1" }, undefined, ack(hub));
		slow.pending = 5;
		hub.streams.acceptUpdate(update(1));
		expect(slow.types().slice(2)).toEqual(["event"]);
		expect(dropped).toEqual(["superseded"]);
		hub.streams.acceptUpdate(update(2, "completed"));
		expect(slow.types().slice(2)).toEqual(["event", "event", "workflow_status"]);
		slow.pending = 10;
		hub.toUser("alice", hub.message("notification", {}));
		expect(slow.closed).toBe("slow_client");
		expect(dropped).toEqual(["superseded", "slow_client"]);
		expect(hub.connectionCount).toBe(0);
	});

	it("admits a user up to the per-node connection limit", () => {
		const { hub } = hubWith(10, 2);
		const a = new FakeClient(alice);
		hub.attach(a);
		hub.attach(new FakeClient(alice, "socketio"));
		expect(hub.admits("alice")).toBe(false);
		expect(hub.admits("bob")).toBe(true);
		hub.detach(a);
		expect(hub.admits("alice")).toBe(true);
		expect(hub.stats(a)).toMatchObject({ connections: { total: 1, websocket: 0, socketio: 1 } });
	});
});
