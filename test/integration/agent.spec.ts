/**
 * Agent steps through both vendors' SDKs against the wire fake: a workflow tool (a child
 * execution), an HTTP tool, an MCP tool (a real MCP server), parallel calls, a tool error
 * fed back, max_turns, a budget stop, an approval on a tool call, and threads.
 */
import { startTestNode, type TestNode } from "../support/broker";
import { execute, finished, postWorkflow, stepOf, waitForExecution, type EngineHarness } from "../support/engine-harness";
import { AUTH_ENV, createUser } from "../support/factories";
import { FakeLlmServer, toolResultsOf, type FakeApi } from "../support/fake-llm-server";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startMcpToolServer, type McpToolServer } from "../support/mcp-tool-server";
import { connectSocketIo } from "../support/realtime-clients";
import { startTargetServer, type TargetServer } from "../support/target-server";

const fake = new FakeLlmServer();
let node: TestNode;
let h: EngineHarness;
let target: TargetServer;
let mcp: McpToolServer;

beforeAll(async () => {
	await fake.start();
	target = await startTargetServer();
	mcp = await startMcpToolServer();
	node = await startTestNode({
		env: {
			...AUTH_ENV,
			LLM_OPENAI_API_KEY: "sk-test-openai-key-0001",
			LLM_OPENAI_BASE_URL: fake.baseURL("openai"),
			LLM_ANTHROPIC_API_KEY: "sk-ant-test-anthropic-key-0001",
			LLM_ANTHROPIC_BASE_URL: fake.baseURL("anthropic"),
			LLM_RETRY_MAX_ATTEMPTS: "1",
			STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
			MCP_SERVERS: JSON.stringify({ calc: { url: mcp.url } })
		}
	});
	const user = await createUser(node.http);
	h = { mode: "embedded", http: node.http, user, target, sql: async () => [], restartWorkers: async () => undefined, stop: () => node.stop() };
	await postWorkflow(h, {
		workflow_id: "weather",
		version: "1.0.0",
		description: "Forecast for a city",
		inputs: [{ name: "city", type: "string", required: true }],
		outputs: [{ name: "forecast", value: "${{ steps.look.output.body.value }}" }],
		steps: [{ id: "look", type: "http_request", params: { url: `${target.url}/ok?value=sunny-in-\${{ inputs.city }}` } }]
	});
});
afterAll(async () => {
	await node?.stop();
	await fake.stop();
	await target.close();
	await mcp.close();
});
beforeEach(() => fake.reset());

let n = 0;
async function runAgent(api: FakeApi, params: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	const id = `agent-${api}-${++n}`;
	await postWorkflow(h, {
		workflow_id: id,
		version: "1.0.0",
		inputs: [{ name: "city", type: "string", required: false, default: "Oslo" }],
		steps: [{ id: "ask", type: "agent", params: { model: api === "openai" ? "gpt-5.4" : "claude-sonnet-4-6", ...params }, ...extra }]
	});
	return execute(h, id, {});
}

const weatherTool = { name: "get_weather", workflow_id: "weather", version: "1.0.0" };
const searchTool = {
	name: "search_docs",
	description: "Search the docs",
	http: { url: "https://placeholder.example" },
	parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] }
};

describe.each(["openai", "anthropic"] as FakeApi[])("agent steps through the %s SDK", api => {
	it("runs a workflow tool and an HTTP tool in parallel, feeds their results back, and answers", async () => {
		fake.script(api, {
			toolCalls: [
				{ id: "w1", name: "get_weather", arguments: { city: "Oslo" } },
				{ id: "s1", name: "search_docs", arguments: { q: "umbrella" } }
			]
		});
		fake.script(api, { text: "Sunny in Oslo; no umbrella needed." });
		const id = await runAgent(api, {
			prompt: "What is the weather in ${{ inputs.city }}?",
			system: "You are a travel assistant.",
			tools: [weatherTool, { ...searchTool, http: { method: "GET", url: `${target.url}/ok?value=\${{ args.q }}` } }]
		});
		const e = await waitForExecution(h, id, finished);
		expect(e.status).toBe("completed");
		const output = stepOf(e, "ask").output as Record<string, unknown>;
		expect(output).toMatchObject({ text: "Sunny in Oslo; no umbrella needed.", turns: 2, provider: api });
		const calls = output.tool_calls as { name: string; result: unknown; child_execution_id?: string }[];
		expect(calls.map(c => c.name).sort()).toEqual(["get_weather", "search_docs"]);
		expect(calls.find(c => c.name === "get_weather")?.result).toEqual({ forecast: "sunny-in-Oslo" });
		expect(calls.find(c => c.name === "search_docs")?.result).toEqual({ value: "umbrella" });
		// The workflow tool ran as a child execution of the run.
		const child = (await h.http.get(`/api/v3/workflows/executions/${calls.find(c => c.name === "get_weather")!.child_execution_id}`).set(h.user.auth)).body;
		expect(child).toMatchObject({ status: "completed", parent_execution_id: id, workflow_id: "weather" });
		// The second turn carried both results back in the vendor's shape, and the tools' definitions.
		const second = fake.requestsTo(api)[1];
		expect(toolResultsOf(second).map(r => r.content).sort()).toEqual(['{"forecast":"sunny-in-Oslo"}', '{"value":"umbrella"}']);
		expect(JSON.stringify(second.body.tools)).toContain("Forecast for a city");
		expect(fake.requestsTo(api)).toHaveLength(2);
	});

	it("calls a configured MCP server's tool and feeds a tool error back so the model recovers", async () => {
		fake.script(api, {
			toolCalls: [
				{ id: "m1", name: "add", arguments: { a: 2, b: 40 } },
				{ id: "m2", name: "broken", arguments: {} }
			]
		});
		fake.script(api, { toolCalls: [{ id: "h1", name: "lookup", arguments: { q: "x" } }] });
		fake.script(api, { text: "42, and the other tools failed." });
		const id = await runAgent(api, {
			prompt: "Add 2 and 40",
			tools: [
				{ name: "add", mcp: { server: "calc", tool: "add" } },
				{ name: "broken", mcp: { server: "calc", tool: "fail" } },
				{ name: "lookup", http: { url: `${target.url}/missing?q=\${{ args.q }}` }, parameters: { type: "object", properties: { q: { type: "string" } } } }
			]
		});
		const e = await waitForExecution(h, id, finished);
		expect(e.status).toBe("completed");
		const results = toolResultsOf(fake.requestsTo(api)[1]);
		expect(results.find(r => r.content === "42")).toBeTruthy();
		const failed = results.find(r => r.content.includes("the disk is on fire"))!;
		expect(failed).toBeTruthy();
		if (api === "anthropic") expect(failed.is_error).toBe(true);
		// The HTTP tool's 404 went back to the model as the call's result.
		const third = toolResultsOf(fake.requestsTo(api)[2]);
		expect(third[third.length - 1].content).toMatch(/answered 404/);
		expect(mcp.calls.get("add")).toBeGreaterThanOrEqual(1);
	});

	it("fails with max_turns when the model never stops calling tools", async () => {
		fake.respond = () => ({ toolCalls: [{ name: "lookup", arguments: { q: "again" } }] });
		const id = await runAgent(api, {
			prompt: "Loop",
			max_turns: 2,
			tools: [{ name: "lookup", http: { url: `${target.url}/ok?value=\${{ args.q }}` }, parameters: { type: "object", properties: { q: { type: "string" } } } }]
		});
		const e = await waitForExecution(h, id, finished);
		expect(e.status).toBe("failed");
		expect(stepOf(e, "ask").error).toMatchObject({ type: "max_turns" });
		expect(fake.requestsTo(api)).toHaveLength(2);
	});

	it("stops at the step's budget before a turn that could pass it", async () => {
		fake.script(api, { toolCalls: [{ name: "lookup", arguments: { q: "a" } }], usage: { prompt: 50, completion: 900 } });
		const id = await runAgent(api, {
			prompt: "Spend",
			max_tokens: 100,
			budget: { max_tokens: 1000 },
			tools: [{ name: "lookup", http: { url: `${target.url}/ok?value=\${{ args.q }}` }, parameters: { type: "object", properties: { q: { type: "string" } } } }]
		});
		const e = await waitForExecution(h, id, finished);
		expect(e.status).toBe("failed");
		expect(stepOf(e, "ask").error).toMatchObject({ type: "budget_exceeded" });
		expect(stepOf(e, "ask").error?.message).toMatch(/step's/);
		expect(fake.requestsTo(api)).toHaveLength(1);
	});
});

describe("agent steps, with approvals and threads (OpenAI)", () => {
	const tool = {
		name: "lookup",
		approval_required: true,
		http: { url: "https://placeholder.example" },
		parameters: { type: "object", properties: { q: { type: "string" } } }
	};

	it("waits for a person to approve a tool call, runs it once approved, and feeds a rejection back", async () => {
		fake.script("openai", { toolCalls: [{ id: "a1", name: "lookup", arguments: { q: "first" } }] });
		fake.script("openai", { toolCalls: [{ id: "a2", name: "lookup", arguments: { q: "second" } }] });
		fake.script("openai", { text: "Done." });
		const id = await runAgent("openai", { prompt: "Look things up", tools: [{ ...tool, http: { url: `${target.url}/ok?value=\${{ args.q }}` } }] });
		const waiting = await waitForExecution(h, id, e => stepOf(e, "ask")?.waiting_for === "approval");
		expect(waiting.status).toBe("running");
		expect(target.calls.get(`agent:${id}:ask:a1`)).toBeUndefined();
		await h.http.post(`/api/v3/workflows/executions/${id}/steps/ask/approve`).set(h.user.auth).send({ comment: "ok" }).expect(200);
		await waitForExecution(h, id, e => stepOf(e, "ask")?.waiting_for === "approval" && fake.requestsTo("openai").length === 2);
		await h.http.post(`/api/v3/workflows/executions/${id}/steps/ask/reject`).set(h.user.auth).send({ comment: "not that" }).expect(200);
		const e = await waitForExecution(h, id, finished);
		expect(e.status).toBe("completed");
		expect(target.calls.get(`agent:${id}:ask:a1`)).toBe(1);
		expect(target.calls.get(`agent:${id}:ask:a2`)).toBeUndefined();
		const third = toolResultsOf(fake.requestsTo("openai")[2]);
		expect(third[third.length - 1].content).toMatch(/rejected.*not that/);
		expect(fake.requestsTo("openai")).toHaveLength(3);
	});

	it("cancels a workflow tool's child run when the run is cancelled, and stops at the run's budget", async () => {
		await postWorkflow(h, {
			workflow_id: "slow-tool",
			version: "1.0.0",
			inputs: [{ name: "q", type: "string", required: false, default: "x" }],
			steps: [{ id: "wait", type: "http_request", params: { url: `${target.url}/slow?ms=20000` } }]
		});
		fake.script("openai", { toolCalls: [{ id: "w1", name: "slow", arguments: { q: "a" } }] });
		const id = await runAgent("openai", { prompt: "Wait", tools: [{ name: "slow", workflow_id: "slow-tool", version: "1.0.0" }] });
		let child = "";
		for (;;) {
			const list = (await h.http.get("/api/v3/workflows/executions").query({ workflow_id: "slow-tool" }).set(h.user.auth)).body.executions as { execution_id: string; parent_execution_id: string }[];
			child = list.find(e => e.parent_execution_id === id)?.execution_id ?? "";
			if (child) break;
			await new Promise(r => setTimeout(r, 25));
		}
		await h.http.post(`/api/v3/workflows/executions/${id}/cancel`).set(h.user.auth).send({}).expect(200);
		const ended = await waitForExecution(h, child, finished);
		expect(ended.status).toBe("cancelled");

		// The run's budget holds for each turn as for any LLM call.
		const poor = `agent-poor-${++n}`;
		await postWorkflow(h, { workflow_id: poor, version: "1.0.0", budget: { max_tokens: 50 }, steps: [{ id: "ask", type: "agent", params: { prompt: "Hi", model: "gpt-5.4", max_tokens: 100, tools: [] } }] });
		const e = await waitForExecution(h, await execute(h, poor, {}), finished);
		expect(e.status).toBe("failed");
		expect(stepOf(e, "ask").error).toMatchObject({ type: "budget_exceeded" });
		expect(stepOf(e, "ask").error?.message).toMatch(/execution's/);
	});

	it("checks the final answer against json_schema, and fails the step on a fail_step tool's error", async () => {
		fake.script("openai", { text: '{"umbrella": true}' });
		const schema = { type: "object", required: ["umbrella"], properties: { umbrella: { type: "boolean" } } };
		const ok = await waitForExecution(h, await runAgent("openai", { prompt: "Umbrella?", json_schema: schema, tools: [] }), finished);
		expect(ok.status).toBe("completed");
		expect(stepOf(ok, "ask").output).toMatchObject({ json: { umbrella: true }, turns: 1 });
		expect(JSON.stringify(fake.requestsTo("openai")[0].body.response_format)).toContain("json_schema");

		fake.script("openai", { toolCalls: [{ id: "f1", name: "must", arguments: { q: "x" } }] });
		const failing = await waitForExecution(
			h,
			await runAgent("openai", { prompt: "Go", tools: [{ name: "must", fail_step: true, http: { url: `${target.url}/missing?q=\${{ args.q }}` }, parameters: { type: "object", properties: { q: { type: "string" } } } }] }),
			finished
		);
		expect(failing.status).toBe("failed");
		expect(stepOf(failing, "ask").error).toMatchObject({ type: "tool_failed" });
		expect(stepOf(failing, "ask").error?.message).toMatch(/must failed: .*404/);
	});

	it("continues a thread in the next run, and the thread can be read and deleted", async () => {
		fake.script("openai", { text: "Nice to meet you, Ada." }, { text: "Your name is Ada." });
		const params = { prompt: "${{ inputs.city }}", thread: "chat-ada", tools: [] };
		await waitForExecution(h, await runAgent("openai", { ...params, prompt: "My name is Ada" }), finished);
		const e = await waitForExecution(h, await runAgent("openai", { ...params, prompt: "What is my name?" }), finished);
		expect(e.status).toBe("completed");
		const messages = fake.requestsTo("openai")[1].body.messages as { role: string; content: string }[];
		expect(messages.map(m => m.content)).toEqual(["My name is Ada", "Nice to meet you, Ada.", "What is my name?"]);
		const thread = (await h.http.get("/api/v3/threads/chat-ada").set(h.user.auth).expect(200)).body;
		expect(thread.messages).toHaveLength(4);
		await h.http.delete("/api/v3/threads/chat-ada").set(h.user.auth).expect(204);
		await h.http.get("/api/v3/threads/chat-ada").set(h.user.auth).expect(404);
	});
});

describe("a streaming agent step", () => {
	it("streams its tokens, tool calls and tool results on the run's channel, in order", async () => {
		const client = await connectSocketIo(node.url, h.user.token);
		try {
			fake.script("openai", { text: "Looking it up.", toolCalls: [{ id: "s1", name: "lookup", arguments: { q: "tea" } }] });
			fake.script("openai", { text: "Tea it is, friend." });
			const workflowId = `agent-openai-${++n}`;
			await postWorkflow(h, {
				workflow_id: workflowId,
				version: "1.0.0",
				steps: [
					{
						id: "ask",
						type: "agent",
						params: { prompt: "Tea?", model: "gpt-5.4", stream: true, tools: [{ name: "lookup", http: { url: `${target.url}/ok?value=\${{ args.q }}` }, parameters: { type: "object", properties: { q: { type: "string" } } } }] }
					}
				]
			});
			expect((await client.request({ action: "subscribe", workflow_id: workflowId }, "subscribed")).type).toBe("subscribed");
			const id = await execute(h, workflowId, {});
			await client.waitFor(m => m.type === "workflow_status" && (m.data as { status: string }).status === "completed" && m.execution_id === id);
			const events = client.messages.filter(m => m.type === "event" && m.execution_id === id).map(m => m.data as Record<string, unknown>);
			const kinds = events.map(e => (e.event_type === "LlmToken" ? `token:${e.delta}` : String(e.event_type)));
			const story = kinds.filter(k => k.startsWith("token") || k.startsWith("Agent")).join("|");
			expect(story).toBe("token:Looking |token:it |token:up.|AgentTurnCompleted|AgentToolCallCompleted|token:Tea |token:it |token:is, |token:friend.|AgentTurnCompleted");
			const call = events.find(e => e.event_type === "AgentToolCallCompleted")!;
			expect(call).toMatchObject({ step_id: "ask", name: "lookup", arguments: { q: "tea" }, result: { value: "tea" } });
			const turn = events.find(e => e.event_type === "AgentTurnCompleted")!;
			expect(turn).toMatchObject({ turn: 1, tool_calls: [{ id: "s1", name: "lookup" }], provider: "openai" });
			expect(turn.cost_usd).toEqual(expect.any(Number));
		} finally {
			await client.close();
		}
	});
});

describe("agent step definitions", () => {
	it("are validated at upload: args only in tools, one kind per tool, unique names", async () => {
		const res = await h.http
			.post("/api/v3/workflows")
			.set(h.user.auth)
			.send({
				workflow_id: "bad-agent",
				version: "1.0.0",
				steps: [
					{
						id: "ask",
						type: "agent",
						params: {
							prompt: "Hi ${{ args.q }}",
							tools: [
								{ name: "a", http: { url: "https://x.example/${{ args.q }}" } },
								{ name: "a", workflow_id: "weather", http: { url: "https://y.example" } }
							]
						}
					}
				]
			});
		expect(res.status).toBe(422);
		const problems = JSON.stringify(res.body);
		expect(problems).toContain("args (a tool call's arguments) exists only inside an agent step's tool definitions");
		expect(problems).toContain("needs exactly one of workflow_id, http or mcp");
		expect(problems).toContain('\\"a\\" is used by two tools');
		expect(problems).not.toContain("steps[0].params.tools[0].http.url");
	});
});

describe("agent steps offline (the local provider)", () => {
	let local: TestNode;
	afterAll(() => local?.stop());
	it("run with the local provider's tool-calling model", async () => {
		local = await startTestNode({ env: { ...AUTH_ENV, STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1" } });
		const user = await createUser(local.http);
		const lh: EngineHarness = { mode: "embedded", http: local.http, user, target, sql: async () => [], restartWorkers: async () => undefined, stop: () => local.stop() };
		await postWorkflow(lh, {
			workflow_id: "offline-agent",
			version: "1.0.0",
			steps: [{ id: "ask", type: "agent", params: { prompt: "Use echo please", tools: [{ name: "echo", http: { url: `${target.url}/ok?value=\${{ args.text }}` }, parameters: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } }] } }]
		});
		const e = await waitForExecution(lh, await execute(lh, "offline-agent", {}), finished);
		expect(e.status).toBe("completed");
		const output = stepOf(e, "ask").output as { text: string; turns: number; provider: string; tool_calls: { name: string; result: unknown }[] };
		expect(output).toMatchObject({ turns: 2, provider: "local" });
		expect(output.tool_calls[0]).toMatchObject({ name: "echo", result: { value: "Use echo please" } });
		expect(output.text).toContain("echo");
	});

	it("runs the agent example of examples/ offline, continuing its thread in the next run", async () => {
		const user = await createUser(local.http);
		for (const file of ["weather.yaml", "travel-agent.yaml"]) {
			const text = readFileSync(path.join(__dirname, "../../examples", file), "utf8");
			await local.http.post("/api/v3/workflows").set(user.auth).set("Content-Type", "application/yaml").send(text).expect(201);
		}
		const lh: EngineHarness = { mode: "embedded", http: local.http, user, target, sql: async () => [], restartWorkers: async () => undefined, stop: () => local.stop() };
		const first = await waitForExecution(lh, await execute(lh, "travel-agent", { city: "Oslo", traveller: "ada" }), finished);
		expect(first.status).toBe("completed");
		const calls = (first.outputs as { tool_calls: { name: string; result: { forecast: { sky: string } } }[] }).tool_calls;
		expect(calls[0]).toMatchObject({ name: "get_weather", result: { forecast: { sky: expect.any(String) } } });
		await waitForExecution(lh, await execute(lh, "travel-agent", { city: "Rome", traveller: "ada" }), finished);
		const thread = (await local.http.get("/api/v3/threads/travel-ada").set(user.auth).expect(200)).body;
		expect(thread.messages.filter((m: { role: string }) => m.role === "user")).toHaveLength(2);
	});
});
