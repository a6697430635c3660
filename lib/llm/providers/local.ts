/**
 * The offline provider for development and demos: no keys, no network, no model. It
 * answers with a short, deterministic account of the prompt it was given, labelled as
 * such, and counts tokens with `countTokens`, so the same prompt always costs the same.
 *
 * Given tools, it plays a simple tool-calling model, so an agent step runs offline: after
 * a user message it calls every tool the message names (the first tool when it names
 * none), all in one answer, with arguments of each tool's schema shape; after the tool
 * results it answers with an account of them.
 */
import { countPromptTokens, countTokens } from "../tokens";
import type { ChatMessage, LlmProvider, ProviderRequest, ProviderResponse, StreamEvent, ToolCall, ToolDefinition } from "../types";

export const LOCAL_MODEL = "local-echo";

// Longest excerpt of the prompt the answer repeats, in words.
const EXCERPT_WORDS = 40;

const NOTICE = "[local provider: offline, no language model was called]";

function excerpt(text: string): string {
	const words = text.trim().split(/\s+/).filter(Boolean);
	return words.length > EXCERPT_WORDS ? `${words.slice(0, EXCERPT_WORDS).join(" ")} …` : words.join(" ");
}

/** A JSON value of the schema's shape: the excerpt for strings, the smallest allowed value otherwise. */
export function valueForSchema(schema: unknown, summary: string, depth = 0): unknown {
	if (!schema || typeof schema !== "object" || depth > 8) return summary;
	const s = schema as Record<string, unknown>;
	if ("const" in s) return s.const;
	if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
	const type = Array.isArray(s.type) ? s.type.find(t => t !== "null") : s.type;
	switch (type) {
		case "object": {
			const props = (s.properties ?? {}) as Record<string, unknown>;
			return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueForSchema(v, summary, depth + 1)]));
		}
		case "array": {
			const count = typeof s.minItems === "number" ? s.minItems : 0;
			return Array.from({ length: count }, () => valueForSchema(s.items, summary, depth + 1));
		}
		case "integer":
		case "number":
			return typeof s.minimum === "number" ? s.minimum : 0;
		case "boolean":
			return false;
		case "null":
			return null;
		default:
			return summary;
	}
}

export class LocalProvider implements LlmProvider {
	readonly name = "local" as const;

	async complete(request: ProviderRequest): Promise<ProviderResponse> {
		return this.answer(request);
	}

	async *stream(request: ProviderRequest): AsyncIterable<StreamEvent> {
		const answer = this.answer(request);
		// Word by word, spaces kept, so the deltas join back into the answer.
		for (const piece of answer.text.match(/\S+\s*|\s+/g) ?? []) yield { type: "delta", text: piece };
		yield { type: "done", ...answer };
	}

	private answer(request: ProviderRequest): ProviderResponse {
		const promptTokens = countPromptTokens(request.messages, request.system, request.tools);
		const lastUser = [...request.messages].reverse().find(m => m.role === "user");
		const last = request.messages[request.messages.length - 1];
		if (request.tools?.length && last?.role === "user") {
			const calls = toolCallsFor(request.tools, last.content, request.messages);
			const completion = countTokens(JSON.stringify(calls));
			return {
				text: "",
				model: LOCAL_MODEL,
				usage: { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion },
				finish_reason: "tool_calls",
				tool_calls: calls
			};
		}
		const results = toolResultsSinceUser(request.messages);
		const summary = results.length
			? `${NOTICE} Tool results: ${results.map(r => `${r.name}${r.is_error ? " (error)" : ""}: ${excerpt(r.content)}`).join("; ")}`
			: `${NOTICE} Received ${request.messages.length} message(s), ${promptTokens} prompt tokens. Last user message: "${excerpt(lastUser?.content ?? "")}"`;
		let text: string;
		if (request.json?.schema) text = JSON.stringify(valueForSchema(request.json.schema, summary));
		else if (request.json) text = JSON.stringify({ provider: "local", summary, prompt_tokens: promptTokens });
		else text = summary;
		let finish = "stop";
		for (const stop of request.stop ?? []) {
			const at = stop ? text.indexOf(stop) : -1;
			if (at >= 0) text = text.slice(0, at);
		}
		if (countTokens(text) > request.max_tokens) {
			text = truncateToTokens(text, request.max_tokens);
			finish = "length";
		}
		const completion = countTokens(text);
		return {
			text,
			model: LOCAL_MODEL,
			usage: { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion },
			finish_reason: finish
		};
	}
}

/** The tools a user message names (the first tool when it names none), each called once with arguments of its schema's shape. */
function toolCallsFor(tools: readonly ToolDefinition[], userText: string, messages: readonly ChatMessage[]): ToolCall[] {
	const named = tools.filter(t => userText.includes(t.name));
	const turn = messages.filter(m => m.role === "assistant").length;
	return (named.length ? named : tools.slice(0, 1)).map((tool, i) => ({
		id: `local_${turn}_${i}`,
		name: tool.name,
		arguments: valueForSchema(tool.parameters, excerpt(userText))
	}));
}

/** The tool results after the last user message, in order. */
function toolResultsSinceUser(messages: readonly ChatMessage[]): Extract<ChatMessage, { role: "tool" }>[] {
	const out: Extract<ChatMessage, { role: "tool" }>[] = [];
	for (let i = messages.length - 1; i >= 0 && messages[i].role !== "user"; i--) {
		const m = messages[i];
		if (m.role === "tool") out.unshift(m);
	}
	return out;
}

/** The longest prefix of whole words that fits in `max` tokens. */
function truncateToTokens(text: string, max: number): string {
	const words = text.match(/\S+\s*/g) ?? [];
	let out = "";
	for (const word of words) {
		if (countTokens(out + word) > max) break;
		out += word;
	}
	return out.trimEnd();
}
