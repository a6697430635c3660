/** Answers of the dataset and eval endpoints, as JSON Schema for the OpenAPI document. */
import type { JsonSchema } from "../openapi/fastest-validator";
import { pageSchema } from "../pagination";

const TIME: JsonSchema = { type: "string", format: "date-time" };

export const DATASET_SUMMARY: JsonSchema = {
	title: "DatasetSummary",
	type: "object",
	required: ["id", "name", "item_count", "owner_id", "created_at"],
	properties: { id: { type: "string" }, name: { type: "string" }, item_count: { type: "integer" }, owner_id: { type: "string" }, created_at: TIME },
	additionalProperties: false
};

export const DATASET: JsonSchema = {
	...DATASET_SUMMARY,
	title: "Dataset",
	required: [...(DATASET_SUMMARY.required as string[]), "items"],
	properties: {
		...(DATASET_SUMMARY.properties as Record<string, JsonSchema>),
		items: { type: "array", items: { type: "object", required: ["inputs"], properties: { inputs: { type: "object" }, expected: {} }, additionalProperties: false } }
	}
};

export const DATASET_PAGE = pageSchema("DatasetPage", "datasets", DATASET_SUMMARY);

export const CREATED: JsonSchema = { title: "Created", type: "object", required: ["id"], properties: { id: { type: "string" } }, additionalProperties: false };

const SCORE: JsonSchema = {
	type: "object",
	required: ["score"],
	properties: { score: { type: "number", minimum: 0, maximum: 1 }, error: { type: "string" }, reason: { type: "string" } },
	additionalProperties: false
};

const EVAL_ITEM: JsonSchema = {
	type: "object",
	required: ["position", "inputs", "expected", "execution_id", "run_status", "outputs", "scores", "error"],
	properties: {
		position: { type: "integer" },
		inputs: { type: "object" },
		expected: {},
		execution_id: { type: ["string", "null"] },
		run_status: { type: ["string", "null"], description: "How the item's run ended, once scored" },
		outputs: {},
		scores: { type: ["object", "null"], additionalProperties: SCORE, description: "Per scorer, once the run ended" },
		error: { type: ["string", "null"] }
	},
	additionalProperties: false
};

export const EVAL: JsonSchema = {
	title: "Eval",
	type: "object",
	required: ["id", "workflow_id", "workflow_version", "dataset_id", "scorers", "status", "error", "aggregates", "progress", "items", "owner_id", "created_at", "completed_at"],
	properties: {
		id: { type: "string" },
		workflow_id: { type: "string" },
		workflow_version: { type: "string" },
		dataset_id: { type: "string" },
		scorers: { type: "array", items: { type: "object", required: ["type", "name"], properties: { type: { type: "string" }, name: { type: "string" } }, additionalProperties: true } },
		status: { type: "string", enum: ["running", "completed", "failed"] },
		error: { type: ["string", "null"] },
		aggregates: { type: "object", additionalProperties: { type: "number", minimum: 0, maximum: 1 }, description: "Per scorer, the mean score of the items scored so far (of all items once completed)" },
		progress: { type: "object", required: ["items", "scored"], properties: { items: { type: "integer" }, scored: { type: "integer" } }, additionalProperties: false },
		items: { type: "array", items: EVAL_ITEM },
		owner_id: { type: "string" },
		created_at: TIME,
		completed_at: { type: ["string", "null"], format: "date-time" }
	},
	additionalProperties: false
};

/** An eval in a list: no items; `aggregates` once it completed (GET /evals/{id} has them while it runs). */
export const EVAL_SUMMARY: JsonSchema = {
	title: "EvalSummary",
	type: "object",
	required: ["id", "workflow_id", "workflow_version", "dataset_id", "scorers", "status", "error", "aggregates", "progress", "owner_id", "created_at", "completed_at"],
	properties: {
		...(Object.fromEntries(Object.entries(EVAL.properties as Record<string, JsonSchema>).filter(([name]) => name !== "items" && name !== "aggregates")) as Record<string, JsonSchema>),
		aggregates: { anyOf: [{ type: "null" }, { type: "object", additionalProperties: { type: "number", minimum: 0, maximum: 1 } }], description: "Per scorer, the mean score once completed; null before" }
	},
	additionalProperties: false
};

export const EVAL_PAGE = pageSchema("EvalPage", "evals", EVAL_SUMMARY);

export const EVAL_COMPARISON: JsonSchema = {
	title: "EvalComparison",
	type: "object",
	required: ["a", "b", "scorers", "items"],
	properties: {
		a: { type: "object", description: "Eval a, without its items", additionalProperties: true },
		b: { type: "object", description: "Eval b, without its items", additionalProperties: true },
		scorers: {
			type: "array",
			description: "Each scorer name either eval has: its aggregate in a and in b, and b minus a",
			items: {
				type: "object",
				required: ["name", "a", "b", "delta"],
				properties: { name: { type: "string" }, a: { type: ["number", "null"] }, b: { type: ["number", "null"] }, delta: { type: ["number", "null"] } },
				additionalProperties: false
			}
		},
		items: {
			type: "array",
			description: "Items side by side by position",
			items: {
				type: "object",
				required: ["position", "inputs", "expected", "a", "b"],
				properties: {
					position: { type: "integer" },
					inputs: {},
					expected: {},
					a: { anyOf: [{ type: "null" }, { type: "object", additionalProperties: true }] },
					b: { anyOf: [{ type: "null" }, { type: "object", additionalProperties: true }] }
				},
				additionalProperties: false
			}
		}
	},
	additionalProperties: false
};
