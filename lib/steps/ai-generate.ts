import { Validator } from "@cfworker/json-schema";
import { isPlainObject } from "../dsl/paths";
import { StepFailure } from "./failure";
import { jsonSchemaProblems } from "./ajv";
import { nonEmptyString, templated } from "./schema";
import type { LlmStepResult, StepRunContext, StepTypeDefinition, StepUsage } from "./types";

/**
 * `{prompt, system?, model?, agent_role?, temperature?, max_tokens?, json_schema?, stream?}`.
 * With `json_schema` the reply must be JSON matching it, and the output is that JSON.
 */
export const aiGenerate: StepTypeDefinition = {
	type: "ai_generate",
	description: "Asks a language model for text, or for JSON matching a schema.",
	paramsSchema: {
		type: "object",
		required: ["prompt"],
		additionalProperties: false,
		properties: {
			prompt: nonEmptyString,
			system: { type: "string" },
			model: nonEmptyString,
			agent_role: nonEmptyString,
			temperature: templated({ type: "number", minimum: 0, maximum: 2 }, "a number from 0 to 2"),
			max_tokens: templated({ type: "integer", minimum: 1, maximum: 1_000_000 }, "a whole number from 1 to 1000000"),
			json_schema: { type: "object" },
			stream: templated({ type: "boolean" }, "true or false")
		}
	},
	check(params, context) {
		return isPlainObject(params.json_schema) ? jsonSchemaProblems(params.json_schema, `${context.path}.json_schema`) : [];
	}
};

// User schemas are interpreted, never compiled to code.
const validators = new Map<string, Validator>();

function schemaProblem(schema: Record<string, unknown>, value: unknown): string | null {
	const key = JSON.stringify(schema);
	let validator = validators.get(key);
	if (!validator) {
		validator = new Validator(schema as ConstructorParameters<typeof Validator>[0], "2020-12", false);
		if (validators.size > 500) validators.clear();
		validators.set(key, validator);
	}
	const result = validator.validate(value);
	if (result.valid) return null;
	const first = result.errors.find(e => e.keyword !== "properties" && e.keyword !== "items") ?? result.errors[0];
	return `${first.instanceLocation || "#"}: ${first.error}`;
}

/** Refusals no retry can change (a budget spent, a request the provider rejects, a key it refuses). */
const FINAL_LLM_ERRORS = new Set(["budget_exceeded", "llm_request_rejected", "llm_auth_failed"]);

async function callModel(ctx: StepRunContext, request: Record<string, unknown>): Promise<LlmStepResult> {
	try {
		return await ctx.services.llm(request, ctx.signal);
	} catch (err) {
		// The step was cancelled or timed out, which aborted the call: the engine says which.
		if (ctx.signal.aborted) throw err;
		const type = (err as { type?: string }).type ?? "llm_error";
		throw new StepFailure((err as Error).message, type, FINAL_LLM_ERRORS.has(type));
	}
}

aiGenerate.execute = async (params, ctx) => {
	const jsonSchema = isPlainObject(params.json_schema) ? params.json_schema : undefined;
	const result = await callModel(ctx, {
		prompt: String(params.prompt),
		system: typeof params.system === "string" ? params.system : undefined,
		model: typeof params.model === "string" ? params.model : undefined,
		agent_role: (params.agent_role as string | undefined) ?? ctx.step.agent_role ?? undefined,
		temperature: typeof params.temperature === "number" ? params.temperature : undefined,
		max_tokens: typeof params.max_tokens === "number" ? params.max_tokens : undefined,
		json: jsonSchema ? true : undefined,
		json_schema: jsonSchema,
		stream: params.stream === true
	});
	// The call was paid for whatever comes of its answer: a failed attempt records it too.
	const usage: StepUsage = { ...result.usage, cost_usd: result.cost_usd, provider: result.provider, model: result.model, latency_ms: result.latency_ms };
	if (jsonSchema) {
		if (result.json_error) throw new StepFailure(`The model did not answer JSON: ${result.json_error}`, "invalid_json", false, usage);
		const problem = schemaProblem(jsonSchema, result.json);
		if (problem) throw new StepFailure(`The model's JSON does not match json_schema at ${problem}`, "invalid_json", false, usage);
	}
	return {
		kind: "completed",
		output: { text: result.text, json: jsonSchema ? result.json : undefined, usage: result.usage, cost_usd: result.cost_usd, provider: result.provider, model: result.model },
		usage
	};
};
