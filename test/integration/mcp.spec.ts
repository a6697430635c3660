/**
 * `/mcp` with the official MCP client (Streamable HTTP): the caller's active workflows are
 * its tools, a call runs one durably and answers with its outputs (with progress
 * notifications), a JWT or an API key lets a client in, nothing else does.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startTestNode, type TestNode } from "../support/broker";
import { postWorkflow, type EngineHarness } from "../support/engine-harness";
import { AUTH_ENV, createUser, type TestUser } from "../support/factories";
import { startTargetServer, type TargetServer } from "../support/target-server";

let node: TestNode;
let user: TestUser;
let other: TestUser;
let target: TargetServer;

async function connect(headers: Record<string, string>): Promise<Client> {
	const client = new Client({ name: "test", version: "1.0.0" });
	await client.connect(new StreamableHTTPClientTransport(new URL(`${node.url}/mcp`), { requestInit: { headers } }));
	return client;
}

beforeAll(async () => {
	target = await startTargetServer();
	node = await startTestNode({ env: { ...AUTH_ENV, STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1" } });
	user = await createUser(node.http);
	other = await createUser(node.http);
	const h = { http: node.http, user } as EngineHarness;
	const greet = (version: string) => ({
		workflow_id: "greet",
		version,
		description: "Greets someone after a short wait",
		inputs: [{ name: "who", type: "string", required: true, description: "Whom to greet" }, { name: "times", type: "integer", required: false, default: 1 }],
		outputs: [{ name: "greeting", value: "Hello ${{ inputs.who }} x${{ inputs.times }}" }, { name: "waited", value: "${{ steps.wait.output.body.slept }}" }],
		steps: [{ id: "wait", type: "http_request", params: { url: `${target.url}/slow?ms=600` } }]
	});
	await postWorkflow(h, greet("1.0.0"));
	await postWorkflow(h, greet("1.1.0"));
	await postWorkflow(h, { workflow_id: "drafty", version: "1.0.0", status: "draft", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
	await postWorkflow({ http: node.http, user: other } as EngineHarness, { workflow_id: "theirs", version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] }, other);
});
afterAll(async () => {
	await node?.stop();
	await target?.close();
});

describe("/mcp", () => {
	it("lists the caller's active workflows as tools, input schemas from their declared inputs", async () => {
		const client = await connect({ Authorization: user.auth.Authorization });
		const { tools } = await client.listTools();
		expect(tools.map(t => t.name)).toEqual(["greet"]);
		expect(tools[0]).toMatchObject({
			description: "Greets someone after a short wait",
			inputSchema: { type: "object", properties: { who: { type: "string", description: "Whom to greet" }, times: { type: "integer", default: 1 } }, required: ["who"] }
		});
		await client.close();
	});

	it("runs a tool's workflow durably and answers with its outputs, with progress on the way", async () => {
		const client = await connect({ Authorization: user.auth.Authorization });
		const progress: number[] = [];
		const result = await client.callTool({ name: "greet", arguments: { who: "Ada", times: 2 } }, undefined, { onprogress: p => progress.push(p.progress) });
		expect(result.isError).toBeFalsy();
		expect(result.structuredContent).toMatchObject({ greeting: "Hello Ada x2", waited: 600 });
		expect(JSON.parse((result.content as { text: string }[])[0].text)).toEqual({ greeting: "Hello Ada x2", waited: 600 });
		expect(progress.length).toBeGreaterThan(0);
		// A real, durable execution of the newest active version.
		const id = (result.structuredContent as { execution_id: string }).execution_id;
		const e = (await node.http.get(`/api/v3/workflows/executions/${id}`).set(user.auth).expect(200)).body;
		expect(e).toMatchObject({ status: "completed", workflow_version: "1.1.0" });
		await client.close();
	});

	it("reports bad arguments and unknown tools as tool errors", async () => {
		const client = await connect({ Authorization: user.auth.Authorization });
		const bad = await client.callTool({ name: "greet", arguments: { times: "many" } });
		expect(bad.isError).toBe(true);
		expect(JSON.stringify(bad.content)).toMatch(/who|times/);
		const unknown = await client.callTool({ name: "theirs", arguments: {} });
		expect(unknown.isError).toBe(true);
		await client.close();
	});

	it("takes an API key", async () => {
		const key = (await node.http.post("/api/v3/auth/api-keys").set(user.auth).send({ name: "mcp" }).expect(201)).body.key as string;
		const client = await connect({ "X-API-Key": key });
		expect((await client.listTools()).tools.map(t => t.name)).toEqual(["greet"]);
		await client.close();
	});

	it("answers 401 without a token, and with a bad one", async () => {
		await expect(connect({})).rejects.toThrow(/unauthorized/);
		await expect(connect({ Authorization: "Bearer not-a-token" })).rejects.toThrow(/invalid_token|unauthorized/);
		const res = await node.http.post("/mcp").send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
		expect(res.status).toBe(401);
		expect(res.headers["www-authenticate"]).toMatch(/Bearer/);
		expect(res.body).toMatchObject({ error: expect.any(String), message: expect.any(String), trace_id: expect.any(String) });
	});
});
