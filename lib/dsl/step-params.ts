import { stepType } from "../steps";
import type { StepDefinition } from "./model";
import { resolveTemplates, resolveTemplatesExcept, type TemplateScope } from "./templates";

/**
 * A step's params as it runs them: templates resolved, except in the params its type
 * reads as written (a transform's expression, a wait's match) and its item-step param (a map's step
 * template, resolved per item with `item` and `index` in scope).
 */
export function resolveStepParams(step: Pick<StepDefinition, "type" | "params">, scope: TemplateScope): Record<string, unknown> {
	const definition = stepType(step.type);
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(step.params)) {
		const asWritten = definition?.literalParams?.includes(key) || definition?.itemStepParam === key || definition?.conditionParams?.includes(key);
		if (definition?.toolsParam === key) out[key] = resolveTemplatesExcept(value, scope, "args");
		else out[key] = asWritten ? value : resolveTemplates(value, scope);
	}
	return out;
}
