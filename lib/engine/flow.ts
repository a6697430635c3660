import { createHash } from "node:crypto";
import { resolveTemplates, type WorkflowDefinition } from "../dsl";
import { LIMITS } from "../dsl/model";
import type { FlowKey } from "./types";

/**
 * The flow-control keys of a new run, from its workflow's `concurrency`, `rate_limit` and
 * `debounce` and its inputs. A key template resolves over the inputs; the key is scoped to
 * the owner and the workflow (concurrency and rate limits hold across versions; a debounce
 * merges runs of one version only, since the last run's inputs replace the first's).
 * Pure: the start transaction decides with these (./transitions/admission.ts).
 */
export function flowKeysOf(definition: WorkflowDefinition, ownerId: string, inputs: Record<string, unknown>): FlowKey[] {
	const keys: FlowKey[] = [];
	const scope = `${ownerId}/${definition.workflow_id}`;
	if (definition.concurrency) {
		keys.push({ kind: "concurrency", key: `${scope}/concurrency/${keyValue(definition.concurrency.key, inputs)}`, limit: definition.concurrency.limit, period: null });
	}
	if (definition.rate_limit) {
		const r = definition.rate_limit;
		keys.push({ kind: "rate_limit", key: `${scope}/rate/${keyValue(r.key, inputs)}`, limit: r.limit, period: r.period });
	}
	if (definition.debounce) {
		const d = definition.debounce;
		keys.push({ kind: "debounce", key: `${scope}@${definition.version}/debounce/${keyValue(d.key, inputs)}`, limit: 1, period: d.period });
	}
	return keys;
}

/** A key template's value: text as written with the inputs filled in; one long value is hashed so keys stay bounded. */
function keyValue(template: string | null, inputs: Record<string, unknown>): string {
	if (template === null) return "";
	const value = resolveTemplates(template, { inputs, steps: {} });
	const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
	return text.length <= LIMITS.maxFlowKeyLength ? text : `sha256:${createHash("sha256").update(text).digest("hex")}`;
}
