/**
 * A local HTTP server that speaks OpenAI's chat completions (`POST /v1/chat/completions`)
 * and Anthropic's messages (`POST /v1/messages`) wire formats, JSON and SSE, so the real
 * SDKs make real calls in tests and benchmarks. Each API answers from a script of
 * behaviours (errors with Retry-After, slow answers, broken streams, tool calls in each
 * vendor's protocol), then by default (`respond`, when set, decides the default answer).
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeApi = "openai" | "anthropic";

export interface Answer {
	text?: string;
	/** Token counts to report; by default words of the prompt and of the answer. */
	usage?: { prompt: number; completion: number };
	/** Model to report; by default the one asked for. */
	model?: string;
	delayMs?: number;
	/** Streaming only: close the connection after this many deltas. */
	breakStreamAfter?: number;
	/** Tools to call (OpenAI `tool_calls`, Anthropic `tool_use` blocks), after the text if any; ids are made up when absent. */
	toolCalls?: { id?: string; name: string; arguments: unknown }[];
}

export interface Failure {
	status: number;
	/** Sent as `Retry-After` (seconds or an HTTP date). */
	retryAfter?: string;
	message?: string;
	/** Puts the key the caller sent into the error message, as some servers do. */
	echoKey?: boolean;
	delayMs?: number;
}

export type Behaviour = Answer | Failure;

/** Decides the answer from the request itself (a step of the script, or the default). */
export type Responder = (request: RecordedRequest) => Behaviour;

export interface RecordedRequest {
	api: FakeApi;
	headers: IncomingMessage["headers"];
	body: Record<string, unknown>;
	/** Milliseconds since the server started. */
	at: number;
	stream: boolean;
	/** The caller closed the connection before the answer was complete (it aborted the call). */
	abortedByClient: boolean;
}

const isFailure = (b: Behaviour): b is Failure => "status" in b;

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function promptText(api: FakeApi, body: Record<string, unknown>): string {
	const messages = (body.messages ?? []) as { content: unknown }[];
	const parts = messages.map(m => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));
	if (api === "anthropic" && typeof body.system === "string") parts.unshift(body.system);
	return parts.join(" ");
}

function lastUserText(body: Record<string, unknown>): string {
	const messages = (body.messages ?? []) as { role: string; content: unknown }[];
	const last = [...messages].reverse().find(m => m.role === "user");
	return typeof last?.content === "string" ? last.content : "";
}

export class FakeLlmServer {
	readonly requests: RecordedRequest[] = [];
	/** Behaviours still to play, per API, first in first out. */
	private readonly scripts: Record<FakeApi, (Behaviour | Responder)[]> = { openai: [], anthropic: [] };
	/** Answers requests the script does not cover; by default an echo of the last user message. */
	respond?: Responder;
	private callSeq = 0;
	private server?: http.Server;
	private startedAt = Date.now();
	private inFlightNow = 0;
	maxInFlight = 0;
	/** Delay of every default answer, in milliseconds. */
	defaultDelayMs = 0;
	/** When set, requests with another key get a 401. */
	expectedKeys: Partial<Record<FakeApi, string>> = {};
	url = "";

	/** The base URL each SDK is given. */
	baseURL(api: FakeApi): string {
		return api === "openai" ? `${this.url}/v1` : this.url;
	}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => void this.handle(req, res));
		// Benchmarks open many connections at once.
		this.server.maxConnections = 10_000;
		await new Promise<void>(resolve => this.server!.listen(0, "127.0.0.1", resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		this.startedAt = Date.now();
		return this;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>(resolve => this.server!.close(() => resolve()));
	}

	script(api: FakeApi, ...behaviours: (Behaviour | Responder)[]): void {
		this.scripts[api].push(...behaviours);
	}

	requestsTo(api: FakeApi): RecordedRequest[] {
		return this.requests.filter(r => r.api === api);
	}

	reset(): void {
		this.requests.length = 0;
		this.scripts.openai.length = 0;
		this.scripts.anthropic.length = 0;
		this.maxInFlight = 0;
		this.defaultDelayMs = 0;
		this.expectedKeys = {};
		this.respond = undefined;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const api: FakeApi | undefined =
			req.method === "POST" && req.url?.startsWith("/v1/chat/completions") ? "openai" : req.method === "POST" && req.url?.startsWith("/v1/messages") ? "anthropic" : undefined;
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		if (!api) {
			res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
			return;
		}
		const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
		const stream = body.stream === true;
		const record: RecordedRequest = { api, headers: req.headers, body, at: Date.now() - this.startedAt, stream, abortedByClient: false };
		this.requests.push(record);
		this.inFlightNow += 1;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlightNow);
		let closed = false;
		let brokenHere = false;
		res.on("close", () => {
			closed = true;
			this.inFlightNow -= 1;
			if (!res.writableEnded && !brokenHere) record.abortedByClient = true;
		});

		// Anthropic's SDK 1.x sends its key as a bearer token; older ones as x-api-key.
		const key = String(req.headers["x-api-key"] ?? req.headers.authorization ?? "").replace(/^Bearer /, "");
		const expected = this.expectedKeys[api];
		const next = expected !== undefined && key !== expected ? { status: 401, echoKey: true } : (this.scripts[api].shift() ?? this.respond ?? { delayMs: this.defaultDelayMs });
		const behaviour: Behaviour = typeof next === "function" ? next(record) : next;

		if (behaviour.delayMs) {
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, behaviour.delayMs);
				// A caller that gave up frees the server at once.
				res.on("close", () => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		if (closed) return;
		if (isFailure(behaviour)) return this.fail(api, res, behaviour, key);
		const calls = (behaviour.toolCalls ?? []).map(c => ({ id: c.id ?? `${api === "openai" ? "call" : "toolu"}_${++this.callSeq}`, name: c.name, arguments: c.arguments }));
		const text = behaviour.text ?? (calls.length ? "" : `Fake ${api} answer to: ${lastUserText(body)}`);
		const usage = behaviour.usage ?? { prompt: words(promptText(api, body)), completion: words(text) + calls.length };
		const model = behaviour.model ?? String(body.model);
		if (!stream) {
			res.writeHead(200, { "content-type": "application/json" });
			res.end(JSON.stringify(api === "openai" ? openAiMessage(model, text, usage, calls) : anthropicMessage(model, text, usage, calls)));
			return;
		}
		res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
		const pieces = text.match(/\S+\s*|\s+/g) ?? [];
		const events = api === "openai" ? openAiStream(model, pieces, usage, body, calls) : anthropicStream(model, pieces, usage, calls);
		let deltas = 0;
		for (const event of events) {
			if (event.delta && behaviour.breakStreamAfter !== undefined && deltas >= behaviour.breakStreamAfter) {
				// Let what was written reach the client before the connection drops.
				await new Promise(resolve => setTimeout(resolve, 50));
				brokenHere = true;
				res.destroy();
				return;
			}
			if (event.delta) deltas += 1;
			await new Promise(resolve => res.write(event.data, resolve));
		}
		res.end();
	}

	private fail(api: FakeApi, res: ServerResponse, failure: Failure, key: string): void {
		const message =
			failure.message ?? (failure.echoKey ? `Incorrect API key provided: ${key}. You can find your API key in your account.` : `Scripted failure ${failure.status}`);
		const headers: Record<string, string> = { "content-type": "application/json" };
		if (failure.retryAfter !== undefined) headers["retry-after"] = failure.retryAfter;
		const type = failure.status === 429 ? "rate_limit_error" : failure.status === 401 ? "authentication_error" : failure.status >= 500 ? "api_error" : "invalid_request_error";
		const body = api === "openai" ? { error: { message, type, code: null, param: null } } : { type: "error", error: { type, message } };
		res.writeHead(failure.status, headers).end(JSON.stringify(body));
	}
}

type WireCall = { id: string; name: string; arguments: unknown };

function openAiMessage(model: string, text: string, usage: { prompt: number; completion: number }, calls: WireCall[] = []) {
	const toolCalls = calls.map(c => ({ id: c.id, type: "function", function: { name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments) } }));
	return {
		id: "chatcmpl-fake",
		object: "chat.completion",
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [
			{
				index: 0,
				message: { role: "assistant", content: calls.length && !text ? null : text, refusal: null, ...(calls.length ? { tool_calls: toolCalls } : {}) },
				finish_reason: calls.length ? "tool_calls" : "stop",
				logprobs: null
			}
		],
		usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion }
	};
}

function anthropicMessage(model: string, text: string, usage: { prompt: number; completion: number }, calls: WireCall[] = []) {
	const content: unknown[] = text || !calls.length ? [{ type: "text", text }] : [];
	for (const c of calls) content.push({ type: "tool_use", id: c.id, name: c.name, input: c.arguments });
	return {
		id: "msg_fake",
		type: "message",
		role: "assistant",
		model,
		content,
		stop_reason: calls.length ? "tool_use" : "end_turn",
		stop_sequence: null,
		usage: { input_tokens: usage.prompt, output_tokens: usage.completion }
	};
}

interface WireEvent {
	data: string;
	delta: boolean;
}

function* openAiStream(model: string, pieces: string[], usage: { prompt: number; completion: number }, body: Record<string, unknown>, calls: WireCall[] = []): Generator<WireEvent> {
	const created = Math.floor(Date.now() / 1000);
	const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
		`data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created, model, choices, ...extra })}\n\n`;
	yield { data: chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]), delta: false };
	for (const piece of pieces) yield { data: chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]), delta: true };
	for (const [i, c] of calls.entries()) {
		// As OpenAI streams them: the id and name first, then the arguments' JSON in two pieces.
		const json = typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments);
		const half = Math.floor(json.length / 2);
		yield { data: chunk([{ index: 0, delta: { tool_calls: [{ index: i, id: c.id, type: "function", function: { name: c.name, arguments: "" } }] }, finish_reason: null }]), delta: false };
		for (const part of [json.slice(0, half), json.slice(half)]) {
			yield { data: chunk([{ index: 0, delta: { tool_calls: [{ index: i, function: { arguments: part } }] }, finish_reason: null }]), delta: false };
		}
	}
	yield { data: chunk([{ index: 0, delta: {}, finish_reason: calls.length ? "tool_calls" : "stop" }]), delta: false };
	const options = body.stream_options as { include_usage?: boolean } | undefined;
	if (options?.include_usage) {
		yield {
			data: chunk([], { usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion } }),
			delta: false
		};
	}
	yield { data: "data: [DONE]\n\n", delta: false };
}

function* anthropicStream(model: string, pieces: string[], usage: { prompt: number; completion: number }, calls: WireCall[] = []): Generator<WireEvent> {
	const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
	yield {
		data: event("message_start", {
			message: { id: "msg_fake", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.prompt, output_tokens: 1 } }
		}),
		delta: false
	};
	let index = 0;
	if (pieces.length || !calls.length) {
		yield { data: event("content_block_start", { index, content_block: { type: "text", text: "" } }), delta: false };
		for (const piece of pieces) yield { data: event("content_block_delta", { index, delta: { type: "text_delta", text: piece } }), delta: true };
		yield { data: event("content_block_stop", { index }), delta: false };
		index++;
	}
	for (const c of calls) {
		const json = typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments);
		const half = Math.floor(json.length / 2);
		yield { data: event("content_block_start", { index, content_block: { type: "tool_use", id: c.id, name: c.name, input: {} } }), delta: false };
		for (const part of [json.slice(0, half), json.slice(half)]) yield { data: event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: part } }), delta: false };
		yield { data: event("content_block_stop", { index }), delta: false };
		index++;
	}
	const stop = calls.length ? "tool_use" : "end_turn";
	yield { data: event("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.completion } }), delta: false };
	yield { data: event("message_stop", {}), delta: false };
}

/** The tool results a request sent back, in either protocol: OpenAI `role: tool` messages, Anthropic `tool_result` blocks. */
export function toolResultsOf(request: RecordedRequest): { id: string; content: string; is_error: boolean }[] {
	const messages = (request.body.messages ?? []) as { role: string; content: unknown; tool_call_id?: string }[];
	const out: { id: string; content: string; is_error: boolean }[] = [];
	for (const m of messages) {
		if (m.role === "tool") out.push({ id: String(m.tool_call_id), content: String(m.content), is_error: false });
		if (m.role === "user" && Array.isArray(m.content)) {
			for (const block of m.content as { type: string; tool_use_id?: string; content?: unknown; is_error?: boolean }[]) {
				if (block.type === "tool_result") out.push({ id: String(block.tool_use_id), content: typeof block.content === "string" ? block.content : JSON.stringify(block.content), is_error: block.is_error === true });
			}
		}
	}
	return out;
}

/** How many model turns a request's conversation already holds (assistant messages). */
export function turnsBefore(request: RecordedRequest): number {
	return ((request.body.messages ?? []) as { role: string }[]).filter(m => m.role === "assistant").length;
}
