import jsonata from "jsonata";
import type { FieldProblem } from "../errors";
import { hasTemplate } from "../dsl/templates";
import { nonEmptyString } from "./schema";
import type { StepTypeDefinition } from "./types";

/**
 * `{expression}`: a JSONata expression evaluated over `{inputs, steps}`, so it reads
 * `inputs.x` and `steps.ID.output.field` itself (write `` steps.`fetch-data`.output ``
 * for ids with `-`). The expression is read as written, never templated.
 */
export const transform: StepTypeDefinition = {
	type: "transform",
	description: "Computes a value with a JSONata expression over {inputs, steps}.",
	paramsSchema: {
		type: "object",
		required: ["expression"],
		additionalProperties: false,
		properties: { expression: nonEmptyString }
	},
	literalParams: ["expression"],
	check(params, context) {
		const path = `${context.path}.expression`;
		// Templates here are refused on their own; JSONata would only add a confusing syntax error.
		if (hasTemplate(String(params.expression))) return [];
		let ast: jsonata.ExprNode;
		try {
			ast = jsonata(String(params.expression)).ast();
		} catch (err) {
			const { message, position } = err as { message: string; position?: number };
			return [{ path, message: `JSONata does not compile: ${message}${position === undefined ? "" : ` (at character ${position})`}` }];
		}
		const problems: FieldProblem[] = [];
		for (const reference of rootReferences(ast)) {
			const problem = context.referenceProblem(reference);
			if (problem) problems.push({ path, message: `${reference.join(".")}: ${problem}` });
		}
		return problems;
	}
};

// Child nodes whose context is still the root document; path steps, predicates and lambdas evaluate against something else.
const ROOT_CONTEXT_CHILDREN = ["lhs", "rhs", "expression", "expressions", "condition", "then", "else", "arguments"] as const;

/** The parts of a JSONata syntax tree this reads (the published typings lack the `path` node). */
interface Node {
	type?: string;
	value?: unknown;
	steps?: Node[];
	stages?: unknown[];
	predicate?: unknown[];
	[child: string]: unknown;
}

/** `inputs.x` and `steps.ID.output…` paths read from the root of `{inputs, steps}`, as name lists. */
export function rootReferences(root: jsonata.ExprNode): string[][] {
	const found: string[][] = [];
	const visit = (value: unknown): void => {
		if (Array.isArray(value)) return value.forEach(visit);
		if (typeof value !== "object" || value === null) return;
		const node = value as Node;
		if (node.type === "path") {
			const names: string[] = [];
			for (const step of node.steps ?? []) {
				if (step.type !== "name" || typeof step.value !== "string") break;
				names.push(step.value);
				if (step.stages?.length || step.predicate?.length) break;
			}
			if (names.length >= 2 && (names[0] === "inputs" || names[0] === "steps")) found.push(names);
			return;
		}
		if (node.type === "lambda" || node.type === "transform") return;
		for (const key of ROOT_CONTEXT_CHILDREN) visit(node[key]);
	};
	visit(root);
	return found;
}

transform.execute = async (params, ctx) => {
	// Inside a map, the expression also reads the current `item` and its `index`.
	const input = ctx.scope.item === undefined ? { inputs: ctx.scope.inputs, steps: ctx.scope.steps } : { inputs: ctx.scope.inputs, steps: ctx.scope.steps, item: ctx.scope.item, index: ctx.scope.index };
	// Inline when its cost is bounded by construction, else in a worker the step's timeout stops (lib/isolation).
	const value = await ctx.services.userCode.jsonata(String(params.expression), input, ctx.signal);
	return { kind: "completed", output: value === undefined ? null : value };
};
