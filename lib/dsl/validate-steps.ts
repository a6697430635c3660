import type { FieldProblem } from "../errors";
import { stepType } from "../steps";
import { stepParamsProblems, stepTypeProblem } from "../steps/params";
import { compileCondition, ConditionError } from "./conditions";
import { Ancestry, findCycles, topologicalOrder } from "./graph";
import { ID_PATTERN, LIMITS, type StepDefinition, type WorkflowDefinition } from "./model";
import { childPath, isPlainObject } from "./paths";
import { ReferenceChecker, type ReferenceSite } from "./references";
import { forEachString, hasTemplate, scanTemplates } from "./templates";

/** Where each step is in the document and what its params field is called there. */
export interface StepPaths {
	step(i: number): string;
	params(i: number): string;
}

/**
 * Rules on the steps: ids, the dependency graph, types and params, templates, conditions.
 * Also returns what it learnt about references, for the workflow's outputs (null when the
 * steps could not be read: none, or too many).
 */
export function stepProblems(definition: WorkflowDefinition, paths: StepPaths): { problems: FieldProblem[]; references: ReferenceChecker | null } {
	const { steps } = definition;
	if (steps.length === 0) return { problems: [{ path: "steps", message: "needs at least one step" }], references: null };
	if (steps.length > LIMITS.maxSteps) {
		return { problems: [{ path: "steps", message: `has ${steps.length} steps; a workflow may have at most ${LIMITS.maxSteps}` }], references: null };
	}

	const problems: FieldProblem[] = [];
	const stepIndex = new Map<string, number>();
	steps.forEach((step, i) => problems.push(...idProblems(step.id, i, stepIndex, paths)));

	const dependsOn = steps.map((step, i) => dependencies(step, i, stepIndex, paths, problems));
	const cycles = findCycles(dependsOn);
	for (const cycle of cycles) problems.push(cycleProblem(cycle, steps, dependsOn, paths));
	const order = cycles.length ? null : topologicalOrder(dependsOn);
	const ancestry = order ? new Ancestry(dependsOn, order) : null;

	const declared = definition.inputs.length ? new Set(definition.inputs.map(input => input.name)) : null;
	const references = new ReferenceChecker(
		steps.map(s => s.id),
		stepIndex,
		declared,
		ancestry
	);
	steps.forEach((step, i) => problems.push(...ownProblems(step, i, definition.workflow_id, references, paths)));
	return { problems, references };
}

function idProblems(id: string, i: number, seen: Map<string, number>, paths: StepPaths): FieldProblem[] {
	const path = `${paths.step(i)}.id`;
	if (!id) return [{ path, message: "is required" }];
	if (!ID_PATTERN.test(id)) return [{ path, message: "may hold only letters, digits, _ and -" }];
	if (id.length > LIMITS.maxIdLength) return [{ path, message: `is longer than ${LIMITS.maxIdLength} characters` }];
	const first = seen.get(id);
	if (first !== undefined) return [{ path, message: `"${id}" is used by two steps (also ${paths.step(first)})` }];
	seen.set(id, i);
	return [];
}

/** The indices a step depends on; names that are not steps, itself or repeated are problems and left out. */
function dependencies(step: StepDefinition, i: number, stepIndex: ReadonlyMap<string, number>, paths: StepPaths, problems: FieldProblem[]): number[] {
	const out: number[] = [];
	step.depends_on.forEach((name, j) => {
		const path = childPath(`${paths.step(i)}.depends_on`, j);
		const index = stepIndex.get(name);
		if (index === undefined) problems.push({ path, message: `"${name}" is not a step of this workflow` });
		else if (index === i) problems.push({ path, message: "a step cannot depend on itself" });
		else if (out.includes(index)) problems.push({ path, message: `"${name}" is listed twice` });
		else out.push(index);
	});
	return out;
}

/** One problem per cycle, on the dependency that closes it, spelled from its first step: `a → b → c → a` (→ reads "depends on"). */
function cycleProblem(cycle: readonly number[], steps: readonly StepDefinition[], dependsOn: readonly (readonly number[])[], paths: StepPaths): FieldProblem {
	const start = cycle.indexOf(Math.min(...cycle));
	const ordered = [...cycle.slice(start), ...cycle.slice(0, start)];
	const [first, second = first] = ordered;
	const j = steps[first].depends_on.indexOf(steps[second].id);
	const spelled = [...ordered, first].map(index => steps[index].id).join(" → ");
	return { path: childPath(`${paths.step(first)}.depends_on`, j), message: `dependency cycle: ${spelled}` };
}

function ownProblems(step: StepDefinition, i: number, workflowId: string, references: ReferenceChecker, paths: StepPaths): FieldProblem[] {
	const path = paths.step(i);
	const problems: FieldProblem[] = [];
	const site: ReferenceSite = { step: i, inItem: false };
	const referenceProblem = (refPath: readonly string[]) => references.problem(refPath, site);

	const typeProblem = step.type ? stepTypeProblem(step.type) : "is required (or agent_capability, for an agent step)";
	if (typeProblem) problems.push({ path: `${path}.type`, message: typeProblem });
	else problems.push(...stepParamsProblems(step.type, step.params, { path: paths.params(i), workflowId, referenceProblem }));
	problems.push(...paramsTemplateProblems(step.type, step.params, paths.params(i), { ...site, params: true }, references));

	if (step.condition !== null) problems.push(...conditionProblems(step.condition, `${path}.condition`, site, references));
	if (typeof step.approval_required === "string") {
		problems.push(...conditionProblems(step.approval_required, `${path}.approval_required`, site, references));
	}
	// An agent waits for approvals of its tool calls (a tool's approval_required).
	if (step.approval_timeout !== null && step.approval_required === false && step.type !== "approval" && step.type !== "agent") {
		problems.push({ path: `${path}.approval_timeout`, message: "applies only to a step that waits for approval (approval_required, type approval, or an agent's tools)" });
	}
	if (step.approval_timeout !== null && !(step.approval_timeout >= 0 && step.approval_timeout <= LIMITS.maxTimeoutMs)) {
		problems.push({ path: `${path}.approval_timeout`, message: `must be at most ${LIMITS.maxTimeoutMs / 1000} seconds` });
	}
	if (step.agent_role !== null && !step.agent_role.trim()) problems.push({ path: `${path}.agent_role`, message: "must not be empty" });
	if (!Number.isInteger(step.retry) || step.retry < 0 || step.retry > LIMITS.maxRetries) {
		problems.push({ path: `${path}.retry`, message: `must be a whole number from 0 to ${LIMITS.maxRetries}` });
	}
	if (step.timeout !== null && !(step.timeout >= 0 && step.timeout <= LIMITS.maxTimeoutMs)) {
		problems.push({ path: `${path}.timeout`, message: `must be at most ${LIMITS.maxTimeoutMs / 1000} seconds` });
	}
	if (!(step.retry_delay >= 0 && step.retry_delay <= LIMITS.maxRetryDelayMs)) {
		problems.push({ path: `${path}.retry_delay`, message: `must be at most ${LIMITS.maxRetryDelayMs / 1000} seconds` });
	}
	return problems;
}

function conditionProblems(condition: string, path: string, site: ReferenceSite, references: ReferenceChecker): FieldProblem[] {
	try {
		const { refs } = compileCondition(condition);
		return refs.flatMap(ref => {
			const problem = references.problem(ref.path, site);
			return problem ? [{ path, message: `${ref.text}: ${problem}` }] : [];
		});
	} catch (err) {
		if (err instanceof ConditionError) return [{ path, message: err.message }];
		throw err;
	}
}

/**
 * Templates in a step's params: each must be a path the step may read. A type's literal
 * params hold no templates; its item-step param reads `item` and `index` too.
 */
function paramsTemplateProblems(type: string, params: Record<string, unknown>, path: string, site: ReferenceSite, references: ReferenceChecker): FieldProblem[] {
	const definition = stepType(type);
	const problems: FieldProblem[] = [];
	for (const [key, value] of Object.entries(params)) {
		const at = childPath(path, key);
		if (definition?.conditionParams?.includes(key)) {
			if (typeof value === "string") problems.push(...conditionProblems(value, at, { ...site, event: true, params: false }, references));
		} else if (definition?.literalParams?.includes(key)) {
			if (typeof value === "string" && hasTemplate(value)) {
				problems.push({ path: at, message: `is read as written, without templates: a ${type} reads inputs.NAME and steps.ID.output directly` });
			}
		} else if (definition?.toolsParam === key) {
			problems.push(...valueTemplateProblems(value, at, { ...site, inTool: true }, references));
		} else if (definition?.itemStepParam === key && isPlainObject(value)) {
			const itemSite = { ...site, inItem: true };
			const { params: innerParams, ...rest } = value;
			problems.push(...valueTemplateProblems(rest, at, itemSite, references));
			if (isPlainObject(innerParams)) problems.push(...paramsTemplateProblems(String(value.type), innerParams, `${at}.params`, itemSite, references));
		} else {
			problems.push(...valueTemplateProblems(value, at, site, references));
		}
	}
	return problems;
}

/** Problems with the templates anywhere inside a value. */
export function valueTemplateProblems(value: unknown, path: string, site: ReferenceSite, references: ReferenceChecker): FieldProblem[] {
	const problems: FieldProblem[] = [];
	forEachString(value, (text, at) => {
		if (!hasTemplate(text)) return;
		const where = at.reduce<string>((p, key) => childPath(p, key), path);
		const { refs, errors } = scanTemplates(text);
		for (const error of errors) problems.push({ path: where, message: error });
		for (const ref of refs) {
			const problem = references.problem(ref.path, site);
			if (problem) problems.push({ path: where, message: `${ref.text}: ${problem}` });
		}
	});
	return problems;
}
