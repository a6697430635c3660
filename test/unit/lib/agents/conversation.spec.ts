/** An agent's conversation rebuilt from its journal, and threads kept under their cap. */
import { replay } from "../../../../lib/agents/conversation";
import type { JournalEntry, StoredEntry } from "../../../../lib/agents/journal";
import { capThread, THREAD_MAX_MESSAGES } from "../../../../lib/agents/threads";
import type { ChatMessage } from "../../../../lib/llm/types";

const stored = (entries: JournalEntry[]): StoredEntry[] => entries.map((entry, i) => ({ seq: i + 1, attempt: 1, at: 1000 + i, entry }));
const turn = (n: number, calls: { id: string; name: string }[], text = ""): JournalEntry => ({
	kind: "turn",
	turn: n,
	text,
	tool_calls: calls.map(c => ({ ...c, arguments: {} })),
	usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
	cost_usd: 0.001,
	provider: "openai",
	model: "gpt-5.4",
	latency_ms: 200
});

describe("replaying an agent's journal", () => {
	it("puts tool results back in the model's order, whatever order they finished in, and sums the turns", () => {
		const c = replay(
			stored([
				{ kind: "start", messages: [{ role: "user", content: "Go" }], thread: null },
				turn(1, [
					{ id: "a", name: "slow" },
					{ id: "b", name: "quick" }
				]),
				{ kind: "tool", call_id: "b", name: "quick", arguments: {}, result: { ok: 1 }, duration_ms: 5 },
				{ kind: "tool", call_id: "a", name: "slow", arguments: {}, error: "boom", duration_ms: 50 },
				turn(2, [], "Done")
			])
		);
		expect(c.messages.map(m => (m.role === "tool" ? `tool:${m.tool_call_id}${m.is_error ? "!" : ""}` : m.role))).toEqual(["user", "assistant", "tool:a!", "tool:b", "assistant"]);
		expect(c.pending).toEqual([]);
		expect(c.spent).toEqual({ prompt_tokens: 20, completion_tokens: 10, total_tokens: 30, cost_usd: 0.002 });
		expect(c.turns).toHaveLength(2);
	});

	it("names the calls of the last turn that have no result yet", () => {
		const c = replay(
			stored([
				{ kind: "start", messages: [{ role: "user", content: "Go" }], thread: null },
				turn(1, [
					{ id: "a", name: "slow" },
					{ id: "b", name: "quick" }
				]),
				{ kind: "tool", call_id: "b", name: "quick", arguments: {}, result: 1, duration_ms: 5 },
				{ kind: "approval_requested", call_id: "a", name: "slow", arguments: {} }
			])
		);
		expect(c.pending.map(p => p.id)).toEqual(["a"]);
		expect(c.requested.get("a")?.at).toBe(1003);
		expect(c.decided.size).toBe(0);
	});
});

describe("a thread's cap", () => {
	it("drops whole turns from the front, never starting at a tool result", () => {
		const messages: ChatMessage[] = [];
		for (let i = 0; i < THREAD_MAX_MESSAGES; i++) {
			messages.push({ role: "user", content: `q${i}` }, { role: "assistant", content: "", tool_calls: [{ id: `c${i}`, name: "t", arguments: {} }] }, { role: "tool", tool_call_id: `c${i}`, name: "t", content: "r" });
		}
		const { kept, dropped } = capThread(messages);
		expect(kept.length).toBeLessThanOrEqual(THREAD_MAX_MESSAGES);
		expect(kept[0].role).toBe("user");
		expect(dropped + kept.length).toBe(messages.length);
		expect(kept[kept.length - 1]).toEqual(messages[messages.length - 1]);
	});

	it("keeps a small thread as it is", () => {
		const messages: ChatMessage[] = [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }];
		expect(capThread(messages)).toEqual({ kept: messages, dropped: 0 });
	});
});
