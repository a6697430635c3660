/**
 * The state of an agent's conversation, rebuilt from its journal: the messages so far,
 * the turns taken and what they cost, and the tool calls of the last turn that have no
 * result yet. Pure: the runner decides from it what to do next.
 */
import type { ChatMessage, TokenUsage, ToolCall } from "../llm/types";
import type { ApprovalEntry, ApprovalRequestedEntry, StartEntry, StoredEntry, ToolEntry, TurnEntry } from "./journal";

export interface Spent extends TokenUsage {
	cost_usd: number;
}

export interface Conversation {
	start: StartEntry | null;
	messages: ChatMessage[];
	turns: TurnEntry[];
	/** Every finished tool call, in the order it finished. */
	tools: ToolEntry[];
	/** The last turn's tool calls without a result, in the model's order. */
	pending: ToolCall[];
	/** Approval requests and decisions by tool call id. */
	requested: Map<string, StoredEntry & { entry: ApprovalRequestedEntry }>;
	decided: Map<string, ApprovalEntry>;
	spent: Spent;
}

export const NO_SPENDING: Spent = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost_usd: 0 };

export function addSpent(a: Spent, b: { usage: TokenUsage; cost_usd: number }): Spent {
	return {
		prompt_tokens: a.prompt_tokens + b.usage.prompt_tokens,
		completion_tokens: a.completion_tokens + b.usage.completion_tokens,
		total_tokens: a.total_tokens + b.usage.total_tokens,
		cost_usd: Math.round((a.cost_usd + b.cost_usd) * 1e9) / 1e9
	};
}

/** What a tool result says to the model: text as is, anything else as JSON. */
export function resultText(entry: Pick<ToolEntry, "result" | "error">): string {
	if (entry.error !== undefined) return entry.error;
	return typeof entry.result === "string" ? entry.result : JSON.stringify(entry.result ?? null);
}

export function replay(entries: readonly StoredEntry[]): Conversation {
	const c: Conversation = { start: null, messages: [], turns: [], tools: [], pending: [], requested: new Map(), decided: new Map(), spent: NO_SPENDING };
	let results = new Map<string, ToolEntry>();
	const flush = () => {
		// The results go back in the order the model asked for them, whatever order they finished in.
		const last = c.turns[c.turns.length - 1];
		if (!last) return;
		for (const call of last.tool_calls) {
			const done = results.get(call.id);
			if (done) c.messages.push({ role: "tool", tool_call_id: call.id, name: call.name, content: resultText(done), ...(done.error !== undefined ? { is_error: true } : {}) });
		}
	};
	for (const stored of entries) {
		const e = stored.entry;
		switch (e.kind) {
			case "start":
				c.start = e;
				c.messages.push(...e.messages);
				break;
			case "turn":
				flush();
				results = new Map();
				c.turns.push(e);
				c.spent = addSpent(c.spent, e);
				c.messages.push({ role: "assistant", content: e.text, ...(e.tool_calls.length ? { tool_calls: e.tool_calls } : {}) });
				break;
			case "tool":
				results.set(e.call_id, e);
				c.tools.push(e);
				break;
			case "approval_requested":
				c.requested.set(e.call_id, { ...stored, entry: e });
				break;
			case "approval":
				c.decided.set(e.call_id, e);
				break;
		}
	}
	const last = c.turns[c.turns.length - 1];
	c.pending = last ? last.tool_calls.filter(call => !results.has(call.id)) : [];
	if (!c.pending.length) flush();
	return c;
}
