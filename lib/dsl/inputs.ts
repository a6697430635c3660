import { validationFailed, type FieldProblem } from "../errors";
import type { InputDeclaration, InputType } from "./model";
import { childPath, isPlainObject } from "./paths";

/**
 * Execute-time input checking, shared by the API and the engine. Coercion is strict: a
 * value converts only when nothing is lost or guessed ("5" → 5 for an integer, "false" →
 * false for a boolean), anything else is a 422 naming the input.
 */

export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const INTEGER_TEXT = /^[-+]?\d+$/;
const FLOAT_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

const refuse = (message: string): Coerced => ({ ok: false, message });

/** Converts one value to a declared type, or says why it cannot. */
export function coerceValue(type: InputType, value: unknown, values: readonly string[] | null = null): Coerced {
	switch (type) {
		case "string":
			if (typeof value === "string") return { ok: true, value };
			if (typeof value === "number" || typeof value === "boolean") return { ok: true, value: String(value) };
			return refuse("must be a string");
		case "integer": {
			const n = typeof value === "string" && INTEGER_TEXT.test(value.trim()) ? Number(value) : value;
			return typeof n === "number" && Number.isSafeInteger(n) ? { ok: true, value: n } : refuse("must be an integer");
		}
		case "float": {
			const n = typeof value === "string" && FLOAT_TEXT.test(value.trim()) ? Number(value) : value;
			return typeof n === "number" && Number.isFinite(n) ? { ok: true, value: n } : refuse("must be a number");
		}
		case "boolean":
			if (typeof value === "boolean") return { ok: true, value };
			if (value === "true" || value === "false") return { ok: true, value: value === "true" };
			return refuse("must be a boolean (true or false)");
		case "enum": {
			const text = typeof value === "number" || typeof value === "boolean" ? String(value) : value;
			if (typeof text === "string" && values?.includes(text)) return { ok: true, value: text };
			return refuse(`must be one of ${(values ?? []).join(", ")}`);
		}
		case "json":
			return value === undefined ? refuse("must be JSON") : { ok: true, value };
	}
}

/**
 * The inputs an execution runs with: declared inputs coerced to their types, defaults
 * applied, optional inputs without default set to null. Inputs that are not declared are
 * refused (a misspelt name would otherwise be silently ignored). A workflow that declares
 * no inputs takes whatever object it is given, unchanged.
 */
export function coerceInputs(declarations: readonly InputDeclaration[], given: unknown): Record<string, unknown> {
	const supplied = given ?? {};
	if (!isPlainObject(supplied)) throw validationFailed("Invalid inputs", [{ path: "inputs", message: "must be an object" }]);
	if (declarations.length === 0) return supplied;
	const problems: FieldProblem[] = [];
	const out: Record<string, unknown> = {};
	for (const declaration of declarations) {
		const path = childPath("inputs", declaration.name);
		const value = supplied[declaration.name];
		if (value === undefined || value === null) {
			if (declaration.default !== null) out[declaration.name] = declaration.default;
			else if (declaration.required) problems.push({ path, message: "is required" });
			else out[declaration.name] = null;
			continue;
		}
		const coerced = coerceValue(declaration.type, value, declaration.values);
		if (coerced.ok) out[declaration.name] = coerced.value;
		else problems.push({ path, message: coerced.message });
	}
	const declared = new Set(declarations.map(d => d.name));
	for (const name of Object.keys(supplied)) {
		if (!declared.has(name)) {
			problems.push({ path: childPath("inputs", name), message: `is not an input of this workflow (declared: ${[...declared].join(", ")})` });
		}
	}
	if (problems.length) throw validationFailed(`Invalid inputs: ${problems.map(p => p.path).join(", ")}`, problems);
	return out;
}
