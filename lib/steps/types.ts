import type { FieldProblem } from "../errors";

/**
 * What a step type is: its name, what it does, the JSON Schema of its `params`, and the
 * checks a schema cannot express. The engine issue adds each type's `execute` to the
 * same module (`lib/steps/<type>.ts`), extending this interface.
 */

export type StepTypeName = "transform" | "http_request" | "ai_generate" | "delay" | "approval" | "sub_workflow" | "map";

/** A JSON Schema (draft-07) as ajv takes it. */
export type JsonSchema = Record<string, unknown>;

/** What a type's `check` may ask about the workflow around the step. */
export interface ParamsCheckContext {
	/** Path of the params object in the definition (`steps[3].params`). */
	path: string;
	workflowId: string;
	/**
	 * Why a data reference (`["steps", "fetch", "output", "items"]`, `["inputs", "url"]`) is
	 * wrong for this step (undeclared input, unknown or non-ancestor step), or null when it is fine.
	 */
	referenceProblem(path: readonly string[]): string | null;
}

export interface StepTypeDefinition {
	readonly type: StepTypeName;
	readonly description: string;
	/** Checks `params`; wherever a value may be computed at run time it also accepts a `${{ … }}` template string. */
	readonly paramsSchema: JsonSchema;
	/** Params read as written, never templated (a JSONata expression reads inputs and steps itself). */
	readonly literalParams?: readonly string[];
	/** The param holding a step template run once per item, where `${{ item }}` and `${{ index }}` exist; resolved per item, not before the step. */
	readonly itemStepParam?: string;
	/** Checks beyond the schema (an expression compiles, a schema is a schema); runs only when the schema passed. */
	check?(params: Record<string, unknown>, context: ParamsCheckContext): FieldProblem[];
}
