/**
 * Tool calls through the real OpenAI and Anthropic SDKs against the wire fake: tool
 * definitions on the wire, parallel calls parsed (JSON and streamed), results sent back
 * in each vendor's shape, and a conversation moved to the other vendor mid-way.
 */
import { anthropicMessages } from "../../../lib/llm/providers/anthropic";
import { LocalProvider } from "../../../lib/llm/providers/local";
import type { ChatMessage, LlmProvider, ProviderRequest, ProviderResponse, StreamEvent, ToolDefinition } from "../../../lib/llm/types";
import { FakeLlmServer, toolResultsOf, type FakeApi } from "../../support/fake-llm-server";
import { fakeClient, fakeProviders } from "../../support/llm-client";

const server = new FakeLlmServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
afterEach(() => server.reset());

const weather: ToolDefinition = {
	name: "get_weather",
	description: "Forecast for a city",
	parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }
};
const time: ToolDefinition = { name: "get_time", description: "Local time in a city", parameters: { type: "object", properties: { city: { type: "string" } } } };

/** A conversation after one turn with two parallel calls and their results (one an error). */
const history: ChatMessage[] = [
	{ role: "user", content: "Weather and time in Oslo?" },
	{
		role: "assistant",
		content: "Let me look.",
		tool_calls: [
			{ id: "call_a", name: "get_weather", arguments: { city: "Oslo" } },
			{ id: "call.b", name: "get_time", arguments: { city: "Oslo" } }
		]
	},
	{ role: "tool", tool_call_id: "call_a", name: "get_weather", content: '{"sky":"snow"}' },
	{ role: "tool", tool_call_id: "call.b", name: "get_time", content: "clock offline", is_error: true }
];

async function streamed(provider: LlmProvider, request: ProviderRequest): Promise<ProviderResponse> {
	const deltas: string[] = [];
	for await (const event of provider.stream(request) as AsyncIterable<StreamEvent>) {
		if (event.type === "delta") deltas.push(event.text);
		else {
			const { type: _t, ...done } = event;
			expect(deltas.join("")).toBe(done.text);
			return done;
		}
	}
	throw new Error("the stream ended without its final event");
}

const cases: [FakeApi, string][] = [
	["openai", "gpt-5.4"],
	["anthropic", "claude-sonnet-4-6"]
];

describe.each(cases)("%s tool protocol through its SDK", (api, model) => {
	let provider: LlmProvider;
	beforeAll(() => {
		provider = fakeProviders(server)[api];
	});
	const request = (extra: Partial<ProviderRequest> = {}): ProviderRequest => ({ model, messages: [{ role: "user", content: "Weather and time in Oslo?" }], max_tokens: 200, tools: [weather, time], ...extra });

	it.each([false, true])("sends the tools and parses parallel tool calls (streamed: %s)", async stream => {
		server.script(api, {
			toolCalls: [
				{ id: "c1", name: "get_weather", arguments: { city: "Oslo" } },
				{ id: "c2", name: "get_time", arguments: { city: "Oslo" } }
			]
		});
		const answer = stream ? await streamed(provider, request()) : await provider.complete(request());
		expect(answer.tool_calls).toEqual([
			{ id: "c1", name: "get_weather", arguments: { city: "Oslo" } },
			{ id: "c2", name: "get_time", arguments: { city: "Oslo" } }
		]);
		expect(answer.finish_reason).toBe(api === "openai" ? "tool_calls" : "tool_use");
		const body = server.requests[0].body;
		if (api === "openai") {
			expect(body.tools).toEqual([
				{ type: "function", function: { name: "get_weather", description: "Forecast for a city", parameters: weather.parameters } },
				{ type: "function", function: { name: "get_time", description: "Local time in a city", parameters: time.parameters } }
			]);
			expect(body.parallel_tool_calls).toBe(true);
		} else {
			expect(body.tools).toEqual([
				{ name: "get_weather", description: "Forecast for a city", input_schema: weather.parameters },
				{ name: "get_time", description: "Local time in a city", input_schema: time.parameters }
			]);
		}
	});

	it("keeps arguments that are not JSON as the text the model wrote", async () => {
		server.script(api, { toolCalls: [{ id: "c1", name: "get_weather", arguments: "{city: Oslo" }] });
		const answer = await provider.complete(request());
		expect(answer.tool_calls?.[0].arguments).toBe("{city: Oslo");
	});

	it("sends tool calls and results back in its own shape", async () => {
		server.script(api, { text: "Snowing; the clock is offline." });
		const answer = await provider.complete(request({ messages: history }));
		expect(answer.text).toBe("Snowing; the clock is offline.");
		const sent = server.requests[0];
		const results = toolResultsOf(sent);
		expect(results.map(r => r.content)).toEqual(['{"sky":"snow"}', "clock offline"]);
		const messages = sent.body.messages as Record<string, unknown>[];
		if (api === "openai") {
			expect(messages[1]).toEqual({
				role: "assistant",
				content: "Let me look.",
				tool_calls: [
					{ id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
					{ id: "call.b", type: "function", function: { name: "get_time", arguments: '{"city":"Oslo"}' } }
				]
			});
			expect(results.map(r => r.id)).toEqual(["call_a", "call.b"]);
		} else {
			// Both results in one user message, the error flagged, ids in the form Anthropic takes.
			expect(messages).toHaveLength(3);
			expect(messages[1].content).toEqual([
				{ type: "text", text: "Let me look." },
				{ type: "tool_use", id: "call_a", name: "get_weather", input: { city: "Oslo" } },
				{ type: "tool_use", id: "call_b", name: "get_time", input: { city: "Oslo" } }
			]);
			expect(results).toEqual([
				{ id: "call_a", content: '{"sky":"snow"}', is_error: false },
				{ id: "call_b", content: "clock offline", is_error: true }
			]);
		}
	});
});

describe("a conversation with tool calls falls back to the other provider", () => {
	it("translates OpenAI's tool calls into Anthropic's blocks when OpenAI fails mid-conversation", async () => {
		const { client } = fakeClient(server, { retry: { maxAttempts: 1, minDelay: 1, maxDelay: 1, multiplier: 1 } });
		server.script("openai", { status: 500 });
		server.script("anthropic", { text: "It snows in Oslo." });
		const { result } = await client.complete({ messages: history, tools: [weather, time] });
		expect(result.provider).toBe("anthropic");
		expect(result.text).toBe("It snows in Oslo.");
		const sent = server.requestsTo("anthropic")[0];
		expect(toolResultsOf(sent).map(r => r.id)).toEqual(["call_a", "call_b"]);
		expect((sent.body.tools as unknown[]).length).toBe(2);
	});

	it("passes the tool calls of the answer through the client", async () => {
		const { client } = fakeClient(server);
		server.script("openai", { toolCalls: [{ id: "x1", name: "get_weather", arguments: { city: "Rome" } }] });
		const { result } = await client.complete({ messages: [{ role: "user", content: "Rome?" }], tools: [weather] });
		expect(result.tool_calls).toEqual([{ id: "x1", name: "get_weather", arguments: { city: "Rome" } }]);
	});

	it("merges what a user adds after tool results into Anthropic's one user message", () => {
		const merged = anthropicMessages([...history, { role: "user", content: "And tomorrow?" }]);
		expect(merged).toHaveLength(4);
		expect(merged[3]).toEqual({ role: "user", content: "And tomorrow?" });
	});
});

describe("the local provider plays a tool-calling model", () => {
	const local = new LocalProvider();
	it("calls the tools the user names, in one answer, then answers from their results", async () => {
		const first = await local.complete({ model: "local-echo", max_tokens: 500, tools: [weather, time], messages: [{ role: "user", content: "Use get_weather and get_time for Oslo" }] });
		expect(first.tool_calls?.map(c => c.name)).toEqual(["get_weather", "get_time"]);
		expect(first.tool_calls?.[0].arguments).toEqual({ city: expect.stringContaining("Oslo") });
		const again = await local.complete({ model: "local-echo", max_tokens: 500, tools: [weather, time], messages: [{ role: "user", content: "Use get_weather and get_time for Oslo" }] });
		expect(again).toEqual(first);
		const second = await local.complete({
			model: "local-echo",
			max_tokens: 500,
			tools: [weather, time],
			messages: [
				{ role: "user", content: "Use get_weather and get_time for Oslo" },
				{ role: "assistant", content: "", tool_calls: first.tool_calls },
				{ role: "tool", tool_call_id: "local_0_0", name: "get_weather", content: '{"sky":"snow"}' },
				{ role: "tool", tool_call_id: "local_0_1", name: "get_time", content: "12:00" }
			]
		});
		expect(second.tool_calls).toBeUndefined();
		expect(second.text).toContain('get_weather: {"sky":"snow"}');
		expect(second.text).toContain("get_time: 12:00");
	});

	it("calls the first tool when the user names none", async () => {
		const answer = await local.complete({ model: "local-echo", max_tokens: 500, tools: [weather, time], messages: [{ role: "user", content: "Oslo?" }] });
		expect(answer.tool_calls?.map(c => c.name)).toEqual(["get_weather"]);
	});
});
