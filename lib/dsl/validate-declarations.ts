import type { FieldProblem } from "../errors";
import { coerceValue } from "./inputs";
import { INPUT_NAME_PATTERN, INPUT_TYPES, type InputDeclaration, type InputType, type OutputDeclaration } from "./model";
import { childPath } from "./paths";

/** Rules on the workflow's input and output declarations. */

export function inputDeclarationProblems(inputs: readonly InputDeclaration[]): FieldProblem[] {
	const problems: FieldProblem[] = [];
	const seen = new Map<string, number>();
	inputs.forEach((input, i) => {
		const path = childPath("inputs", i);
		problems.push(...nameProblems(input.name, path, seen, i, "inputs"));
		problems.push(...typeProblems(input.type, input.values, path));
		if (input.default !== null && INPUT_TYPES.includes(input.type)) {
			const coerced = coerceValue(input.type, input.default, input.values);
			if (!coerced.ok) problems.push({ path: `${path}.default`, message: `${coerced.message}, as the input's type says` });
		}
	});
	return problems;
}

export function outputDeclarationProblems(outputs: readonly OutputDeclaration[]): FieldProblem[] {
	const problems: FieldProblem[] = [];
	const seen = new Map<string, number>();
	outputs.forEach((output, i) => {
		const path = childPath("outputs", i);
		problems.push(...nameProblems(output.name, path, seen, i, "outputs"));
		if (output.type !== null) problems.push(...typeProblems(output.type, output.values, path));
		else if (output.values !== null) problems.push({ path: `${path}.values`, message: "is only for enum outputs" });
	});
	return problems;
}

function nameProblems(name: string, path: string, seen: Map<string, number>, index: number, list: string): FieldProblem[] {
	if (!name) return [{ path: `${path}.name`, message: "is required" }];
	if (!INPUT_NAME_PATTERN.test(name)) return [{ path: `${path}.name`, message: "must start with a letter or _ and hold only letters, digits and _" }];
	const first = seen.get(name);
	if (first !== undefined) return [{ path: `${path}.name`, message: `"${name}" is declared twice (also ${list}[${first}])` }];
	seen.set(name, index);
	return [];
}

function typeProblems(type: InputType, values: readonly string[] | null, path: string): FieldProblem[] {
	if (!INPUT_TYPES.includes(type)) return [{ path: `${path}.type`, message: `must be one of ${INPUT_TYPES.join(", ")}` }];
	if (type !== "enum") return values === null ? [] : [{ path: `${path}.values`, message: "is only for enum types" }];
	if (!values?.length) return [{ path: `${path}.values`, message: "an enum needs a list of at least one value" }];
	const duplicate = values.find((v, i) => values.indexOf(v) !== i);
	return duplicate === undefined ? [] : [{ path: `${path}.values`, message: `"${duplicate}" is listed twice` }];
}
