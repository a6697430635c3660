/** The cost API's answer (`GET /costs`, services/event-bus.service.ts) as JSON Schema for the OpenAPI document. */
import type { JsonSchema } from "../openapi/fastest-validator";
import { COST_GROUPS } from "./costs";

const DAY: JsonSchema = { type: "string", format: "date", description: "UTC day, YYYY-MM-DD" };
const COUNT: JsonSchema = { type: "integer", minimum: 0 };

const FIGURES: Record<string, JsonSchema> = {
	calls: { ...COUNT, description: "Model calls that answered" },
	input_tokens: { ...COUNT, description: "Prompt tokens" },
	output_tokens: { ...COUNT, description: "Completion tokens" },
	cost_usd: { type: "number", minimum: 0, description: "USD, priced when the call answered (LLM_PRICING)" }
};

export const COST_REPORT: JsonSchema = {
	title: "CostReport",
	type: "object",
	required: ["group_by", "from", "to", "rows", "total"],
	properties: {
		group_by: { type: "string", enum: [...COST_GROUPS] },
		from: DAY,
		to: DAY,
		rows: {
			type: "array",
			description: "One row per group with any spend: the biggest cost first (by day: oldest first), at most 1000",
			items: {
				type: "object",
				required: ["key", ...Object.keys(FIGURES)],
				properties: { key: { type: "string", description: "The workflow id, the model, the user id or the day (YYYY-MM-DD)" }, ...FIGURES },
				additionalProperties: false
			}
		},
		total: { type: "object", description: "Over the whole range and scope, rows past the cap included", required: Object.keys(FIGURES), properties: FIGURES, additionalProperties: false }
	},
	additionalProperties: false
};
