import type { StepDefinition, WorkflowDefinition } from "../dsl/model";
import { forEachString, hasTemplate, scanTemplates } from "../dsl/templates";

/** The root a template reads secrets through: `${{ secrets.NAME }}`. */
export const SECRETS_ROOT = "secrets";

const cache = new WeakMap<object, string[]>();

/** The secret names a step's params read (its item step's and tools' included), each once. */
export function secretNamesOf(step: Pick<StepDefinition, "params">): string[] {
	let names = cache.get(step.params);
	if (names) return names;
	const found = new Set<string>();
	forEachString(step.params, text => {
		if (!hasTemplate(text)) return;
		for (const ref of scanTemplates(text).refs) if (ref.path[0] === SECRETS_ROOT && ref.path[1]) found.add(ref.path[1]);
	});
	names = [...found];
	cache.set(step.params, names);
	return names;
}

/** Every secret name a workflow's steps read. */
export function workflowSecretNames(definition: Pick<WorkflowDefinition, "steps">): string[] {
	return [...new Set(definition.steps.flatMap(secretNamesOf))];
}
