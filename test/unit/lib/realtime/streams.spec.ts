import { SEQ_STRIDE, type EngineUpdateMessage, type ExecutionMessage } from "../../../../lib/realtime/messages";
import { ExecutionStreams } from "../../../../lib/realtime/streams";

let now = 1_000_000;
const run = { execution_id: "x1", owner_id: "u1", workflow_id: "wf", workflow_version: "1.0.0", current_step: null };

function update(firstSeq: number, types: string[], status = "running", progress = 50): EngineUpdateMessage {
	return {
		execution: { ...run, status, progress },
		events: types.map((event_type, i) => ({ seq: firstSeq + i, event_type, event_id: `e${firstSeq + i}`, occurred_at: new Date(now).toISOString(), step_id: "s" }))
	};
}

function streams(opts: Partial<{ maxMessages: number; reorderWindowMs: number; retentionMs: number }> = {}) {
	const delivered: ExecutionMessage[] = [];
	const losses: [string, number][] = [];
	const s = new ExecutionStreams({
		retentionMs: opts.retentionMs ?? 60_000,
		maxMessages: opts.maxMessages ?? 1000,
		reorderWindowMs: opts.reorderWindowMs ?? 500,
		now: () => now,
		deliver: m => delivered.push(...m),
		onLoss: (_id, what, n) => losses.push([what, n])
	});
	return { s, delivered, losses, seqs: () => delivered.map(m => m.envelope.seq) };
}

describe("execution streams", () => {
	it("turns an update into one event message per domain event, then one status, numbered from the engine's sequence", () => {
		const { s, delivered } = streams();
		s.acceptUpdate(update(1, ["WorkflowExecutionStarted", "StepExecutionStarted"], "running", 0));
		expect(delivered.map(m => [m.envelope.type, m.envelope.seq])).toEqual([
			["event", SEQ_STRIDE],
			["event", 2 * SEQ_STRIDE],
			["workflow_status", 2 * SEQ_STRIDE + 1]
		]);
		expect(delivered[2].envelope.data).toEqual({ execution_id: "x1", status: "running", progress: 0, current_step: null, message: "Step s started" });
		expect(delivered[2].supersedable).toBe(true);
	});

	it("never lets a slow client skip the final status", () => {
		const { s, delivered } = streams();
		s.acceptUpdate(update(1, ["WorkflowExecutionStarted"]));
		s.acceptUpdate(update(2, ["WorkflowExecutionCompleted"], "completed", 100));
		expect(delivered.at(-1)!.supersedable).toBe(false);
	});

	it("puts updates that arrive out of order back in order, and drops repeats", () => {
		const { s, seqs } = streams();
		s.acceptUpdate(update(1, ["WorkflowExecutionStarted"]));
		s.acceptUpdate(update(3, ["StepExecutionCompleted"]));
		expect(seqs()).toEqual([SEQ_STRIDE, SEQ_STRIDE + 1]);
		s.acceptUpdate(update(2, ["StepExecutionStarted"]));
		s.acceptUpdate(update(2, ["StepExecutionStarted"]));
		expect(seqs()).toEqual([1, 1.000001, 2, 2.000001, 3, 3.000001].map(x => Math.round(x * SEQ_STRIDE)));
	});

	it("moves past an update that never comes once the reorder window has passed, and says so", () => {
		const { s, seqs, losses } = streams({ reorderWindowMs: 500 });
		s.acceptUpdate(update(1, ["WorkflowExecutionStarted"]));
		s.acceptUpdate(update(4, ["StepExecutionCompleted"]));
		now += 499;
		s.flushDue();
		expect(seqs()).toHaveLength(2);
		now += 1;
		s.flushDue();
		expect(seqs().slice(2)).toEqual([4 * SEQ_STRIDE, 4 * SEQ_STRIDE + 1]);
		expect(losses).toEqual([["gap", 2]]);
	});

	it("places LLM tokens after the event they follow, and holds early tokens until the run is known", () => {
		const { s, delivered } = streams();
		s.acceptToken({ execution_id: "x1", step_id: "s", seq: 0, delta: "Hel" });
		expect(delivered).toEqual([]);
		s.acceptUpdate(update(1, ["WorkflowExecutionStarted", "StepExecutionStarted"]));
		s.acceptToken({ execution_id: "x1", step_id: "s", seq: 1, delta: "lo" });
		const tokens = delivered.filter(m => m.envelope.data.event_type === "LlmToken");
		expect(tokens.map(m => [m.envelope.seq, m.envelope.data.delta])).toEqual([
			[2 * SEQ_STRIDE + 2, "Hel"],
			[2 * SEQ_STRIDE + 3, "lo"]
		]);
		s.acceptUpdate(update(3, ["StepExecutionCompleted"]));
		const all = delivered.map(m => m.envelope.seq);
		expect(all).toEqual([...all].sort((a, b) => a - b));
	});

	it("replays what came after `since`, and knows when it no longer holds all of it", () => {
		const { s } = streams({ maxMessages: 4 });
		s.acceptUpdate(update(1, ["WorkflowExecutionStarted"]));
		s.acceptUpdate(update(2, ["StepExecutionStarted"]));
		expect(s.replay("x1", SEQ_STRIDE + 1).map(m => m.envelope.seq)).toEqual([2 * SEQ_STRIDE, 2 * SEQ_STRIDE + 1]);
		expect(s.covers("x1", 0)).toBe(true);
		s.acceptUpdate(update(3, ["StepExecutionCompleted"]));
		expect(s.covers("x1", 0)).toBe(false);
		expect(s.covers("x1", SEQ_STRIDE + 1)).toBe(true);
		expect(s.covers("unknown", 0)).toBe(true);
		expect(s.covers("unknown", 5)).toBe(false);
	});

	it("forgets a run's messages once it has been idle for the retention time", () => {
		const { s } = streams({ retentionMs: 1000 });
		s.acceptUpdate(update(1, ["WorkflowExecutionStarted"]));
		now += 999;
		s.flushDue();
		expect(s.size).toBe(1);
		now += 1;
		s.flushDue();
		expect(s.size).toBe(0);
		expect(s.replay("x1", 0)).toEqual([]);
	});
});
