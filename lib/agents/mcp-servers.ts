/**
 * The MCP servers an admin configured (`MCP_SERVERS`), whose tools agent steps may call:
 * Streamable HTTP URLs (reached through the SSRF guard of http_request) and stdio commands
 * (only ever from configuration, never from a workflow). One client per server, connected
 * on first use and kept; a broken connection is dropped and made again on the next call.
 */
import { isIP } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { Agent, fetch as guardedFetch } from "undici";
import { guardedLookup, hostAllowed, isPrivateAddress } from "../steps/http-guard";
import type { McpServerConfig } from "./mcp-config";
import type { ToolDescription } from "./services";

/** How long a server's tool list is trusted before it is asked again (ms). */
const TOOL_LIST_TTL_MS = 60_000;
/** Longest wait for a server to connect and list its tools (ms). */
const CONNECT_TIMEOUT_MS = 15_000;

export class McpServers {
	private readonly clients = new Map<string, Promise<Client>>();
	private readonly lists = new Map<string, { at: number; tools: Map<string, ToolDescription> }>();

	constructor(
		private readonly servers: Readonly<Record<string, McpServerConfig>>,
		private readonly allowedHosts: readonly string[],
		private readonly now: () => number = Date.now
	) {}

	get names(): string[] {
		return Object.keys(this.servers);
	}

	async describe(server: string, tool: string, signal: AbortSignal): Promise<ToolDescription> {
		const tools = await this.list(server, signal);
		const found = tools.get(tool);
		if (!found) throw new Error(`MCP server ${server} has no tool ${tool} (it has ${[...tools.keys()].join(", ") || "none"})`);
		return found;
	}

	async call(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<{ result: unknown; is_error: boolean }> {
		const client = await this.client(server);
		try {
			const answer = await client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: 24 * 3_600_000, resetTimeoutOnProgress: true });
			const content = (answer.content ?? []) as { type: string; text?: string }[];
			const text = content.filter(c => c.type === "text").map(c => c.text ?? "").join("\n");
			const result = answer.structuredContent ?? (content.every(c => c.type === "text") ? text : content);
			return { result, is_error: answer.isError === true };
		} catch (err) {
			if (!signal.aborted) this.drop(server);
			throw err;
		}
	}

	async close(): Promise<void> {
		const all = [...this.clients.values()];
		this.clients.clear();
		await Promise.all(all.map(p => p.then(c => c.close()).catch(() => undefined)));
	}

	private async list(server: string, signal: AbortSignal): Promise<Map<string, ToolDescription>> {
		const cached = this.lists.get(server);
		if (cached && this.now() - cached.at < TOOL_LIST_TTL_MS) return cached.tools;
		const client = await this.client(server);
		const tools = new Map<string, ToolDescription>();
		try {
			let cursor: string | undefined;
			do {
				const page = await client.listTools(cursor ? { cursor } : {}, { signal, timeout: CONNECT_TIMEOUT_MS });
				for (const t of page.tools) tools.set(t.name, { description: t.description ?? t.name, parameters: t.inputSchema as Record<string, unknown> });
				cursor = page.nextCursor;
			} while (cursor);
		} catch (err) {
			this.drop(server);
			throw err;
		}
		this.lists.set(server, { at: this.now(), tools });
		return tools;
	}

	private client(server: string): Promise<Client> {
		let client = this.clients.get(server);
		if (!client) {
			const config = this.servers[server];
			if (!config) return Promise.reject(new Error(`No MCP server named ${server} is configured (MCP_SERVERS has ${this.names.join(", ") || "none"})`));
			client = this.connect(server, config);
			client.catch(() => this.drop(server));
			this.clients.set(server, client);
		}
		return client;
	}

	private async connect(name: string, config: McpServerConfig): Promise<Client> {
		const client = new Client({ name: "cognitionos", version: "3.0.0" });
		client.onclose = () => this.drop(name);
		await client.connect(this.transport(config), { timeout: CONNECT_TIMEOUT_MS });
		return client;
	}

	private transport(config: McpServerConfig): Transport {
		if ("command" in config) {
			// Inherit only PATH and HOME: the server gets no secrets of ours it was not given.
			const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...config.env };
			return new StdioClientTransport({ command: config.command, args: config.args, env, cwd: config.cwd, stderr: "ignore" });
		}
		const url = new URL(config.url);
		const host = url.hostname.replace(/^\[|\]$/g, "");
		if (isIP(host) && isPrivateAddress(host) && !hostAllowed(host, this.allowedHosts)) {
			throw new Error(`${host} is a private or local address; list it in STEP_HTTP_ALLOWED_HOSTS to allow it`);
		}
		// The SSRF guard runs in the connection's own DNS lookup, as for http_request.
		const dispatcher = new Agent({ connect: { lookup: guardedLookup(host, this.allowedHosts) } });
		return new StreamableHTTPClientTransport(url, {
			requestInit: config.headers ? { headers: config.headers } : undefined,
			fetch: ((input: string | URL, init?: RequestInit) => guardedFetch(input, { ...(init as object), dispatcher } as Parameters<typeof guardedFetch>[1])) as unknown as typeof fetch
		});
	}

	private drop(server: string): void {
		const client = this.clients.get(server);
		this.clients.delete(server);
		this.lists.delete(server);
		void client?.then(c => c.close()).catch(() => undefined);
	}
}
