import type { IncomingMessage, ServerResponse } from "node:http";
import type { Service } from "moleculer";
import type { McpEndpointDeps, RunView, WorkflowTool } from "../lib/agents/mcp-endpoint";
import { satisfies, type Principal } from "../lib/auth/principal";
import { forbidden, unauthorized } from "../lib/errors";
import { invalidToken } from "../lib/auth/tokens";
import { runtimeOf } from "../lib/runtime";

interface McpGatewayThis extends Service {
	principalFor(credential: string, call: (action: string, params: Record<string, unknown>) => Promise<unknown>): Promise<Principal>;
	sendError(req: unknown, res: unknown, err: unknown): void;
}

/** The caller behind `Authorization: Bearer <JWT or API key>` or `X-API-Key`; a 401 without one. */
async function callerOf(service: McpGatewayThis, req: IncomingMessage): Promise<Principal> {
	const header = req.headers.authorization;
	const keyHeader = req.headers["x-api-key"];
	let credential: string | undefined;
	if (typeof header === "string" && header.trim()) {
		const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
		if (!m) throw invalidToken("Use the Bearer scheme: Authorization: Bearer <token>");
		credential = m[1];
	} else if (typeof keyHeader === "string" && keyHeader.trim()) credential = keyHeader.trim();
	if (!credential) throw unauthorized();
	return service.principalFor(credential, (action, params) => service.broker.call(action, params));
}

function depsFor(service: McpGatewayThis, user: Principal): McpEndpointDeps {
	const meta = { user };
	const view = (e: Record<string, unknown>): RunView => ({
		execution_id: String(e.execution_id),
		status: String(e.status),
		progress: Number(e.progress ?? 0),
		outputs: (e.outputs as Record<string, unknown> | null) ?? null,
		error: (e.error as { message: string } | null) ?? null
	});
	return {
		tools: () => service.broker.call("workflow.tools", {}, { meta }) as Promise<WorkflowTool[]>,
		async start(tool, inputs) {
			if (!satisfies(user, "write")) throw forbidden("This API key's scopes do not allow running workflows");
			return view((await service.broker.call("execution.execute", { workflow_id: tool.workflow_id, workflow_version: tool.version, inputs }, { meta })) as Record<string, unknown>);
		},
		async get(id) {
			return view((await service.broker.call("execution.get", { id }, { meta })) as Record<string, unknown>);
		}
	};
}

/** `/mcp` (Streamable HTTP): the caller's active workflows as MCP tools (`lib/agents/mcp-endpoint.ts`). */
async function mcp(this: McpGatewayThis, req: IncomingMessage, res: ServerResponse): Promise<void> {
	let user: Principal;
	try {
		user = await callerOf(this, req);
	} catch (err) {
		this.sendError(req, res, err);
		return;
	}
	try {
		// The MCP SDK loads on the first /mcp request, not with every gateway.
		const { handleMcpRequest } = require("../lib/agents/mcp-endpoint") as typeof import("../lib/agents/mcp-endpoint");
		await handleMcpRequest(req, res, depsFor(this, user), runtimeOf(this.broker).config.version);
	} catch (err) {
		if (!res.headersSent) this.sendError(req, res, err);
		else res.destroy();
	}
}

export const MCP_ALIASES = {
	"POST /mcp": mcp,
	"GET /mcp": mcp,
	"DELETE /mcp": mcp
};
