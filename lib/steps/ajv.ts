import Ajv, { type ErrorObject } from "ajv";
import type { FieldProblem } from "../errors";
import { childPath, pointerPath } from "../dsl/paths";

/**
 * The one ajv instance. It compiles only the params schemas written in `lib/steps`; a
 * schema that a user supplies (ai_generate's `json_schema`) is checked against the
 * meta-schema, never compiled.
 */
export const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });

const A_TYPE: Record<string, string> = {
	string: "a string",
	number: "a number",
	integer: "a whole number",
	boolean: "true or false",
	object: "an object",
	array: "a list",
	null: "null"
};

/** ajv's errors as problems named by field: `steps[3].params.headers`, "must be an object, or a ${{ … }} template". */
export function schemaProblems(errors: readonly ErrorObject[] | null | undefined, basePath: string, what: string): FieldProblem[] {
	const seen = new Set<string>();
	const problems: FieldProblem[] = [];
	for (const error of errors ?? []) {
		const problem = toProblem(error, basePath, what);
		const key = `${problem.path}\n${problem.message}`;
		if (seen.has(key)) continue;
		seen.add(key);
		problems.push(problem);
	}
	return problems;
}

function toProblem(error: ErrorObject, basePath: string, what: string): FieldProblem {
	const path = pointerPath(basePath, error.instancePath);
	const described = (error.parentSchema as { description?: string } | undefined)?.description;
	const params = error.params as Record<string, unknown>;
	switch (error.keyword) {
		case "required":
			return { path: childPath(path, String(params.missingProperty)), message: "is required" };
		case "additionalProperties": {
			const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
			return { path: childPath(path, String(params.additionalProperty)), message: `is not a field of ${what} (${allowed.join(", ")})` };
		}
		case "type":
			return { path, message: `must be ${described ?? typeList(params.type)}` };
		case "pattern":
			return { path, message: described ? `must be ${described}` : (error.message ?? "is not valid") };
		case "enum":
			return { path, message: `must be one of ${(params.allowedValues as unknown[]).join(", ")}` };
		case "minLength":
			return { path, message: params.limit === 1 ? "must not be empty" : `must be at least ${String(params.limit)} characters` };
		default:
			return { path, message: error.message ?? "is not valid" };
	}
}

function typeList(type: unknown): string {
	const types = Array.isArray(type) ? type : String(type).split(",");
	return types.map(t => A_TYPE[t] ?? t).join(" or ");
}

/** Problems with a JSON Schema a user supplies, found by ajv's meta-schema (draft-07); other drafts are only required to be objects. */
export function jsonSchemaProblems(schema: Record<string, unknown>, path: string): FieldProblem[] {
	const draft = schema.$schema;
	if (typeof draft === "string" && !draft.includes("draft-07")) return [];
	ajv.validateSchema(schema);
	// The meta-schema's anyOf branches fail together; the first problem per field says enough.
	const firstPerPath = new Map<string, FieldProblem>();
	for (const problem of schemaProblems(ajv.errors, path, "a JSON Schema")) if (!firstPerPath.has(problem.path)) firstPerPath.set(problem.path, problem);
	return [...firstPerPath.values()];
}
