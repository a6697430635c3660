/**
 * An agent step's transcript, drawn from its journal (`…/steps/{id}/transcript`): the
 * prompt, each model turn with its tool calls, tokens and cost, each tool call's result
 * or error, and approvals. The run page reads it again on each of the agent's events.
 */
import type { Api } from "./api";
import { h, usd } from "./dom";

export interface TranscriptEntry {
	seq: number;
	kind: "start" | "turn" | "tool" | "approval_requested" | "approval";
	at: string;
	messages?: { role: string; content: string }[];
	thread?: string | null;
	turn?: number;
	text?: string;
	tool_calls?: { id: string; name: string; arguments: unknown }[];
	usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
	cost_usd?: number;
	provider?: string;
	model?: string;
	call_id?: string;
	name?: string;
	arguments?: unknown;
	result?: unknown;
	error?: string;
	duration_ms?: number;
	child_execution_id?: string;
	decision?: string;
	by?: string;
	comment?: string | null;
}

export function fetchTranscript(api: Api, executionId: string, stepId: string): Promise<TranscriptEntry[]> {
	return api
		.get<{ entries: TranscriptEntry[] }>(`/workflows/executions/${encodeURIComponent(executionId)}/steps/${encodeURIComponent(stepId)}/transcript`)
		.then(t => t.entries);
}

const short = (value: unknown, max = 400): string => {
	const text = typeof value === "string" ? value : JSON.stringify(value);
	return text.length > max ? `${text.slice(0, max)} …` : text;
};

function entryView(e: TranscriptEntry): HTMLElement | null {
	switch (e.kind) {
		case "start":
			return h(
				"li",
				{ class: "t-start" },
				h("strong", {}, e.thread ? `Conversation (thread ${e.thread})` : "Prompt"),
				h("ul", {}, (e.messages ?? []).map(m => h("li", {}, h("span", { class: "muted" }, `${m.role}: `), short(m.content))))
			);
		case "turn":
			return h(
				"li",
				{ class: "t-turn", "data-turn": String(e.turn) },
				h("strong", {}, `Turn ${e.turn}`),
				" ",
				h("span", { class: "muted" }, `${e.provider}/${e.model} · ${e.usage?.total_tokens ?? 0} tokens · ${usd(e.cost_usd)}`),
				e.text ? h("p", {}, e.text) : null,
				e.tool_calls?.length ? h("ul", {}, e.tool_calls.map(c => h("li", { class: "t-call" }, `calls ${c.name}(${short(c.arguments, 200)})`))) : null
			);
		case "tool":
			return h(
				"li",
				{ class: `t-tool${e.error !== undefined ? " t-error" : ""}`, "data-call": e.call_id ?? "" },
				h("strong", {}, e.name ?? ""),
				" ",
				h("span", { class: "muted" }, `${e.duration_ms ?? 0} ms`),
				e.child_execution_id ? [" ", h("a", { href: `#/executions/${e.child_execution_id}` }, "child run")] : null,
				h("pre", { class: "code" }, e.error !== undefined ? `error: ${e.error}` : short(e.result, 2000))
			);
		case "approval_requested":
			return h("li", { class: "t-approval" }, `${e.name}(${short(e.arguments, 200)}) waits for approval`);
		case "approval":
			return h("li", { class: "t-approval" }, `${e.decision} by ${e.by}${e.comment ? `: ${e.comment}` : ""}`);
		default:
			return null;
	}
}

export function transcriptView(entries: readonly TranscriptEntry[], stepId: string): HTMLElement {
	const turns = entries.filter(e => e.kind === "turn");
	const cost = turns.reduce((sum, t) => sum + (t.cost_usd ?? 0), 0);
	return h(
		"div",
		{ class: "transcript", "data-transcript": stepId },
		h("h4", {}, `Transcript · ${turns.length} turn${turns.length === 1 ? "" : "s"} · ${usd(cost)}`),
		h("ol", { "aria-live": "polite" }, entries.map(entryView))
	);
}
