import { stepType } from "../steps";
import type { StepDefinition } from "./model";
import { resolveTemplates, type TemplateScope } from "./templates";

/**
 * A step's params as it runs them: templates resolved, except in the params its type
 * reads as written (a transform's expression) and its item-step param (a map's step
 * template, resolved per item with `item` and `index` in scope).
 */
export function resolveStepParams(step: Pick<StepDefinition, "type" | "params">, scope: TemplateScope, maxTextBytes = Infinity): Record<string, unknown> {
	const definition = stepType(step.type);
	const out: Record<string, unknown> = {};
	// One budget for all params: the interpolated text of the whole step is bounded.
	const params = resolveTemplates(
		Object.fromEntries(Object.entries(step.params).filter(([key]) => !(definition?.literalParams?.includes(key) || definition?.itemStepParam === key))),
		scope,
		maxTextBytes
	) as Record<string, unknown>;
	for (const [key, value] of Object.entries(step.params)) out[key] = Object.hasOwn(params, key) ? params[key] : value;
	return out;
}
