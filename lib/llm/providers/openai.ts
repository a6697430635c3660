/**
 * OpenAI's chat completions through the official SDK, also for any OpenAI-compatible
 * server (vLLM, Ollama, LM Studio) given its base URL. Retries are ours, not the SDK's.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from "openai";
import type { ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from "openai/resources/chat/completions/completions";
import { Deadline, SDK_TIMEOUT_MARGIN_MS } from "../deadline";
import { ProviderError, toProviderError } from "../errors";
import { createHttpFetch } from "./http-fetch";
import { parseToolArguments } from "../tool-calls";
import type { LlmProvider, ProviderRequest, ProviderResponse, StreamEvent, ToolCall } from "../types";

export interface OpenAiProviderOptions {
	apiKey: string;
	/** Empty for api.openai.com. */
	baseURL?: string;
	/** Milliseconds one attempt may take. */
	timeout: number;
}

/** OpenAI's reasoning models, which take neither temperature nor top_p. */
export const isReasoningModel = (model: string): boolean => /^(o\d|gpt-5)/.test(model) && !model.includes("-chat");

const ERROR_CLASSES = { timeout: APIConnectionTimeoutError, connection: APIConnectionError, abort: APIUserAbortError };

export class OpenAiProvider implements LlmProvider {
	readonly name = "openai" as const;
	private readonly client: OpenAI;
	private readonly secrets: string[];
	private readonly timeout: number;

	constructor(private readonly options: OpenAiProviderOptions) {
		this.client = new OpenAI({
			apiKey: options.apiKey,
			baseURL: options.baseURL || undefined,
			timeout: options.timeout + SDK_TIMEOUT_MARGIN_MS,
			maxRetries: 0,
			// Through undici.request: the built-in fetch's CPU per call is what delays a wave of calls (./http-fetch.ts).
			fetch: createHttpFetch(),
			// The SDK's own logger could print request options; ours logs what matters.
			logLevel: "off"
		});
		this.secrets = [options.apiKey];
		this.timeout = options.timeout;
	}

	async complete(request: ProviderRequest, signal?: AbortSignal): Promise<ProviderResponse> {
		const deadline = new Deadline(this.timeout, signal);
		try {
			const answer = await this.client.chat.completions.create({ ...this.body(request), stream: false }, { signal: deadline.signal });
			const choice = answer.choices[0];
			const usage = answer.usage;
			const calls: ToolCall[] = (choice?.message?.tool_calls ?? []).flatMap(c =>
				c.type === "function" ? [{ id: c.id, name: c.function.name, arguments: parseToolArguments(c.function.arguments) }] : []
			);
			return {
				text: choice?.message?.content ?? "",
				model: answer.model || request.model,
				usage: {
					prompt_tokens: usage?.prompt_tokens ?? 0,
					completion_tokens: usage?.completion_tokens ?? 0,
					total_tokens: usage?.total_tokens ?? (usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0)
				},
				finish_reason: choice?.finish_reason ?? null,
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
		let usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
		// Tool calls arrive in pieces, keyed by their index in the answer.
		const calls = new Map<number, { id: string; name: string; arguments: string }>();
		try {
			const chunks = await this.client.chat.completions.create(
				{ ...this.body(request), stream: true, stream_options: { include_usage: true } },
				{ signal: deadline.signal }
			);
			for await (const chunk of chunks) {
				if (chunk.model) model = chunk.model;
				if (chunk.usage) {
					usage = {
						prompt_tokens: chunk.usage.prompt_tokens,
						completion_tokens: chunk.usage.completion_tokens,
						total_tokens: chunk.usage.total_tokens
					};
				}
				const choice = chunk.choices[0];
				if (choice?.finish_reason) finish = choice.finish_reason;
				for (const piece of choice?.delta?.tool_calls ?? []) {
					const call = calls.get(piece.index) ?? { id: "", name: "", arguments: "" };
					if (piece.id) call.id = piece.id;
					if (piece.function?.name) call.name += piece.function.name;
					if (piece.function?.arguments) call.arguments += piece.function.arguments;
					calls.set(piece.index, call);
				}
				const delta = choice?.delta?.content;
				if (delta) {
					text += delta;
					yield { type: "delta", text: delta };
				}
			}
		} catch (err) {
			throw this.failure(err, deadline);
		} finally {
			deadline.clear();
		}
		const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => ({ id: c.id, name: c.name, arguments: parseToolArguments(c.arguments) }));
		yield { type: "done", text, model, usage, finish_reason: finish, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) };
	}

	private failure(err: unknown, deadline: Deadline): ProviderError {
		if (deadline.expired) return new ProviderError(this.name, "timeout", `${this.name} did not answer within ${this.timeout} ms`);
		return toProviderError(this.name, err, this.secrets, ERROR_CLASSES);
	}

	private body(request: ProviderRequest): ChatCompletionCreateParamsBase {
		const messages: ChatCompletionMessageParam[] = [];
		if (request.system) messages.push({ role: "system", content: request.system });
		for (const m of request.messages) {
			if (m.role === "tool") messages.push({ role: "tool", tool_call_id: m.tool_call_id, content: m.content });
			else if (m.role === "assistant" && m.tool_calls?.length) {
				messages.push({
					role: "assistant",
					content: m.content || null,
					tool_calls: m.tool_calls.map(c => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.arguments ?? {}) } }))
				});
			} else messages.push({ role: m.role, content: m.content });
		}
		const body: ChatCompletionCreateParamsBase = { model: request.model, messages };
		if (request.tools?.length) {
			body.tools = request.tools.map(t => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } }));
			body.parallel_tool_calls = true;
		}
		// api.openai.com wants max_completion_tokens (its reasoning models refuse max_tokens); compatible servers know max_tokens.
		if (this.options.baseURL) body.max_tokens = request.max_tokens;
		else body.max_completion_tokens = request.max_tokens;
		// Reasoning models (o-series, gpt-5 family) refuse sampling settings other than their defaults.
		if (!isReasoningModel(request.model)) {
			if (request.temperature !== undefined) body.temperature = request.temperature;
			if (request.top_p !== undefined) body.top_p = request.top_p;
		}
		if (request.stop?.length) body.stop = request.stop;
		if (request.json) {
			body.response_format = request.json.schema
				? { type: "json_schema", json_schema: { name: "answer", schema: request.json.schema } }
				: { type: "json_object" };
		}
		return body;
	}
}
