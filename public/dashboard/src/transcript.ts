/**
 * Transcripts. An agent step's transcript, drawn from its journal (`…/steps/{id}/transcript`): the
 * prompt, each model turn with its tool calls, tokens and cost, each tool call's result
 * or error, and approvals. The run page reads it again on each of the agent's events.
 */
import type { Api } from "./api";
import { dateTime, h, replace, usd } from "./dom";

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

/**
 * The run's model calls as captured with LLM_CAPTURE (`…/executions/{id}/llm-calls`): what
 * was sent, the answer, the tool calls asked for, usage, cost, latency, provider and model,
 * or the error. Model output is hostile input: every text goes in as a text node, never as markup.
 */
export interface LlmMessage {
	role: "system" | "user" | "assistant" | "tool";
	content?: unknown;
	name?: string;
	tool_calls?: { id?: string; name?: string; arguments?: unknown }[];
	[key: string]: unknown;
}

export interface LlmCall {
	id: number;
	step_id: string;
	attempt: number;
	at: string;
	status: "completed" | "failed";
	provider: string | null;
	model: string | null;
	request: { messages: LlmMessage[]; system: string | null; tools: string[]; model: string | null; temperature: number | null; max_tokens: number | null };
	response: { text: string; tool_calls: { id: string; name: string; arguments: unknown }[]; finish_reason: string | null } | null;
	usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
	cost_usd: number | null;
	latency_ms: number;
	error: string | null;
	truncated: boolean;
}

export interface LlmCallPage {
	llm_calls: LlmCall[];
	total: number;
	page: number;
	page_size: number;
}

/** Calls per page of the run page's transcript. */
export const LLM_CALLS_PAGE_SIZE = 10;

export function fetchLlmCalls(api: Api, executionId: string, page: number, pageSize = LLM_CALLS_PAGE_SIZE): Promise<LlmCallPage> {
	return api.get<LlmCallPage>(`/workflows/executions/${encodeURIComponent(executionId)}/llm-calls`, { page, page_size: pageSize });
}

const asText = (value: unknown): string => (value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value, null, 2));

function messageView(m: LlmMessage): HTMLElement {
	return h(
		"li",
		{ class: `llm-msg role-${m.role}`, "data-role": m.role },
		h("span", { class: "llm-role" }, m.role === "tool" && m.name ? `tool ${m.name}` : m.role),
		m.content !== undefined && m.content !== null && m.content !== "" ? h("pre", { class: "llm-text" }, asText(m.content)) : null,
		m.tool_calls?.length ? h("ul", { class: "llm-tool-calls" }, m.tool_calls.map(c => h("li", {}, `calls ${c.name ?? "?"}(${short(c.arguments ?? {}, 400)})`))) : null
	);
}

export function llmCallView(call: LlmCall, index: number): HTMLElement {
	const who = call.provider || call.model ? `${call.provider ?? "?"}/${call.model ?? "?"}` : "no answer";
	const usage = call.usage ? `${call.usage.total_tokens} tokens (${call.usage.prompt_tokens} in, ${call.usage.completion_tokens} out)` : "no usage";
	const asked = [call.request.model && `model ${call.request.model}`, call.request.temperature !== null && `temperature ${call.request.temperature}`, call.request.max_tokens !== null && `max_tokens ${call.request.max_tokens}`].filter(Boolean);
	return h(
		"li",
		{ class: `llm-call status-${call.status}`, "data-llm-call": String(call.id), "data-step": call.step_id },
		h(
			"h3",
			{},
			`${index}. ${call.step_id}`,
			call.attempt > 1 ? ` (attempt ${call.attempt})` : "",
			" ",
			h("span", { class: "badge status-" + call.status }, call.status),
			" ",
			h("span", { class: "muted llm-meta" }, `${who} · ${usage} · ${usd(call.cost_usd)} · ${call.latency_ms} ms · ${dateTime(call.at)}`)
		),
		call.error !== null ? h("div", { class: "error-box llm-error", role: "note" }, h("strong", {}, "Error: "), call.error) : null,
		call.truncated ? h("p", { class: "muted" }, "Some texts passed LLM_CAPTURE_MAX_BYTES and were cut.") : null,
		h(
			"details",
			{ class: "llm-request" },
			h("summary", {}, `Request: ${call.request.messages.length} message${call.request.messages.length === 1 ? "" : "s"}${call.request.tools.length ? `, tools ${call.request.tools.join(", ")}` : ""}${asked.length ? ` · ${asked.join(", ")}` : ""}`),
			call.request.system !== null ? h("div", { class: "llm-system" }, h("span", { class: "llm-role" }, "system prompt"), h("pre", { class: "llm-text" }, call.request.system)) : null,
			h("ol", { class: "llm-messages" }, call.request.messages.map(messageView))
		),
		call.response
			? h(
					"div",
					{ class: "llm-response" },
					h("span", { class: "llm-role" }, `answer${call.response.finish_reason ? ` (${call.response.finish_reason})` : ""}`),
					call.response.text ? h("pre", { class: "llm-text llm-answer" }, call.response.text) : null,
					call.response.tool_calls.length
						? h("ul", { class: "llm-tool-calls" }, call.response.tool_calls.map(c => h("li", { "data-tool-call": c.id }, `calls ${c.name}(${short(c.arguments, 400)})`)))
						: null
				)
			: null
	);
}

/** The run page's "Model calls" section: one page of calls at a time, read again by `refresh`. */
export function llmCallsPanel(api: Api, executionId: string): { element: HTMLElement; refresh(): Promise<void> } {
	let page = 1;
	const body = h("div", { "aria-live": "polite" });
	const element = h("section", { class: "llm-calls", "aria-labelledby": "llm-calls-h" }, h("h2", { id: "llm-calls-h" }, "Model calls"), body);
	let seq = 0;
	const refresh = async (): Promise<void> => {
		const mine = ++seq;
		let res: LlmCallPage;
		try {
			res = await fetchLlmCalls(api, executionId, page);
		} catch (err) {
			if (mine === seq) replace(body, h("p", { class: "error-box", role: "alert" }, `Could not load the model calls: ${err instanceof Error ? err.message : String(err)}`));
			return;
		}
		// An older answer arriving after a newer one is dropped.
		if (mine !== seq) return;
		if (!res.total) {
			replace(body, h("p", { class: "empty" }, "No model calls kept for this run. Calls are kept when LLM_CAPTURE is on or the workflow says llm_capture: true."));
			return;
		}
		const pages = Math.max(1, Math.ceil(res.total / res.page_size));
		if (page > pages) {
			page = pages;
			return refresh();
		}
		const first = (res.page - 1) * res.page_size + 1;
		const prev = h("button", { type: "button", "aria-label": "Previous model calls", on: { click: () => ((page -= 1), void refresh()) } }, "Previous");
		const next = h("button", { type: "button", "aria-label": "Next model calls", on: { click: () => ((page += 1), void refresh()) } }, "Next");
		prev.disabled = res.page <= 1;
		next.disabled = res.page >= pages;
		replace(
			body,
			h("p", { class: "muted llm-count" }, `${res.total} call${res.total === 1 ? "" : "s"} · ${usd(res.llm_calls.reduce((sum, c) => sum + (c.cost_usd ?? 0), 0))} on this page`),
			h("ol", { class: "llm-call-list", start: first }, res.llm_calls.map((c, i) => llmCallView(c, first + i))),
			pages > 1 ? h("nav", { class: "pager", "aria-label": "Model call pages" }, prev, h("span", {}, `Page ${res.page} of ${pages}`), next) : null
		);
	};
	return { element, refresh };
}
