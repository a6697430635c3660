/** The answer of GET /api/v3/workflows/executions/{id}/llm-calls, as JSON Schema for the OpenAPI document. */
import type { JsonSchema } from "../openapi/fastest-validator";
import { pageSchema } from "../pagination";

const NULLABLE_STRING: JsonSchema = { type: ["string", "null"] };

const TOOL_CALL: JsonSchema = {
	type: "object",
	required: ["id", "name", "arguments"],
	properties: { id: { type: "string" }, name: { type: "string" }, arguments: {} },
	additionalProperties: false
};

const USAGE: JsonSchema = {
	type: "object",
	required: ["prompt_tokens", "completion_tokens", "total_tokens"],
	properties: { prompt_tokens: { type: "integer" }, completion_tokens: { type: "integer" }, total_tokens: { type: "integer" } },
	additionalProperties: false
};

export const LLM_CALL: JsonSchema = {
	title: "LlmCall",
	type: "object",
	required: ["id", "step_id", "attempt", "at", "status", "provider", "model", "request", "response", "usage", "cost_usd", "latency_ms", "error", "truncated"],
	properties: {
		id: { type: "integer" },
		step_id: { type: "string" },
		attempt: { type: "integer" },
		at: { type: "string", format: "date-time" },
		status: { type: "string", enum: ["completed", "failed"] },
		provider: NULLABLE_STRING,
		model: { ...NULLABLE_STRING, description: "The model that answered, as the provider names it" },
		request: {
			type: "object",
			description: "What was sent: the conversation, the system prompt, the tools offered (by name), and the model, temperature and max_tokens asked for",
			required: ["messages", "system", "tools", "model", "temperature", "max_tokens"],
			properties: {
				messages: { type: "array", items: { type: "object", required: ["role"], properties: { role: { type: "string", enum: ["system", "user", "assistant", "tool"] } }, additionalProperties: true } },
				system: NULLABLE_STRING,
				tools: { type: "array", items: { type: "string" } },
				model: NULLABLE_STRING,
				temperature: { type: ["number", "null"] },
				max_tokens: { type: ["integer", "null"] }
			},
			additionalProperties: false
		},
		response: {
			type: ["object", "null"],
			description: "The answer; null when the call failed",
			required: ["text", "tool_calls", "finish_reason"],
			properties: { text: { type: "string" }, tool_calls: { type: "array", items: TOOL_CALL }, finish_reason: NULLABLE_STRING },
			additionalProperties: false
		},
		usage: { anyOf: [USAGE, { type: "null" }] },
		cost_usd: { type: ["number", "null"] },
		latency_ms: { type: "integer" },
		error: { ...NULLABLE_STRING, description: "Why the call failed" },
		truncated: { type: "boolean", description: "Some text passed LLM_CAPTURE_MAX_BYTES and was cut, with a marker saying how much was left out" }
	},
	additionalProperties: false
};

export const LLM_CALL_PAGE = pageSchema("LlmCallPage", "llm_calls", LLM_CALL);
