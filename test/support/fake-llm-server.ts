/**
 * A local HTTP server that speaks OpenAI's chat completions (`POST /v1/chat/completions`)
 * and Anthropic's messages (`POST /v1/messages`) wire formats, JSON and SSE, so the real
 * SDKs make real calls in tests and benchmarks. Each API answers from a script of
 * behaviours (errors with Retry-After, slow answers, broken streams), then by default.
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
	private readonly scripts: Record<FakeApi, Behaviour[]> = { openai: [], anthropic: [] };
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

	script(api: FakeApi, ...behaviours: Behaviour[]): void {
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
		const behaviour: Behaviour =
			expected !== undefined && key !== expected ? { status: 401, echoKey: true } : (this.scripts[api].shift() ?? { delayMs: this.defaultDelayMs });

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
		const text = behaviour.text ?? `Fake ${api} answer to: ${lastUserText(body)}`;
		const usage = behaviour.usage ?? { prompt: words(promptText(api, body)), completion: words(text) };
		const model = behaviour.model ?? String(body.model);
		if (!stream) {
			res.writeHead(200, { "content-type": "application/json" });
			res.end(JSON.stringify(api === "openai" ? openAiMessage(model, text, usage) : anthropicMessage(model, text, usage)));
			return;
		}
		res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
		const pieces = text.match(/\S+\s*|\s+/g) ?? [];
		const events = api === "openai" ? openAiStream(model, pieces, usage, body) : anthropicStream(model, pieces, usage);
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

function openAiMessage(model: string, text: string, usage: { prompt: number; completion: number }) {
	return {
		id: "chatcmpl-fake",
		object: "chat.completion",
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, finish_reason: "stop", logprobs: null }],
		usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion }
	};
}

function anthropicMessage(model: string, text: string, usage: { prompt: number; completion: number }) {
	return {
		id: "msg_fake",
		type: "message",
		role: "assistant",
		model,
		content: [{ type: "text", text }],
		stop_reason: "end_turn",
		stop_sequence: null,
		usage: { input_tokens: usage.prompt, output_tokens: usage.completion }
	};
}

interface WireEvent {
	data: string;
	delta: boolean;
}

function* openAiStream(model: string, pieces: string[], usage: { prompt: number; completion: number }, body: Record<string, unknown>): Generator<WireEvent> {
	const created = Math.floor(Date.now() / 1000);
	const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
		`data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created, model, choices, ...extra })}\n\n`;
	yield { data: chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]), delta: false };
	for (const piece of pieces) yield { data: chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]), delta: true };
	yield { data: chunk([{ index: 0, delta: {}, finish_reason: "stop" }]), delta: false };
	const options = body.stream_options as { include_usage?: boolean } | undefined;
	if (options?.include_usage) {
		yield {
			data: chunk([], { usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion } }),
			delta: false
		};
	}
	yield { data: "data: [DONE]\n\n", delta: false };
}

function* anthropicStream(model: string, pieces: string[], usage: { prompt: number; completion: number }): Generator<WireEvent> {
	const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
	yield {
		data: event("message_start", {
			message: { id: "msg_fake", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.prompt, output_tokens: 1 } }
		}),
		delta: false
	};
	yield { data: event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }), delta: false };
	for (const piece of pieces) yield { data: event("content_block_delta", { index: 0, delta: { type: "text_delta", text: piece } }), delta: true };
	yield { data: event("content_block_stop", { index: 0 }), delta: false };
	yield { data: event("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: usage.completion } }), delta: false };
	yield { data: event("message_stop", {}), delta: false };
}
