/**
 * `/mcp`: the caller's active workflows as MCP tools over Streamable HTTP (the official
 * SDK, stateless: a server per request). A tool's name is the workflow id, its input schema
 * the workflow's declared inputs, its description the workflow's. Calling one runs the
 * workflow durably and answers with its outputs; while it runs, a client that sent a
 * progress token hears the run's progress (0–100).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export interface WorkflowTool {
	workflow_id: string;
	version: string;
	description: string;
	input_schema: Record<string, unknown>;
}

export interface RunView {
	execution_id: string;
	status: string;
	progress: number;
	outputs: Record<string, unknown> | null;
	error: { message: string } | null;
}

/** What the endpoint needs, for one authenticated caller. */
export interface McpEndpointDeps {
	tools(): Promise<WorkflowTool[]>;
	start(tool: WorkflowTool, inputs: Record<string, unknown>): Promise<RunView>;
	get(executionId: string): Promise<RunView>;
}

/** How often a running tool call reads its execution (ms): progress notifications go out at this pace at most. */
const POLL_MS = 250;
const ENDED = new Set(["completed", "failed", "cancelled"]);

export async function handleMcpRequest(req: IncomingMessage, res: ServerResponse, deps: McpEndpointDeps, version: string): Promise<void> {
	const server = new Server({ name: "cognitionos", version }, { capabilities: { tools: {} } });
	server.setRequestHandler(ListToolsRequestSchema, async () => ({
		tools: (await deps.tools()).map(t => ({
			name: t.workflow_id,
			description: t.description,
			inputSchema: t.input_schema as { type: "object"; properties?: Record<string, object> }
		}))
	}));
	server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
		const tool = (await deps.tools()).find(t => t.workflow_id === request.params.name);
		if (!tool) return { isError: true, content: [{ type: "text", text: `No active workflow named ${request.params.name}` }] };
		let run: RunView;
		try {
			run = await deps.start(tool, request.params.arguments ?? {});
		} catch (err) {
			return { isError: true, content: [{ type: "text", text: (err as Error).message }] };
		}
		const token = request.params._meta?.progressToken;
		let told = -1;
		while (!ENDED.has(run.status)) {
			if (token !== undefined && run.progress !== told) {
				told = run.progress;
				await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: run.progress, total: 100, message: `execution ${run.execution_id} ${run.status}` } });
			}
			await new Promise(r => setTimeout(r, POLL_MS));
			// The client went away: the run goes on (it is durable); nobody waits for it here.
			if (extra.signal.aborted) return { isError: true, content: [{ type: "text", text: `Cancelled by the client; execution ${run.execution_id} goes on` }] };
			run = await deps.get(run.execution_id);
		}
		if (run.status !== "completed") {
			return { isError: true, content: [{ type: "text", text: `Execution ${run.execution_id} ${run.status}${run.error ? `: ${run.error.message}` : ""}` }] };
		}
		const outputs = run.outputs ?? {};
		return { content: [{ type: "text", text: JSON.stringify(outputs) }], structuredContent: { ...outputs, execution_id: run.execution_id } };
	});
	const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
	res.on("close", () => {
		void transport.close();
		void server.close();
	});
	await server.connect(transport);
	await transport.handleRequest(req, res);
}
