import { LIMITS } from "../dsl/model";
import { deadline, parseDuration } from "../duration";
import { resolveStepParams } from "../dsl/step-params";
import { TemplateTooLarge } from "../dsl/templates";
import { formatBytes, jsonSize } from "../isolation/size";
import { StepFailure } from "./failure";
import { stepType } from "./index";
import { duration, durationProblem, templated } from "./schema";
import type { StepTypeDefinition } from "./types";

/**
 * `{items, step: {type, params, name?, timeout?, retry?, retry_delay?}, concurrency?}`:
 * runs the step template once per item of `items` (a list, or a template giving one),
 * at most `concurrency` at a time (default 1); inside the template `${{ item }}` and
 * `${{ index }}` are the current item and its position. The template's timeout, retry
 * and retry_delay are written as in a step and apply to each item. Maps do not nest.
 */
export const map: StepTypeDefinition = {
	type: "map",
	description: "Runs a step template once per item of a list; its output is the list of the items' outputs, in order.",
	paramsSchema: {
		type: "object",
		required: ["items", "step"],
		additionalProperties: false,
		properties: {
			items: templated({ type: "array" }, "a list"),
			step: {
				type: "object",
				required: ["type"],
				additionalProperties: false,
				properties: {
					type: { type: "string" },
					name: { type: "string" },
					params: { type: "object" },
					timeout: duration,
					retry: { type: "integer", minimum: 0, maximum: LIMITS.maxRetries },
					retry_delay: duration
				}
			},
			concurrency: templated({ type: "integer", minimum: 1, maximum: 100 }, "a whole number from 1 to 100")
		}
	},
	itemStepParam: "step",
	check(params, context) {
		const template = (params.step ?? {}) as Record<string, unknown>;
		const problems = [];
		const timeout = durationProblem(template.timeout, LIMITS.maxTimeoutMs);
		if (timeout) problems.push({ path: `${context.path}.step.timeout`, message: timeout });
		const delay = durationProblem(template.retry_delay, LIMITS.maxRetryDelayMs);
		if (delay) problems.push({ path: `${context.path}.step.retry_delay`, message: delay });
		return problems;
	}
};

/** Types a map may run per item: those that finish within the attempt (no waits). */
const INLINE_TYPES = new Set(["transform", "http_request", "ai_generate"]);

/** How long a map may keep the event loop before it lets other work run (ms): items that answer at once never yield otherwise. */
const YIELD_EVERY_MS = 10;

map.execute = async (params, ctx) => {
	const items = params.items;
	if (!Array.isArray(items)) throw new StepFailure(`items must resolve to a list, got ${items === null ? "null" : typeof items}`, "invalid_params", true);
	const { maxMapItems, maxOutputBytes } = ctx.services.limits;
	if (items.length > maxMapItems) throw new StepFailure(`items holds ${items.length} items; a map may run at most ${maxMapItems} (MAP_MAX_ITEMS)`, "too_many_items", true);
	const template = params.step as { type: string; name?: string; params?: Record<string, unknown>; timeout?: unknown; retry?: number; retry_delay?: unknown };
	const type = stepType(template.type);
	if (!type?.execute || !INLINE_TYPES.has(template.type))
		throw new StepFailure(`A map can run ${[...INLINE_TYPES].join(", ")} per item, not ${template.type}`, "invalid_params", true);
	const concurrency = Math.max(1, Math.min(100, Number(params.concurrency ?? 1)));
	const retries = Math.max(0, Number(template.retry ?? 0));
	const retryDelay = template.retry_delay === undefined ? 1000 : (parseDuration(template.retry_delay) ?? 1000);
	const itemTimeout = template.timeout === undefined ? null : parseDuration(template.timeout);
	const results: unknown[] = new Array(items.length);
	const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost_usd: 0 };
	// The list of outputs is the map's output: it is refused as soon as it passes the output limit, not once built.
	let outputBytes = 2;
	let lastYield = performance.now();

	const runItem = async (index: number) => {
		const scope = { ...ctx.scope, item: items[index], index };
		const itemStep = { ...ctx.step, id: `${ctx.step.id}[${index}]`, type: template.type, params: template.params ?? {} };
		let resolved: Record<string, unknown>;
		try {
			resolved = resolveStepParams(itemStep, scope, maxOutputBytes);
		} catch (err) {
			if (err instanceof TemplateTooLarge) throw new StepFailure(`Item ${index}: ${err.message} (STEP_MAX_OUTPUT_BYTES)`, "params_too_large", true);
			throw err;
		}
		for (let attempt = 1; ; attempt++) {
			const due = itemTimeout ? deadline(itemTimeout, ctx.signal) : null;
			const signal = due?.signal ?? ctx.signal;
			try {
				const outcome = await type.execute!(resolved, { ...ctx, stepId: itemStep.id, step: itemStep, scope, signal, idempotencyKey: `${ctx.idempotencyKey}:${index}` });
				if (outcome.kind !== "completed") throw new StepFailure(`Item ${index} tried to wait`, "invalid_params", true);
				results[index] = outcome.output;
				outputBytes += jsonSize(outcome.output ?? null, maxOutputBytes - outputBytes + 1) + 1;
				if (outputBytes > maxOutputBytes) throw new StepFailure(`The outputs of items 0 to ${index} add up to more than ${formatBytes(maxOutputBytes)} (STEP_MAX_OUTPUT_BYTES)`, "output_too_large", true);
				if (outcome.usage) {
					usage.prompt_tokens += outcome.usage.prompt_tokens;
					usage.completion_tokens += outcome.usage.completion_tokens;
					usage.total_tokens += outcome.usage.total_tokens;
					usage.cost_usd += outcome.usage.cost_usd;
				}
				return;
			} catch (err) {
				// The step's own timeout or cancel: the engine names it.
				if (ctx.signal.aborted) throw ctx.signal.reason;
				const final = (err as StepFailure).final === true;
				if (final || attempt > retries) throw new StepFailure(`Item ${index}: ${(err as Error).message}`, (err as StepFailure).type ?? "step_error", final);
				await new Promise(r => setTimeout(r, retryDelay * 2 ** (attempt - 1)));
			} finally {
				due?.clear();
			}
		}
	};

	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			ctx.signal.throwIfAborted();
			const index = next++;
			await runItem(index);
			if (performance.now() - lastYield > YIELD_EVERY_MS) {
				await new Promise(r => setImmediate(r));
				lastYield = performance.now();
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	return { kind: "completed", output: results, usage: usage.total_tokens ? usage : null };
};
