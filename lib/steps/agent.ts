import { MAX_AGENT_TOOLS, MAX_AGENT_TURNS } from "../agents/limits";
import { runAgent } from "../agents/run";
import { ID_PATTERN, LIMITS, SEMVER_PATTERN } from "../dsl/model";
import { isPlainObject } from "../dsl/paths";
import type { FieldProblem } from "../errors";
import { jsonSchemaProblems } from "./ajv";
import { HTTP_METHODS } from "./http-request";
import { duration, nonEmptyString, templated, wordOrTemplate } from "./schema";
import type { StepTypeDefinition } from "./types";

/** Tool names as both vendors take them. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const message = {
	type: "object",
	required: ["role", "content"],
	additionalProperties: false,
	properties: { role: { enum: ["system", "user", "assistant"] }, content: { type: "string" } }
};

const httpTool = {
	type: "object",
	required: ["url"],
	additionalProperties: false,
	properties: {
		method: wordOrTemplate(HTTP_METHODS),
		url: { type: "string", pattern: "^(https?://\\S|\\s*\\$\\{\\{)", description: "an http:// or https:// URL (templates allowed, ${{ args.NAME }} included)" },
		headers: { type: "object", additionalProperties: { type: ["string", "number", "boolean"], description: "a header value (text, a number or a boolean)" } },
		body: {},
		expected_status: { type: ["integer", "array"], minimum: 100, maximum: 599, items: { type: "integer", minimum: 100, maximum: 599 } },
		timeout: duration
	}
};

const tool = {
	type: "object",
	required: ["name"],
	additionalProperties: false,
	properties: {
		name: { type: "string", pattern: TOOL_NAME_PATTERN.source, description: "a tool name of 1 to 64 letters, digits, _ and -" },
		description: { type: "string", maxLength: 4000 },
		/** JSON Schema of the arguments (an object); a workflow tool's come from its declared inputs, an MCP tool's from its server. */
		parameters: { type: "object" },
		workflow_id: { type: "string", pattern: ID_PATTERN.source, maxLength: LIMITS.maxIdLength, description: "a workflow id (letters, digits, _ and -)" },
		version: { type: "string", pattern: SEMVER_PATTERN.source, description: 'a semantic version such as "1.0.0"' },
		http: httpTool,
		mcp: {
			type: "object",
			required: ["server", "tool"],
			additionalProperties: false,
			properties: { server: nonEmptyString, tool: nonEmptyString }
		},
		approval_required: { type: "boolean" },
		fail_step: { type: "boolean" },
		timeout: duration
	}
};

/**
 * `{prompt | messages, system?, model?, agent_role?, temperature?, max_tokens?, max_turns?,
 * json_schema?, stream?, thread?, budget?, tools}`: a model that calls tools (child
 * workflows, HTTP endpoints, MCP tools) turn after turn until it answers. Each turn and
 * each tool call is journaled as it finishes (`lib/agents`), so a resumed attempt replays
 * instead of asking again. `${{ args.NAME }}` (a call's arguments) is valid in `tools` only.
 */
export const agent: StepTypeDefinition = {
	type: "agent",
	description: "Runs a tool-calling model: each turn and tool call is durable, budgeted and visible.",
	paramsSchema: {
		type: "object",
		required: ["tools"],
		additionalProperties: false,
		properties: {
			prompt: nonEmptyString,
			messages: { type: "array", minItems: 1, maxItems: 200, items: message },
			system: { type: "string" },
			model: nonEmptyString,
			agent_role: nonEmptyString,
			temperature: templated({ type: "number", minimum: 0, maximum: 2 }, "a number from 0 to 2"),
			max_tokens: templated({ type: "integer", minimum: 1, maximum: 1_000_000 }, "a whole number from 1 to 1000000"),
			max_turns: templated({ type: "integer", minimum: 1, maximum: MAX_AGENT_TURNS }, `a whole number from 1 to ${MAX_AGENT_TURNS}`),
			json_schema: { type: "object" },
			stream: templated({ type: "boolean" }, "true or false"),
			thread: { type: "string", minLength: 1, maxLength: 200 },
			budget: {
				type: "object",
				additionalProperties: false,
				properties: { max_tokens: { type: "integer", minimum: 1 }, max_cost_usd: { type: "number", exclusiveMinimum: 0 } }
			},
			tools: { type: "array", maxItems: MAX_AGENT_TOOLS, items: tool }
		}
	},
	toolsParam: "tools",
	check(params, context) {
		const problems: FieldProblem[] = [];
		if (params.prompt === undefined && params.messages === undefined) problems.push({ path: context.path, message: "needs a prompt or messages" });
		if (params.prompt !== undefined && params.messages !== undefined) problems.push({ path: `${context.path}.messages`, message: "give a prompt or messages, not both" });
		if (isPlainObject(params.json_schema)) problems.push(...jsonSchemaProblems(params.json_schema, `${context.path}.json_schema`));
		const names = new Map<string, number>();
		(params.tools as Record<string, unknown>[]).forEach((t, i) => {
			const at = `${context.path}.tools[${i}]`;
			const kinds = ["workflow_id", "http", "mcp"].filter(k => t[k] !== undefined);
			if (kinds.length !== 1) problems.push({ path: at, message: `needs exactly one of workflow_id, http or mcp${kinds.length ? ` (has ${kinds.join(" and ")})` : ""}` });
			if (t.version !== undefined && t.workflow_id === undefined) problems.push({ path: `${at}.version`, message: "applies only to a workflow tool (workflow_id)" });
			if (t.workflow_id !== undefined && t.parameters !== undefined) problems.push({ path: `${at}.parameters`, message: "a workflow tool's parameters are its workflow's declared inputs" });
			if (t.workflow_id === context.workflowId) problems.push({ path: `${at}.workflow_id`, message: "a workflow cannot run itself" });
			if (isPlainObject(t.parameters)) {
				if (t.parameters.type !== "object") problems.push({ path: `${at}.parameters.type`, message: 'must be "object": a tool takes named arguments' });
				problems.push(...jsonSchemaProblems(t.parameters, `${at}.parameters`));
			}
			const name = String(t.name);
			const first = names.get(name);
			if (first !== undefined) problems.push({ path: `${at}.name`, message: `"${name}" is used by two tools (also tools[${first}])` });
			else names.set(name, i);
		});
		return problems;
	}
};

agent.execute = runAgent;
