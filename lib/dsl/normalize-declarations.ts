import type { FieldProblem } from "../errors";
import { FieldReader } from "./fields";
import { coerceValue } from "./inputs";
import { INPUT_TYPES, type InputDeclaration, type InputType, type OutputDeclaration } from "./model";
import { childPath, isPlainObject } from "./paths";

/** Workflow-level `inputs` and `outputs` lists: `[{name, type, required?, default?, values?, description?}]`. */

export function normalizeInputs(raw: unknown, path: string, problems: FieldProblem[]): InputDeclaration[] {
	return listOf(raw, path, problems, (reader) => {
		const name = reader.string("name") ?? "";
		const type = readType(reader, true) ?? "string";
		const values = readValues(reader);
		const required = reader.boolean("required") ?? false;
		const given = reader.take("default");
		// Defaults are stored already coerced ("5" → 5); one that cannot be is kept as written for validation to name.
		let fallback: unknown = null;
		if (given) {
			const coerced = coerceValue(type, given.value, values);
			fallback = coerced.ok ? coerced.value : given.value;
		}
		const description = reader.string("description");
		reader.rejectUnknown("an input declaration");
		return { name, type, required, default: fallback, values, description };
	});
}

export function normalizeOutputs(raw: unknown, path: string, problems: FieldProblem[]): OutputDeclaration[] {
	return listOf(raw, path, problems, (reader) => {
		const name = reader.string("name") ?? "";
		const type = readType(reader, false);
		const values = readValues(reader);
		const description = reader.string("description");
		const value = reader.take("value")?.value ?? null;
		reader.rejectUnknown("an output declaration");
		return { name, type, values, description, value };
	});
}

function listOf<T>(raw: unknown, path: string, problems: FieldProblem[], read: (reader: FieldReader) => T): T[] {
	if (raw === undefined || raw === null) return [];
	if (!Array.isArray(raw)) {
		problems.push({ path, message: "must be a list of declarations ({name, type, …})" });
		return [];
	}
	const out: T[] = [];
	raw.forEach((entry, i) => {
		if (isPlainObject(entry)) out.push(read(new FieldReader(entry, childPath(path, i), problems)));
		else problems.push({ path: childPath(path, i), message: "must be an object ({name, type, …})" });
	});
	return out;
}

function readType(reader: FieldReader, required: boolean): InputType | null {
	const type = reader.string("type");
	if (type === null) {
		if (required) reader.problem("type", `is required (one of ${INPUT_TYPES.join(", ")})`);
		return null;
	}
	if ((INPUT_TYPES as readonly string[]).includes(type)) return type as InputType;
	reader.problem("type", `"${type}" is not an input type (one of ${INPUT_TYPES.join(", ")})`);
	return null;
}

/** Enum values; scalars are taken as their text (YAML reads `values: [1, 2]` as numbers). */
function readValues(reader: FieldReader): string[] | null {
	const field = reader.take("values");
	if (!field) return null;
	if (!Array.isArray(field.value)) {
		reader.problem("values", "must be a list");
		return null;
	}
	return field.value.map((v, i) => {
		if (typeof v === "string") return v;
		if (typeof v === "number" || typeof v === "boolean") return String(v);
		reader.problems.push({ path: childPath(reader.at("values"), i), message: "must be a string" });
		return "";
	});
}
