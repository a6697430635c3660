/**
 * Reading the API's OpenAPI document in tests: its operations, requests built from it
 * (valid ones from its examples, invalid ones from its schemas) and ajv validators for
 * its request and response schemas.
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

export type Json = Record<string, unknown>;

export interface Operation {
	method: string;
	/** OpenAPI template: `/api/v3/auth/users/{id}`. */
	path: string;
	id: string;
	op: Json;
	parameters: Json[];
	/** `read`, `write`, `admin` or `public`. */
	auth: string;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

export function listOperations(doc: Json): Operation[] {
	const out: Operation[] = [];
	for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
		for (const method of METHODS) {
			const op = item[method] as Json | undefined;
			if (!op) continue;
			out.push({
				method,
				path,
				id: String(op.operationId),
				op,
				parameters: (op.parameters as Json[] | undefined) ?? [],
				auth: String(op["x-cognitionos-auth"] ?? (Array.isArray(op.security) && op.security.length === 0 ? "public" : "read"))
			});
		}
	}
	return out;
}

/** Validators for the document's schemas, with `#/components/schemas/…` references resolved. */
export class SpecValidator {
	private readonly ajv: Ajv2020;
	private readonly defs: Json;

	constructor(doc: Json) {
		this.ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
		addFormats(this.ajv);
		this.defs = ((doc.components as Json | undefined)?.schemas as Json | undefined) ?? {};
	}

	compile(schema: unknown): ValidateFunction {
		const text = JSON.stringify({ ...(schema as Json), $defs: this.defs }).replaceAll('"#/components/schemas/', '"#/$defs/');
		return this.ajv.compile(JSON.parse(text) as Json);
	}

	errors(schema: unknown, value: unknown): string | undefined {
		const validate = this.compile(schema);
		if (validate(value)) return undefined;
		return this.ajv.errorsText(validate.errors, { dataVar: "body" });
	}
}

export function fillPath(template: string, values: Record<string, string>): string {
	return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name]));
}

/** A value of the wrong kind for `schema`, or undefined when none can be made (any value is allowed). */
export function wrongValue(schema: Json | undefined, inQuery = false): unknown {
	if (!schema) return undefined;
	const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [String(schema.type)] : [];
	if (Array.isArray(schema.enum)) return "not-one-of-the-values";
	if (typeof schema.maxLength === "number") return "x".repeat(schema.maxLength + 1);
	if (typeof schema.maximum === "number") return schema.maximum + 1;
	if (inQuery) {
		if (types.includes("integer") || types.includes("number")) return "not-a-number";
		if (types.includes("boolean")) return "not-a-boolean";
		return undefined;
	}
	if (types.includes("string")) return 12345;
	if (types.includes("integer") || types.includes("number")) return "not-a-number";
	if (types.includes("boolean")) return "not-a-boolean";
	if (types.includes("array")) return "not-an-array";
	if (types.includes("object")) return "not-an-object";
	return undefined;
}
