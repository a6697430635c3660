/**
 * Anthropic's Messages API through the official SDK. The installed SDK (1.14, API
 * version 2026-10-21) has no `temperature` or `top_p` on `messages.create` (its
 * MessageCreateParamsBase lists neither; its changelog notes the temperature
 * deprecation), so they are not sent:
 * a call that sets them is answered with the model's own sampling, and the first such
 * call is logged (`warn`). JSON output is asked for in the system prompt. Retries are
 * ours, not the SDK's.
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from "@anthropic-ai/sdk";
import type { ContentBlockParam, MessageCreateParamsBase, MessageParam, Usage } from "@anthropic-ai/sdk/resources/messages/messages";
import { Deadline, SDK_TIMEOUT_MARGIN_MS } from "../deadline";
import { ProviderError, toProviderError } from "../errors";
import { anthropicToolId, parseToolArguments } from "../tool-calls";
import type { ChatMessage, LlmProvider, ProviderRequest, ProviderResponse, StreamEvent, TokenUsage, ToolCall } from "../types";
import { createHttpFetch } from "./http-fetch";

export interface AnthropicProviderOptions {
	apiKey: string;
	/** Empty for api.anthropic.com. */
	baseURL?: string;
	/** Milliseconds one attempt may take. */
	timeout: number;
	/** Told once, the first time a request sets sampling settings this API does not take. */
	warn?: (message: string) => void;
}

const ERROR_CLASSES = { timeout: APIConnectionTimeoutError, connection: APIConnectionError, abort: APIUserAbortError };

/** Prompt tokens include those written to and read from the prompt cache. */
function usageOf(usage: Pick<Usage, "input_tokens" | "cache_creation_input_tokens" | "cache_read_input_tokens">, output: number): TokenUsage {
	const prompt = (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
	return { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output };
}

export function jsonInstruction(schema?: Record<string, unknown>): string {
	return schema
		? `Answer with one JSON value only, no prose and no code fences, matching this JSON Schema:\n${JSON.stringify(schema)}`
		: "Answer with one JSON value only, no prose and no code fences.";
}

export class AnthropicProvider implements LlmProvider {
	readonly name = "anthropic" as const;
	private readonly client: Anthropic;
	private readonly secrets: string[];
	private readonly timeout: number;
	private readonly warn?: (message: string) => void;
	private warnedSampling = false;

	constructor(options: AnthropicProviderOptions) {
		this.client = new Anthropic({
			apiKey: options.apiKey,
			baseURL: options.baseURL || undefined,
			timeout: options.timeout + SDK_TIMEOUT_MARGIN_MS,
			maxRetries: 0,
			// Through undici.request, as OpenAI's (./http-fetch.ts).
			fetch: createHttpFetch(),
			logLevel: "off"
		});
		this.secrets = [options.apiKey];
		this.timeout = options.timeout;
		this.warn = options.warn;
	}

	async complete(request: ProviderRequest, signal?: AbortSignal): Promise<ProviderResponse> {
		const deadline = new Deadline(this.timeout, signal);
		try {
			const answer = await this.client.messages.create({ ...this.body(request), stream: false }, { signal: deadline.signal });
			const text = answer.content.map(block => (block.type === "text" ? block.text : "")).join("");
			const calls: ToolCall[] = answer.content.flatMap(block => (block.type === "tool_use" ? [{ id: block.id, name: block.name, arguments: block.input ?? {} }] : []));
			return {
				text,
				model: answer.model || request.model,
				usage: usageOf(answer.usage, answer.usage.output_tokens ?? 0),
				finish_reason: answer.stop_reason ?? null,
				...(calls.length ? { tool_calls: calls } : {})
			};
		} catch (err) {
			throw this.failure(err, deadline);
		} finally {
			deadline.clear();
		}
	}

	async *stream(request: ProviderRequest, signal?: AbortSignal): AsyncIterable<StreamEvent> {
		const deadline = new Deadline(this.timeout, signal);
		let text = "";
		let model = request.model;
		let finish: string | null = null;
		let started: Usage | undefined;
		let output = 0;
		// A tool_use block's input arrives as pieces of JSON text, keyed by the block's index.
		const calls = new Map<number, { id: string; name: string; json: string }>();
		try {
			const events = await this.client.messages.create({ ...this.body(request), stream: true }, { signal: deadline.signal });
			for await (const event of events) {
				if (event.type === "message_start") {
					model = event.message.model || model;
					started = event.message.usage;
					output = event.message.usage.output_tokens ?? 0;
				} else if (event.type === "content_block_start" && event.content_block.type === "tool_use") {
					calls.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: "" });
				} else if (event.type === "content_block_delta" && event.delta.type === "input_json_delta") {
					const call = calls.get(event.index);
					if (call) call.json += event.delta.partial_json;
				} else if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
					text += event.delta.text;
					yield { type: "delta", text: event.delta.text };
				} else if (event.type === "message_delta") {
					// message_delta carries cumulative output tokens.
					output = event.usage.output_tokens ?? output;
					finish = event.delta.stop_reason ?? finish;
				}
			}
		} catch (err) {
			throw this.failure(err, deadline);
		} finally {
			deadline.clear();
		}
		const usage = usageOf(started ?? { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }, output);
		const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => ({ id: c.id, name: c.name, arguments: parseToolArguments(c.json) }));
		yield { type: "done", text, model, usage, finish_reason: finish, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) };
	}

	private failure(err: unknown, deadline: Deadline): ProviderError {
		if (deadline.expired) return new ProviderError(this.name, "timeout", `${this.name} did not answer within ${this.timeout} ms`);
		return toProviderError(this.name, err, this.secrets, ERROR_CLASSES);
	}

	private body(request: ProviderRequest): MessageCreateParamsBase {
		const unsent = [request.temperature !== undefined ? "temperature" : "", request.top_p !== undefined ? "top_p" : ""].filter(Boolean);
		if (unsent.length && !this.warnedSampling) {
			this.warnedSampling = true;
			this.warn?.(`Anthropic's Messages API (SDK 1.14, API version 2026-10-21) takes no ${unsent.join(" or ")}: not sent; its models use their own sampling. Logged once.`);
		}
		const system = [
			request.system,
			...request.messages.filter(m => m.role === "system").map(m => m.content),
			request.json ? jsonInstruction(request.json.schema) : undefined
		]
			.filter(Boolean)
			.join("\n\n");
		const body: MessageCreateParamsBase = { model: request.model, max_tokens: request.max_tokens, messages: anthropicMessages(request.messages) };
		if (request.tools?.length) {
			body.tools = request.tools.map(t => ({ name: t.name, description: t.description, input_schema: t.parameters as { type: "object" } }));
		}
		if (system) body.system = system;
		if (request.stop?.length) body.stop_sequences = request.stop;
		return body;
	}
}

/**
 * Our conversation in Anthropic's shape: an assistant's tool calls become `tool_use` blocks,
 * and the results that follow become `tool_result` blocks of one user message.
 */
export function anthropicMessages(messages: readonly ChatMessage[]): MessageParam[] {
	const out: MessageParam[] = [];
	for (const m of messages) {
		if (m.role === "system") continue;
		if (m.role === "assistant") {
			const blocks: ContentBlockParam[] = [];
			if (m.content) blocks.push({ type: "text", text: m.content });
			for (const call of m.tool_calls ?? []) {
				const input = call.arguments && typeof call.arguments === "object" && !Array.isArray(call.arguments) ? call.arguments : {};
				blocks.push({ type: "tool_use", id: anthropicToolId(call.id), name: call.name, input });
			}
			out.push({ role: "assistant", content: m.tool_calls?.length ? blocks : m.content });
			continue;
		}
		const block: ContentBlockParam =
			m.role === "tool"
				? { type: "tool_result", tool_use_id: anthropicToolId(m.tool_call_id), content: m.content, ...(m.is_error ? { is_error: true } : {}) }
				: { type: "text", text: m.content };
		const last = out[out.length - 1];
		// Tool results (and what the user adds after them) go back in one user message.
		if (m.role === "tool" && last?.role === "user" && Array.isArray(last.content)) last.content.push(block);
		else out.push({ role: "user", content: m.role === "tool" ? [block] : m.content });
	}
	return out;
}
