/**
 * fastest-validator rules (the `params` of Moleculer actions, which the gateway validates
 * every request with) as JSON Schema 2020-12, the schema language of OpenAPI 3.1. The
 * OpenAPI document is built from these, so it cannot say something the validator does not.
 */
export type JsonSchema = Record<string, unknown>;

type Rule = Record<string, unknown> & { type?: string };

/** `"string|optional|max:20"` → `{type: "string", optional: true, max: 20}`; `"number[]"` → an array of numbers. */
export function parseShorthand(text: string): Rule {
	const [head, ...flags] = text.split("|").map(s => s.trim());
	if (head.endsWith("[]")) {
		const rule: Rule = { type: "array", items: head.slice(0, -2) };
		for (const flag of flags) Object.assign(rule, parseFlag(flag));
		return rule;
	}
	const rule: Rule = { type: head };
	for (const flag of flags) Object.assign(rule, parseFlag(flag));
	return rule;
}

function parseFlag(flag: string): Rule {
	const i = flag.indexOf(":");
	if (i < 0) return { [flag]: true };
	const key = flag.slice(0, i);
	const raw = flag.slice(i + 1);
	const value = raw === "true" ? true : raw === "false" ? false : raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
	return { [key]: value };
}

export function normalizeRule(rule: unknown): Rule {
	if (typeof rule === "string") return parseShorthand(rule);
	if (Array.isArray(rule)) return { type: "multi", rules: rule };
	if (rule && typeof rule === "object") {
		const r = rule as Rule;
		// A nested object given as its props (`{ a: "string" }` with no type) is an object rule.
		if (r.type === undefined && !("$$type" in r)) return { type: "object", props: r };
		if (typeof r.$$type === "string") {
			const { $$type, ...props } = r;
			return { ...parseShorthand($$type as string), props };
		}
		return r;
	}
	return { type: "any" };
}

/** Whether the validator lets the field be left out. */
export function isOptional(rule: unknown): boolean {
	const r = normalizeRule(rule);
	return r.optional === true || r.default !== undefined || r.type === "forbidden";
}

function withNull(schema: JsonSchema, rule: Rule): JsonSchema {
	if (rule.nullable !== true) return schema;
	if (typeof schema.type === "string") return { ...schema, type: [schema.type, "null"] };
	if (schema.enum) return { ...schema, enum: [...(schema.enum as unknown[]), null] };
	return { anyOf: [schema, { type: "null" }] };
}

const STRING_PATTERNS: Record<string, string> = {
	numeric: "^-?\\d+(\\.\\d+)?$",
	alpha: "^[a-zA-Z]+$",
	alphanum: "^[a-zA-Z0-9]+$",
	alphadash: "^[a-zA-Z0-9_-]+$",
	hex: "^([0-9a-fA-F]{2})+$",
	base64: "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
};

function stringSchema(rule: Rule): JsonSchema {
	const s: JsonSchema = { type: "string" };
	if (typeof rule.min === "number") s.minLength = rule.min;
	if (typeof rule.max === "number") s.maxLength = rule.max;
	if (typeof rule.length === "number") s.minLength = s.maxLength = rule.length;
	if (rule.empty === false && !(typeof s.minLength === "number" && s.minLength > 0)) s.minLength = 1;
	if (Array.isArray(rule.enum)) s.enum = rule.enum;
	if (rule.pattern instanceof RegExp) s.pattern = rule.pattern.source;
	else if (typeof rule.pattern === "string") s.pattern = rule.pattern;
	for (const [flag, pattern] of Object.entries(STRING_PATTERNS)) if (rule[flag] === true && !s.pattern) s.pattern = pattern;
	if (rule.singleLine === true && !s.pattern) s.pattern = "^[^\\r\\n]*$";
	return s;
}

function numberSchema(rule: Rule): JsonSchema {
	const s: JsonSchema = { type: rule.integer === true ? "integer" : "number" };
	if (typeof rule.min === "number") s.minimum = rule.min;
	if (typeof rule.max === "number") s.maximum = rule.max;
	if (typeof rule.equal === "number") s.const = rule.equal;
	if (rule.positive === true) s.exclusiveMinimum = 0;
	if (rule.negative === true) s.exclusiveMaximum = 0;
	return s;
}

/** Properties and required names of an object rule's `props` (or of an action's whole `params`). */
export function objectSchema(props: Record<string, unknown>, strict: unknown = false): JsonSchema {
	const properties: Record<string, JsonSchema> = {};
	const required: string[] = [];
	for (const [name, rule] of Object.entries(props)) {
		if (name.startsWith("$$")) continue;
		const r = normalizeRule(rule);
		if (r.type === "forbidden") {
			properties[name] = { not: {} };
			continue;
		}
		properties[name] = toJsonSchema(r);
		if (!isOptional(r)) required.push(name);
	}
	const s: JsonSchema = { type: "object", properties };
	if (required.length) s.required = required;
	// strict: true refuses unknown fields; "remove" drops them silently, which a client may send.
	if (strict === true || props.$$strict === true) s.additionalProperties = false;
	return s;
}

export function toJsonSchema(input: unknown): JsonSchema {
	const rule = normalizeRule(input);
	let s: JsonSchema;
	switch (rule.type) {
		case "string":
			s = stringSchema(rule);
			break;
		case "number":
			s = numberSchema(rule);
			break;
		case "boolean":
			s = { type: "boolean" };
			break;
		case "email":
			s = { type: "string", format: "email", ...(typeof rule.max === "number" ? { maxLength: rule.max } : {}) };
			break;
		case "uuid":
			s = { type: "string", format: "uuid" };
			break;
		case "url":
			s = { type: "string", format: "uri" };
			break;
		case "date":
			s = { type: "string", format: "date-time" };
			break;
		case "enum":
			s = { enum: Array.isArray(rule.values) ? rule.values : [] };
			break;
		case "equal":
			s = { const: rule.value };
			break;
		case "array": {
			s = { type: "array" };
			if (rule.items !== undefined) s.items = toJsonSchema(rule.items);
			if (typeof rule.min === "number") s.minItems = rule.min;
			if (typeof rule.max === "number") s.maxItems = rule.max;
			if (typeof rule.length === "number") s.minItems = s.maxItems = rule.length;
			if (rule.empty === false && !(typeof s.minItems === "number" && s.minItems > 0)) s.minItems = 1;
			if (rule.unique === true) s.uniqueItems = true;
			break;
		}
		case "tuple":
			s = { type: "array", ...(Array.isArray(rule.items) ? { prefixItems: rule.items.map(toJsonSchema), minItems: rule.items.length, maxItems: rule.items.length } : {}) };
			break;
		case "object": {
			const props = (rule.props ?? rule.properties) as Record<string, unknown> | undefined;
			s = props ? objectSchema(props, rule.strict) : { type: "object" };
			if (typeof rule.minProps === "number") s.minProperties = rule.minProps;
			if (typeof rule.maxProps === "number") s.maxProperties = rule.maxProps;
			break;
		}
		case "record": {
			s = { type: "object" };
			if (rule.value !== undefined) s.additionalProperties = toJsonSchema(rule.value);
			const key = rule.key === undefined ? undefined : toJsonSchema(rule.key);
			if (key && Object.keys(key).some(k => k !== "type")) s.propertyNames = key;
			break;
		}
		case "multi":
			s = { anyOf: (Array.isArray(rule.rules) ? rule.rules : []).map(toJsonSchema) };
			break;
		case "any":
			s = {};
			break;
		default:
			// A rule type the generator does not know still validates something: say so rather than guess.
			s = { description: `validated as fastest-validator "${String(rule.type)}"` };
	}
	if (rule.default !== undefined && typeof rule.default !== "function") s.default = rule.default;
	if (typeof rule.description === "string") s.description = rule.description;
	return withNull(s, rule);
}
