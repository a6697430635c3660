/** `MCP_SERVERS` read and checked at start (kept apart from the MCP client, which loads only when servers are configured). */

export type McpServerConfig = { url: string; headers?: Record<string, string> } | { command: string; args?: string[]; env?: Record<string, string>; cwd?: string };

/** Parses `MCP_SERVERS`: a JSON object of server name → `{url, headers?}` or `{command, args?, env?, cwd?}`. */
export function parseMcpServers(raw: string): Record<string, McpServerConfig> {
	if (!raw.trim()) return {};
	const value = JSON.parse(raw) as unknown;
	if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error('a JSON object such as {"files":{"command":"npx","args":["-y","@modelcontextprotocol/server-filesystem","/data"]},"search":{"url":"https://mcp.example.com/mcp"}}');
	const out: Record<string, McpServerConfig> = {};
	for (const [name, config] of Object.entries(value as Record<string, unknown>)) {
		if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new Error(`server name ${JSON.stringify(name)}: letters, digits, _ and - only`);
		const c = config as Record<string, unknown>;
		if (typeof c?.url === "string") {
			const url = new URL(c.url);
			if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`server ${name}: url must be http or https`);
			out[name] = { url: c.url, ...(c.headers && typeof c.headers === "object" ? { headers: c.headers as Record<string, string> } : {}) };
		} else if (typeof c?.command === "string" && c.command) {
			out[name] = {
				command: c.command,
				...(Array.isArray(c.args) ? { args: c.args.map(String) } : {}),
				...(c.env && typeof c.env === "object" ? { env: c.env as Record<string, string> } : {}),
				...(typeof c.cwd === "string" ? { cwd: c.cwd } : {})
			};
		} else throw new Error(`server ${name}: give a url or a command`);
	}
	return out;
}

