/**
 * An agent's tools: what the model is told of each (name, description, parameters) and
 * how a call runs, one runner per kind: a workflow (a child execution), an HTTP endpoint
 * (through http_request and its SSRF guard), a configured MCP server's tool.
 */
import { Validator } from "@cfworker/json-schema";
import { isPlainObject } from "../dsl/paths";
import { resolveTemplates } from "../dsl/templates";
import { deadline, parseDuration } from "../duration";
import type { ToolDefinition } from "../llm/types";
import { StepFailure } from "../steps/failure";
import { httpRequest } from "../steps/http-request";
import type { StepRunContext } from "../steps/types";
import type { AgentServices } from "./services";

export type ToolKind = "workflow" | "http" | "mcp";

/** A tool of the step, as resolved for this attempt. */
export interface AgentTool {
	kind: ToolKind;
	definition: ToolDefinition;
	approvalRequired: boolean;
	/** A failed call fails the step instead of going back to the model. */
	failStep: boolean;
	timeoutMs: number | null;
	/** The params as written (templates other than `args` already resolved). */
	spec: Record<string, unknown>;
}

/** How a call ended: a result for the model, or an error it is told of. */
export type ToolOutcome = { result: unknown; child_execution_id?: string } | { error: string; child_execution_id?: string };

const DEFAULT_PARAMETERS = { type: "object", properties: {} };

/** The step's tools with their descriptions and parameters (a workflow's from its inputs, an MCP tool's from its server). */
export async function resolveTools(specs: readonly Record<string, unknown>[], services: AgentServices, signal: AbortSignal): Promise<AgentTool[]> {
	return Promise.all(
		specs.map(async spec => {
			const kind: ToolKind = spec.workflow_id !== undefined ? "workflow" : spec.mcp !== undefined ? "mcp" : "http";
			let described = { description: typeof spec.description === "string" ? spec.description : "", parameters: isPlainObject(spec.parameters) ? spec.parameters : DEFAULT_PARAMETERS };
			if (kind === "workflow") {
				const found = await services.describeWorkflow(String(spec.workflow_id), typeof spec.version === "string" ? spec.version : null);
				described = { description: described.description || found.description, parameters: found.parameters };
			} else if (kind === "mcp") {
				const mcp = spec.mcp as { server: string; tool: string };
				const found = await services.describeMcpTool(mcp.server, mcp.tool, signal);
				described = { description: described.description || found.description, parameters: isPlainObject(spec.parameters) ? spec.parameters : found.parameters };
			}
			const timeout = spec.timeout === undefined ? null : parseDuration(spec.timeout);
			return {
				kind,
				definition: { name: String(spec.name), description: described.description || String(spec.name), parameters: described.parameters },
				approvalRequired: spec.approval_required === true,
				failStep: spec.fail_step === true,
				timeoutMs: timeout,
				spec
			};
		})
	);
}

// Argument schemas are interpreted, never compiled to code.
const validators = new Map<string, Validator>();

/** Why the arguments do not fit the tool's parameters, or null. */
export function argumentsProblem(tool: AgentTool, args: unknown): string | null {
	if (!isPlainObject(args)) return `The arguments of ${tool.definition.name} must be a JSON object, got ${typeof args === "string" ? `text that is not JSON: ${args.slice(0, 200)}` : JSON.stringify(args)}`;
	const key = JSON.stringify(tool.definition.parameters);
	let validator = validators.get(key);
	if (!validator) {
		validator = new Validator(tool.definition.parameters as ConstructorParameters<typeof Validator>[0], "2020-12", false);
		if (validators.size > 500) validators.clear();
		validators.set(key, validator);
	}
	const result = validator.validate(args);
	if (result.valid) return null;
	const first = result.errors.find(e => e.keyword !== "properties") ?? result.errors[0];
	return `The arguments of ${tool.definition.name} do not match its parameters at ${first.instanceLocation || "#"}: ${first.error}`;
}

/**
 * Runs one call. Errors become `{error}` for the model; a StepFailure that is final for
 * the step (the owner's workflow is missing, say) is an error for the model too, unless
 * the tool says `fail_step`, which the caller handles.
 */
export async function runTool(tool: AgentTool, args: Record<string, unknown>, callId: string, ctx: StepRunContext, services: AgentServices): Promise<ToolOutcome> {
	const due = tool.timeoutMs ? deadline(tool.timeoutMs, ctx.signal) : null;
	const signal = due?.signal ?? ctx.signal;
	// One key per call, the same for every attempt that runs it: a redelivered call finds the child (or the endpoint its key) again.
	const key = `agent:${ctx.executionId}:${ctx.stepId}:${callId}`;
	try {
		return await callTool(tool, args, key, signal, ctx, services);
	} catch (err) {
		if (ctx.signal.aborted) throw err;
		if (signal.aborted) return { error: `${tool.definition.name} timed out after ${tool.timeoutMs} ms` };
		return { error: (err as Error).message ?? String(err) };
	} finally {
		due?.clear();
	}
}

async function callTool(tool: AgentTool, args: Record<string, unknown>, key: string, signal: AbortSignal, ctx: StepRunContext, services: AgentServices): Promise<ToolOutcome> {
	switch (tool.kind) {
		case "workflow":
			return runWorkflowTool(tool, args, key, signal, services);
		case "http":
			return { result: await runHttpTool(tool, args, key, signal, ctx) };
		case "mcp": {
			const mcp = tool.spec.mcp as { server: string; tool: string };
			const answer = await services.callMcpTool(mcp.server, mcp.tool, args, signal);
			return answer.is_error ? { error: typeof answer.result === "string" ? answer.result : JSON.stringify(answer.result) } : { result: answer.result };
		}
	}
}

async function runWorkflowTool(tool: AgentTool, args: Record<string, unknown>, key: string, signal: AbortSignal, services: AgentServices): Promise<ToolOutcome> {
	const { execution_id } = await services.startWorkflow(
		{ workflow_id: String(tool.spec.workflow_id), version: typeof tool.spec.version === "string" ? tool.spec.version : null, inputs: args },
		key
	);
	let run;
	try {
		run = await services.waitForExecution(execution_id, signal);
	} catch (err) {
		// The step ended (cancelled, timed out, failed elsewhere) or the call timed out: its child ends too.
		await services.cancelExecution(execution_id, "its agent step stopped waiting").catch(() => undefined);
		throw err;
	}
	if (run.status === "completed") return { result: run.outputs ?? {}, child_execution_id: execution_id };
	return { error: `Workflow ${tool.spec.workflow_id} ${run.status}${run.error ? `: ${run.error.message}` : ""}`, child_execution_id: execution_id };
}

async function runHttpTool(tool: AgentTool, args: Record<string, unknown>, key: string, signal: AbortSignal, ctx: StepRunContext): Promise<unknown> {
	const params = resolveTemplates(tool.spec.http, { inputs: {}, steps: {}, args }) as Record<string, unknown>;
	const outcome = await httpRequest.execute!(params, { ...ctx, idempotencyKey: key, signal });
	if (outcome.kind !== "completed") throw new StepFailure("http_request did not complete", "tool_error");
	return (outcome.output as { body: unknown }).body;
}
