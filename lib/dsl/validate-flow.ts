import type { FieldProblem } from "../errors";
import { compileCondition, ConditionError } from "./conditions";
import { timezoneProblem } from "./cron";
import { EVENT_NAME_PATTERN, LIMITS, type WorkflowDefinition } from "./model";
import { childPath } from "./paths";
import type { ReferenceChecker } from "./references";
import { scanTemplates } from "./templates";

/**
 * Rules on how runs start: trigger event names and filters (conditions over `event`
 * only), flow-control keys (templates over declared inputs only), the schedule's time zone.
 */
export function flowProblems(definition: WorkflowDefinition, references: ReferenceChecker | null): FieldProblem[] {
	const problems: FieldProblem[] = [];
	if (definition.schedule_timezone !== null) {
		if (definition.schedule === null) problems.push({ path: "schedule_timezone", message: "applies only to a workflow with a schedule" });
		const problem = timezoneProblem(definition.schedule_timezone);
		if (problem) problems.push({ path: "schedule_timezone", message: problem });
	}
	if (definition.triggers.length > LIMITS.maxTriggers) problems.push({ path: "triggers", message: `has ${definition.triggers.length} triggers; at most ${LIMITS.maxTriggers}` });
	definition.triggers.forEach((trigger, i) => {
		const path = childPath("triggers", i);
		if (trigger.event && !EVENT_NAME_PATTERN.test(trigger.event))
			problems.push({ path: `${path}.event`, message: "must be 1 to 200 letters, digits, and . _ : / -" });
		if (trigger.filter !== null) problems.push(...filterProblems(trigger.filter, `${path}.filter`));
	});
	const keyed = [
		["concurrency", definition.concurrency],
		["rate_limit", definition.rate_limit],
		["debounce", definition.debounce]
	] as const;
	for (const [name, flow] of keyed) {
		if (flow?.key != null) problems.push(...keyProblems(flow.key, `${name}.key`, references));
	}
	return problems;
}

/** A trigger's filter: a condition that reads the event only (its data becomes the run's inputs once it matched). */
function filterProblems(filter: string, path: string): FieldProblem[] {
	try {
		const { refs } = compileCondition(filter);
		return refs
			.filter(ref => ref.path[0] !== "event")
			.map(ref => ({ path, message: `${ref.text}: a trigger's filter reads only the event (\${{ event.data.… }}, \${{ event.name }})` }));
	} catch (err) {
		if (err instanceof ConditionError) return [{ path, message: err.message }];
		throw err;
	}
}

/** A flow-control key: text with templates over declared inputs (`tenant-${{ inputs.customer }}`). */
function keyProblems(key: string, path: string, references: ReferenceChecker | null): FieldProblem[] {
	if (!key.trim() || key.length > LIMITS.maxFlowKeyLength) return [{ path, message: `must be 1 to ${LIMITS.maxFlowKeyLength} characters` }];
	const { refs, errors } = scanTemplates(key);
	const problems: FieldProblem[] = errors.map(message => ({ path, message }));
	for (const ref of refs) {
		if (ref.path[0] !== "inputs") {
			problems.push({ path, message: `${ref.text}: a key reads only the run's inputs (\${{ inputs.NAME }})` });
			continue;
		}
		const problem = references?.problem(ref.path, { step: null, inItem: false });
		if (problem) problems.push({ path, message: `${ref.text}: ${problem}` });
	}
	return problems;
}
