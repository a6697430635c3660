"use strict";
/** A stdio MCP server (the official SDK) for the MCP client tests: `echo` and, to show what it was given, `env`. */
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { z } = require("zod");

const server = new McpServer({ name: "stdio-test", version: "1.0.0" });
server.registerTool("echo", { description: "Says it back", inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: "text", text: `echo: ${text}` }] }));
server.registerTool("env", { description: "Names of the environment variables it got", inputSchema: {} }, async () => ({ content: [{ type: "text", text: Object.keys(process.env).sort().join(",") }] }));
void server.connect(new StdioServerTransport());
