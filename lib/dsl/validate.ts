import type { FieldProblem } from "../errors";
import { cronProblem } from "./cron";
import { ID_PATTERN, LIMITS, RESERVED_WORKFLOW_IDS, SEMVER_PATTERN, type WorkflowDefinition } from "./model";
import type { StepSpelling } from "./normalize-step";
import { childPath } from "./paths";
import { inputDeclarationProblems, outputDeclarationProblems } from "./validate-declarations";
import { flowProblems } from "./validate-flow";
import { stepProblems, valueTemplateProblems, type StepPaths } from "./validate-steps";

/**
 * Every rule a definition must satisfy before it is stored, as a list of problems (empty
 * when it is valid). `spellings` (from `normalizeWorkflow`) make problems name fields as
 * the author wrote them (`steps[2].inputs.url` for a summary-style step).
 */
export function definitionProblems(definition: WorkflowDefinition, spellings: readonly StepSpelling[] = []): FieldProblem[] {
	const problems: FieldProblem[] = [...workflowFieldProblems(definition)];
	problems.push(...inputDeclarationProblems(definition.inputs));
	problems.push(...outputDeclarationProblems(definition.outputs));
	const paths: StepPaths = {
		step: i => spellings[i]?.path ?? childPath("steps", i),
		params: i => `${paths.step(i)}.${spellings[i]?.params ?? "params"}`
	};
	const steps = stepProblems(definition, paths);
	problems.push(...steps.problems);
	problems.push(...flowProblems(definition, steps.references));
	if (steps.references) {
		const references = steps.references;
		definition.outputs.forEach((output, i) => {
			problems.push(...valueTemplateProblems(output.value, `${childPath("outputs", i)}.value`, { step: null, inItem: false }, references));
		});
	}
	return problems;
}

function workflowFieldProblems(definition: WorkflowDefinition): FieldProblem[] {
	const problems: FieldProblem[] = [];
	const { workflow_id: id, version, tags, schedule } = definition;
	if (!id) problems.push({ path: "workflow_id", message: "is required" });
	else if (!ID_PATTERN.test(id)) problems.push({ path: "workflow_id", message: "may hold only letters, digits, _ and -" });
	else if (id.length > LIMITS.maxIdLength) problems.push({ path: "workflow_id", message: `is longer than ${LIMITS.maxIdLength} characters` });
	else if (RESERVED_WORKFLOW_IDS.has(id.toLowerCase())) problems.push({ path: "workflow_id", message: `"${id}" is reserved: it names an API path (/api/v3/workflows/${id.toLowerCase()})` });
	if (!version) problems.push({ path: "version", message: 'is required: a semantic version such as "1.0.0"' });
	else if (!SEMVER_PATTERN.test(version)) problems.push({ path: "version", message: `"${version}" is not a semantic version such as "1.0.0"` });
	if (tags.length > LIMITS.maxTags) problems.push({ path: "tags", message: `has ${tags.length} tags; at most ${LIMITS.maxTags}` });
	tags.forEach((tag, i) => {
		if (!tag.trim() || tag.length > LIMITS.maxTagLength) problems.push({ path: childPath("tags", i), message: `must be 1 to ${LIMITS.maxTagLength} characters` });
	});
	if (schedule !== null) {
		const problem = cronProblem(schedule);
		if (problem) problems.push({ path: "schedule", message: problem });
	}
	return problems;
}
