import type { ValidateFunction } from "ajv";
import type { FieldProblem } from "../errors";
import { childPath, isPlainObject } from "../dsl/paths";
import { ajv, schemaProblems } from "./ajv";
import { STEP_TYPE_NAMES, stepType } from "./index";
import type { ParamsCheckContext, StepTypeDefinition } from "./types";

// Compiled once per type, on first use.
const validators = new Map<string, ValidateFunction>();

function validatorOf(definition: StepTypeDefinition): ValidateFunction {
	let validate = validators.get(definition.type);
	if (!validate) {
		validate = ajv.compile(definition.paramsSchema);
		validators.set(definition.type, validate);
	}
	return validate;
}

/** Why a step's type is not one the engine runs, or null. */
export function stepTypeProblem(type: string): string | null {
	if (stepType(type)) return null;
	return `unsupported step type "${type}" (supported: ${STEP_TYPE_NAMES.join(", ")})`;
}

/**
 * Every problem with a step's params: its type's JSON Schema, then the type's own
 * checks, then (for a map) the step template it runs per item, checked the same way.
 * `context.path` is where the params are (`steps[3].params`).
 */
export function stepParamsProblems(type: string, params: Record<string, unknown>, context: ParamsCheckContext): FieldProblem[] {
	const definition = stepType(type);
	if (!definition) return [];
	const validate = validatorOf(definition);
	if (!validate(params)) return schemaProblems(validate.errors, context.path, `${type} params`);
	const problems = definition.check?.(params, context) ?? [];
	if (definition.itemStepParam) problems.push(...itemStepProblems(params[definition.itemStepParam], childPath(context.path, definition.itemStepParam), context));
	return problems;
}

function itemStepProblems(step: unknown, path: string, context: ParamsCheckContext): FieldProblem[] {
	if (!isPlainObject(step)) return [];
	const type = String(step.type);
	const typeProblem = stepTypeProblem(type);
	if (typeProblem) return [{ path: `${path}.type`, message: typeProblem }];
	if (stepType(type)?.itemStepParam) return [{ path: `${path}.type`, message: `a ${type} step cannot run inside another (maps do not nest)` }];
	const params = isPlainObject(step.params) ? step.params : {};
	return stepParamsProblems(type, params, { ...context, path: `${path}.params` });
}
