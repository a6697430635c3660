/** MCP servers for agent steps: the configuration, a stdio server started from it, and the SSRF guard on URLs. */
import path from "node:path";
import { parseMcpServers } from "../../../../lib/agents/mcp-config";
import { McpServers } from "../../../../lib/agents/mcp-servers";
import { startMcpToolServer, type McpToolServer } from "../../../support/mcp-tool-server";

describe("MCP_SERVERS", () => {
	it("takes URLs and commands, and refuses anything else, naming the server", () => {
		expect(parseMcpServers("")).toEqual({});
		expect(parseMcpServers('{"a":{"url":"https://x.example/mcp","headers":{"k":"v"}},"b":{"command":"npx","args":["-y","srv"]}}')).toEqual({
			a: { url: "https://x.example/mcp", headers: { k: "v" } },
			b: { command: "npx", args: ["-y", "srv"] }
		});
		expect(() => parseMcpServers('{"a":{"url":"file:///etc/passwd"}}')).toThrow(/server a: url must be http or https/);
		expect(() => parseMcpServers('{"a":{}}')).toThrow(/server a: give a url or a command/);
		expect(() => parseMcpServers('{"a b":{"command":"x"}}')).toThrow(/letters, digits/);
		expect(() => parseMcpServers("[1]")).toThrow(/JSON object/);
	});
});

describe("McpServers", () => {
	let http: McpToolServer;
	beforeAll(async () => {
		http = await startMcpToolServer();
	});
	afterAll(() => http.close());

	it("starts a stdio server from the configuration, lists and calls its tools, and gives it only PATH, HOME and its env", async () => {
		const servers = new McpServers({ local: { command: process.execPath, args: [path.join(__dirname, "../../../support/mcp-stdio-server.js")], env: { GIVEN: "1" } } }, []);
		const signal = new AbortController().signal;
		try {
			expect(await servers.describe("local", "echo", signal)).toMatchObject({ description: "Says it back", parameters: { type: "object", properties: { text: { type: "string" } } } });
			expect(await servers.call("local", "echo", { text: "hi" }, signal)).toEqual({ result: "echo: hi", is_error: false });
			const env = String((await servers.call("local", "env", {}, signal)).result).split(",");
			expect(env).toEqual(expect.arrayContaining(["GIVEN", "HOME", "PATH"]));
			expect(env).not.toContain("JWT_SECRET");
			await expect(servers.describe("local", "nope", signal)).rejects.toThrow(/has no tool nope \(it has echo, env\)/);
			await expect(servers.describe("other", "echo", signal)).rejects.toThrow(/No MCP server named other is configured/);
		} finally {
			await servers.close();
		}
	});

	it("refuses a server on a local address unless STEP_HTTP_ALLOWED_HOSTS lists it", async () => {
		const signal = new AbortController().signal;
		const refused = new McpServers({ near: { url: http.url } }, []);
		await expect(refused.describe("near", "add", signal)).rejects.toThrow(/private or local address/);
		await refused.close();
		const byName = new McpServers({ near: { url: http.url.replace("127.0.0.1", "localhost") } }, []);
		await expect(byName.describe("near", "add", signal)).rejects.toThrow(/private or local address|fetch failed/);
		await byName.close();
		const allowed = new McpServers({ near: { url: http.url } }, ["127.0.0.1"]);
		expect(await allowed.call("near", "add", { a: 1, b: 2 }, signal)).toEqual({ result: "3", is_error: false });
		await allowed.close();
	});
});
