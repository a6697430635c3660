import { coerceInputs, evaluateCondition, type WorkflowDefinition } from "../dsl";
import type { AppError } from "../errors";
import type { EventProblem, EventView } from "./event-store";
import { flowKeysOf } from "./flow";
import type { StartRequest } from "./transitions/start";

/** An active workflow version with a trigger on the event's name (from the trigger index). */
export interface TriggerCandidate {
	workflowRef: string;
	workflowId: string;
	version: string;
	definition: WorkflowDefinition;
}

/** A run an event starts (its request ready for the start transaction), or why it cannot start. */
export type TriggeredStart = { request: StartRequest } | { problem: EventProblem };

/**
 * Which candidates an event starts: a version starts once when any of its triggers on the
 * event's name passes its filter (a condition over `event`). The event's `data` becomes
 * the run's inputs, coerced against the declared inputs; a mismatch (or a filter that
 * fails to evaluate) is a problem recorded on the event, never a lost event. Pure, and
 * run before the transaction: filters are user expressions.
 */
export function triggeredStarts(candidates: readonly TriggerCandidate[], event: EventView, ownerId: string): TriggeredStart[] {
	const out: TriggeredStart[] = [];
	for (const c of candidates) {
		const problem = (type: string, message: string, detail?: unknown): TriggeredStart => ({
			problem: { workflow_id: c.workflowId, workflow_version: c.version, type, message, ...(detail === undefined ? {} : { detail }) }
		});
		let matched = false;
		try {
			matched = c.definition.triggers.some(t => t.event === event.name && (t.filter === null || evaluateCondition(t.filter, { inputs: {}, steps: {}, event })));
		} catch (err) {
			out.push(problem("filter_error", `A trigger's filter failed: ${(err as Error).message}`));
			continue;
		}
		if (!matched) continue;
		let inputs: Record<string, unknown>;
		try {
			inputs = coerceInputs(c.definition.inputs, event.data ?? {});
		} catch (err) {
			const e = err as AppError;
			out.push(problem("invalid_inputs", `The event's data does not fit the inputs of ${c.workflowId} ${c.version}: ${e.message}`, e.data));
			continue;
		}
		out.push({
			request: {
				ownerId,
				workflowRef: c.workflowRef,
				workflowId: c.workflowId,
				workflowVersion: c.version,
				definition: c.definition,
				inputs,
				trigger: "event",
				budget: c.definition.budget,
				eventId: event.id,
				priority: c.definition.priority,
				flow: flowKeysOf(c.definition, ownerId, inputs)
			}
		});
	}
	return out;
}
