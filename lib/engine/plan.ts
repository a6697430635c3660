import { forEachString, resolveTemplates, scanTemplates, type TemplateScope } from "../dsl/templates";
import type { StepDefinition, WorkflowDefinition } from "../dsl";
import type { StepRunRow } from "./types";

/**
 * What the engine derives once from a definition: the graph both ways, which step
 * outputs each step reads, and what the workflow's outputs read. Pure; the scheduling
 * decisions below take it and plain rows, and the tests drive them directly.
 */
export interface ExecutionPlan {
	definition: WorkflowDefinition;
	steps: Map<string, StepDefinition>;
	/** Each step's position in the definition (the order ready steps are taken in). */
	positions: Map<string, number>;
	/** Steps that wait for each step. */
	dependents: Map<string, string[]>;
	/** Steps nothing depends on. */
	sinks: string[];
	/** Step ids whose outputs a step needs to run: those its params, condition or approval condition read. */
	reads: Map<string, string[]>;
	/** Step ids the workflow's outputs read (the sinks when it declares none). */
	outputReads: string[];
}

const plans = new WeakMap<WorkflowDefinition, ExecutionPlan>();

/** A JSONata expression names step outputs as `steps.ID`; anything else reading `steps` reads them all. */
const JSONATA_STEP = /\bsteps\s*\.\s*`?([A-Za-z0-9_-]+)`?/g;

function ancestorsOf(id: string, steps: Map<string, StepDefinition>): Set<string> {
	const seen = new Set<string>();
	const stack = [...(steps.get(id)?.depends_on ?? [])];
	while (stack.length) {
		const dep = stack.pop()!;
		if (seen.has(dep)) continue;
		seen.add(dep);
		stack.push(...(steps.get(dep)?.depends_on ?? []));
	}
	return seen;
}

function stepReads(step: StepDefinition, steps: Map<string, StepDefinition>): string[] {
	const ancestors = ancestorsOf(step.id, steps);
	const found = new Set<string>();
	let readsAll = false;
	const scan = (text: string) => {
		for (const ref of scanTemplates(text).refs) if (ref.path[0] === "steps" && ref.path[1]) found.add(ref.path[1]);
		if (step.type === "transform" || step.type === "map") {
			const named = [...text.matchAll(JSONATA_STEP)].map(m => m[1]);
			named.forEach(id => found.add(id));
			const mentions = (text.match(/\bsteps\b/g) ?? []).length;
			// `$keys(steps)`, `steps[...]`: the expression may read any step.
			if (!text.includes("${{") && mentions > named.length) readsAll = true;
		}
	};
	forEachString(step.params, text => scan(text));
	if (step.condition) scan(step.condition);
	if (typeof step.approval_required === "string") scan(step.approval_required);
	const ids = readsAll ? ancestors : found;
	return [...ids].filter(id => ancestors.has(id));
}

export function planOf(definition: WorkflowDefinition): ExecutionPlan {
	const cached = plans.get(definition);
	if (cached) return cached;
	const steps = new Map(definition.steps.map(s => [s.id, s]));
	const dependents = new Map<string, string[]>(definition.steps.map(s => [s.id, []]));
	for (const s of definition.steps) for (const d of s.depends_on) dependents.get(d)?.push(s.id);
	const sinks = definition.steps.filter(s => dependents.get(s.id)!.length === 0).map(s => s.id);
	const reads = new Map(definition.steps.map(s => [s.id, stepReads(s, steps)]));
	let outputReads = sinks;
	const declared = definition.outputs.filter(o => o.value !== null && o.value !== undefined);
	if (declared.length) {
		const found = new Set<string>();
		forEachString(
			declared.map(o => o.value),
			text => {
				for (const ref of scanTemplates(text).refs) if (ref.path[0] === "steps" && ref.path[1] && steps.has(ref.path[1])) found.add(ref.path[1]);
			}
		);
		outputReads = [...found];
	}
	const positions = new Map(definition.steps.map((s, i) => [s.id, i]));
	const plan = { definition, steps, positions, dependents, sinks, reads, outputReads };
	plans.set(definition, plan);
	return plan;
}

/** The rows an execution starts with: every step pending, roots ready (up to the parallel limit). */
export function initialStepRows(plan: ExecutionPlan, executionId: string, now: number, maxParallel: number): StepRunRow[] {
	let ready = 0;
	return plan.definition.steps.map((step, position) => {
		const root = step.depends_on.length === 0;
		const readyNow = root && ready < maxParallel;
		if (readyNow) ready++;
		return {
			execution_id: executionId,
			step_id: step.id,
			position,
			type: step.type,
			status: "pending",
			pending_deps: step.depends_on.length,
			ready_at: readyNow ? now : null,
			attempts: 0,
			max_attempts: step.retry + 1,
			recoveries: 0,
			lease_owner: null,
			lease_expires_at: null,
			waiting_for: null,
			due_at: null,
			approval: null,
			child_execution_id: null,
			wait_event: null,
			wait_match: null,
			wait_since: null,
			output: null,
			error: null,
			usage: null,
			started_at: null,
			completed_at: null
		};
	});
}

/** What a fork keeps of a step of the run it forks: its status (completed or skipped) and output. */
export interface ReusedStep {
	status: "completed" | "skipped";
	output: unknown;
	usage: StepRunRow["usage"];
	started_at: number | null;
	completed_at: number | null;
}

/** A step and every step that depends on it, directly or through others: what a fork from it runs again. */
export function stepAndDependents(plan: ExecutionPlan, stepId: string): Set<string> {
	const out = new Set<string>();
	const stack = [stepId];
	while (stack.length) {
		const id = stack.pop()!;
		if (out.has(id)) continue;
		out.add(id);
		stack.push(...(plan.dependents.get(id) ?? []));
	}
	return out;
}

/**
 * The rows a fork starts with: reused steps as they ended in the forked run (with their
 * outputs), the others pending on their unsatisfied dependencies, those with none ready
 * (up to the parallel limit).
 */
export function forkStepRows(plan: ExecutionPlan, executionId: string, now: number, maxParallel: number, reused: ReadonlyMap<string, ReusedStep>): StepRunRow[] {
	const status = new Map(plan.definition.steps.map(s => [s.id, reused.get(s.id)?.status ?? ("pending" as const)]));
	let ready = 0;
	return initialStepRows(plan, executionId, now, 0).map(row => {
		const kept = reused.get(row.step_id);
		if (kept) return { ...row, status: kept.status, pending_deps: 0, output: kept.output, usage: kept.usage, started_at: kept.started_at, completed_at: kept.completed_at };
		const pending = unsatisfiedDependencies(plan, row.step_id, status);
		const readyNow = pending === 0 && ready < maxParallel;
		if (readyNow) ready++;
		return { ...row, pending_deps: pending, ready_at: readyNow ? now : null };
	});
}

/** A dependency is satisfied when it completed or was skipped (a skipped step's dependents still run). */
const SATISFIED: ReadonlySet<StepRunRow["status"]> = new Set(["completed", "skipped"]);

/** How many of a step's dependencies are not yet satisfied, given each step's status. */
export function unsatisfiedDependencies(plan: ExecutionPlan, stepId: string, status: ReadonlyMap<string, StepRunRow["status"]>): number {
	return (plan.steps.get(stepId)?.depends_on ?? []).filter(d => !SATISFIED.has(status.get(d) ?? "pending")).length;
}

/** Pending steps whose dependencies are all satisfied, in definition order. */
export function readySteps(plan: ExecutionPlan, status: ReadonlyMap<string, StepRunRow["status"]>): string[] {
	return plan.definition.steps.filter(s => (status.get(s.id) ?? "pending") === "pending" && unsatisfiedDependencies(plan, s.id, status) === 0).map(s => s.id);
}

/**
 * Which newly unblocked steps start now: up to the execution's free capacity (its
 * parallel limit minus steps ready or running), in definition order; of those, the
 * first `localSlots` run on this node at once, the rest are sent to any node.
 */
export function admit(candidates: readonly string[], capacity: number, localSlots: number): { ready: string[]; local: string[]; dispatched: string[] } {
	const ready = candidates.slice(0, Math.max(0, capacity));
	const local = ready.slice(0, Math.max(0, localSlots));
	return { ready, local, dispatched: ready.slice(local.length) };
}

/** Progress in whole percent: finished steps over all steps. */
export function progressOf(finished: number, total: number): number {
	return total === 0 ? 100 : Math.floor((finished * 100) / total);
}

/**
 * The workflow's outputs: each declared output's `value` resolved; without declared
 * values, the outputs of the sink steps by id (a skipped sink reports null).
 */
export function executionOutputs(plan: ExecutionPlan, scope: TemplateScope, maxTextBytes = Infinity): Record<string, unknown> {
	const declared = plan.definition.outputs.filter(o => o.value !== null && o.value !== undefined);
	if (declared.length) {
		// One budget for all the outputs' interpolated text (raw values are shared, not copied).
		const values = resolveTemplates(Object.fromEntries(declared.map(o => [o.name, o.value])), scope, maxTextBytes) as Record<string, unknown>;
		return Object.fromEntries(declared.map(o => [o.name, values[o.name]]));
	}
	return Object.fromEntries(plan.sinks.map(id => [id, scope.steps[id]?.output ?? null]));
}
