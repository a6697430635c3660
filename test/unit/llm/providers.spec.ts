/** The real OpenAI and Anthropic SDKs against the fake server: wire formats, streaming and error mapping. */
import { ProviderError } from "../../../lib/llm/errors";
import type { LlmProvider, ProviderRequest, StreamEvent } from "../../../lib/llm/types";
import { FakeLlmServer, type FakeApi } from "../../support/fake-llm-server";
import { AnthropicProvider } from "../../../lib/llm/providers/anthropic";
import { ANTHROPIC_KEY, fakeProviders, OPENAI_KEY } from "../../support/llm-client";

const server = new FakeLlmServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
afterEach(() => server.reset());

const request = (model: string, extra: Partial<ProviderRequest> = {}): ProviderRequest => ({
	model,
	messages: [{ role: "user", content: "Name three colours" }],
	system: "Be brief.",
	max_tokens: 100,
	...extra
});

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
	try {
		await promise;
	} catch (err) {
		expect(err).toBeInstanceOf(ProviderError);
		return err as ProviderError;
	}
	throw new Error("expected the call to fail");
}

async function collect(stream: AsyncIterable<StreamEvent>) {
	const deltas: string[] = [];
	let done: StreamEvent | undefined;
	for await (const event of stream) {
		if (event.type === "delta") deltas.push(event.text);
		else done = event;
	}
	return { deltas, done };
}

const cases: [FakeApi, string][] = [
	["openai", "gpt-5.4"],
	["anthropic", "claude-sonnet-4-6"]
];

describe.each(cases)("%s provider through its SDK", (api, model) => {
	let provider: LlmProvider;
	beforeAll(() => {
		provider = fakeProviders(server)[api];
	});

	it("answers with text, model and usage", async () => {
		server.script(api, { text: "red, green, blue", usage: { prompt: 12, completion: 5 }, model: `${model}-20250101` });
		const answer = await provider.complete(request(model));
		expect(answer).toEqual({
			text: "red, green, blue",
			model: `${model}-20250101`,
			usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
			finish_reason: api === "openai" ? "stop" : "end_turn"
		});
		const [sent] = server.requestsTo(api);
		expect(sent.body.model).toBe(model);
		if (api === "openai") {
			expect(sent.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
			expect(sent.body.messages).toEqual([
				{ role: "system", content: "Be brief." },
				{ role: "user", content: "Name three colours" }
			]);
			// A custom base URL means an OpenAI-compatible server, which knows max_tokens.
			expect(sent.body.max_tokens).toBe(100);
		} else {
			expect(sent.headers.authorization).toBe(`Bearer ${ANTHROPIC_KEY}`);
			expect(sent.body.system).toBe("Be brief.");
			expect(sent.body.messages).toEqual([{ role: "user", content: "Name three colours" }]);
			expect(sent.body.max_tokens).toBe(100);
		}
	});

	it("streams text deltas, then the usage", async () => {
		server.script(api, { text: "red, green and blue", usage: { prompt: 12, completion: 4 } });
		const { deltas, done } = await collect(provider.stream(request(model)));
		expect(deltas).toEqual(["red, ", "green ", "and ", "blue"]);
		expect(done).toMatchObject({ type: "done", text: "red, green and blue", usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } });
		expect(server.requestsTo(api)[0].stream).toBe(true);
	});

	it("passes stop sequences and asks for JSON", async () => {
		await provider.complete(request(model, { stop: ["\n\n"], json: { schema: { type: "object" } } }));
		const { body } = server.requestsTo(api)[0];
		if (api === "openai") {
			expect(body.stop).toEqual(["\n\n"]);
			expect(body.response_format).toEqual({ type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } });
		} else {
			expect(body.stop_sequences).toEqual(["\n\n"]);
			expect(body.system).toContain('matching this JSON Schema:\n{"type":"object"}');
		}
	});

	it("reports a 429 as rate limited with the Retry-After it was given", async () => {
		server.script(api, { status: 429, retryAfter: "7" });
		const err = await failureOf(provider.complete(request(model)));
		expect(err).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 7000, retryable: true });
	});

	it("reports a 500 as a server error worth retrying, and a 400 as a rejection that is not", async () => {
		server.script(api, { status: 500 }, { status: 400, message: "max_tokens is too large" });
		expect(await failureOf(provider.complete(request(model)))).toMatchObject({ kind: "server_error", retryable: true });
		const rejected = await failureOf(provider.complete(request(model)));
		expect(rejected).toMatchObject({ kind: "rejected", status: 400, retryable: false });
		expect(rejected.message).toContain("max_tokens is too large");
	});

	it("reports a slow answer as a timeout", async () => {
		const impatient = fakeProviders(server, 150)[api];
		server.script(api, { delayMs: 2000 });
		expect(await failureOf(impatient.complete(request(model)))).toMatchObject({ kind: "timeout", retryable: true });
	});

	it("reports a stream that breaks mid-answer as a failure", async () => {
		server.script(api, { text: "one two three four", breakStreamAfter: 2 });
		const deltas: string[] = [];
		const err = await failureOf(
			(async () => {
				for await (const e of provider.stream(request(model))) if (e.type === "delta") deltas.push(e.text);
			})()
		);
		expect(deltas).toEqual(["one ", "two "]);
		expect(err.retryable).toBe(true);
	});

	it("keeps the key out of the error when the server echoes it", async () => {
		server.expectedKeys = { [api]: "another-key" };
		const err = await failureOf(provider.complete(request(model)));
		expect(err.kind).toBe("auth_failed");
		expect(err.message).toContain("Incorrect API key provided: [REDACTED]");
		const key = api === "openai" ? OPENAI_KEY : ANTHROPIC_KEY;
		expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(key);
	});
});

describe("OpenAI sampling settings", () => {
	it("sends temperature and top_p to chat models but not to reasoning models, which refuse them", async () => {
		const { openai } = fakeProviders(server);
		await openai.complete(request("gpt-4.1", { temperature: 0.2, top_p: 0.9 }));
		await openai.complete(request("gpt-5.4", { temperature: 0.2, top_p: 0.9 }));
		const [chat, reasoning] = server.requestsTo("openai").map(r => r.body);
		expect(chat).toMatchObject({ temperature: 0.2, top_p: 0.9 });
		expect(reasoning).not.toHaveProperty("temperature");
		expect(reasoning).not.toHaveProperty("top_p");
	});
});

describe("Anthropic sampling settings", () => {
	it("does not send temperature or top_p, which its Messages API does not take, and says so once", async () => {
		const warnings: string[] = [];
		const anthropic = new AnthropicProvider({ apiKey: ANTHROPIC_KEY, baseURL: server.baseURL("anthropic"), timeout: 5000, warn: m => warnings.push(m) });
		await anthropic.complete(request("claude-sonnet-4-6", { temperature: 0.2, top_p: 0.9 }));
		await anthropic.complete(request("claude-sonnet-4-6", { temperature: 0.7 }));
		await collect(anthropic.stream(request("claude-sonnet-4-6", { top_p: 0.5 })));
		for (const { body } of server.requestsTo("anthropic")) {
			expect(body).not.toHaveProperty("temperature");
			expect(body).not.toHaveProperty("top_p");
		}
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toMatch(/temperature or top_p: not sent/);
	});

	it("says nothing when a request sets neither", async () => {
		const warnings: string[] = [];
		const anthropic = new AnthropicProvider({ apiKey: ANTHROPIC_KEY, baseURL: server.baseURL("anthropic"), timeout: 5000, warn: m => warnings.push(m) });
		await anthropic.complete(request("claude-sonnet-4-6"));
		expect(warnings).toEqual([]);
	});
});

describe.each(cases)("%s call aborted by its caller", (api, model) => {
	it("closes the request in flight and reports it as aborted, not as something to retry", async () => {
		server.script(api, { delayMs: 30_000 });
		const provider = fakeProviders(server)[api];
		const controller = new AbortController();
		const call = failureOf(provider.complete(request(model), controller.signal));
		while (server.requestsTo(api).length === 0) await new Promise(r => setTimeout(r, 10));
		controller.abort(new Error("step cancelled"));
		expect(await call).toMatchObject({ kind: "aborted", retryable: false });
		while (!server.requestsTo(api)[0].abortedByClient) await new Promise(r => setTimeout(r, 10));
	});
});

describe("connection errors", () => {
	it("reports a server that is not there as a connection error", async () => {
		const gone = new FakeLlmServer();
		await gone.start();
		await gone.stop();
		const provider = fakeProviders(gone).openai;
		expect(await failureOf(provider.complete(request("gpt-5.4")))).toMatchObject({ kind: "connection_error", retryable: true });
	});
});
