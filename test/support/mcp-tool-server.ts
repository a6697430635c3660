/** A small MCP server (Streamable HTTP, the official SDK) whose tools the agent tests call: `add` and `fail`. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export interface McpToolServer {
	url: string;
	/** Calls per tool name. */
	calls: Map<string, number>;
	close(): Promise<void>;
}

export async function startMcpToolServer(): Promise<McpToolServer> {
	const calls = new Map<string, number>();
	const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
	const server = http.createServer(async (req, res) => {
		// Stateless: a server and transport per request, as the SDK's examples do.
		const mcp = new McpServer({ name: "test-tools", version: "1.0.0" });
		mcp.registerTool("add", { description: "Adds two numbers", inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => {
			count("add");
			return { content: [{ type: "text", text: String(a + b) }] };
		});
		mcp.registerTool("fail", { description: "Always fails", inputSchema: {} }, async () => {
			count("fail");
			return { isError: true, content: [{ type: "text", text: "the disk is on fire" }] };
		});
		const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
		res.on("close", () => void transport.close());
		await mcp.connect(transport);
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
		await transport.handleRequest(req, res, body);
	});
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
		calls,
		close: () =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
