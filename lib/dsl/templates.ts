import { isPlainObject } from "./paths";

/**
 * Templates: `${{ inputs.x }}`, `${{ steps.ID.output.path }}`, and inside a map step's
 * step template `${{ item… }}` and `${{ index }}`; inner spaces are optional. A path is
 * a root name followed by `.name` or `[n]` segments. Resolution never evaluates code:
 * it walks own properties only.
 */

export interface TemplateScope {
	inputs: Record<string, unknown>;
	steps: Record<string, { output: unknown }>;
	item?: unknown;
	index?: number;
	/** A tool call's arguments, inside an agent step's tool definitions. */
	args?: unknown;
	/** The event a trigger's filter or a wait's match looks at (`{id, name, data, received_at}`). */
	event?: unknown;
}

/** One template found in a string: its text as written and its path split into segments. */
export interface TemplateRef {
	text: string;
	path: string[];
}

export const TEMPLATE_ROOTS = ["inputs", "steps", "item", "index", "args", "event"] as const;

const TEMPLATE = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const WHOLE_TEMPLATE = /^\s*\$\{\{\s*([^}]*?)\s*\}\}\s*$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+|\[\d+\])*$/;
const SEGMENT = /\.([A-Za-z0-9_-]+)|\[(\d+)\]/g;

export const hasTemplate = (value: string): boolean => value.includes("${{");

/** Splits `steps.fetch.output.items[0]` into `["steps", "fetch", "output", "items", "0"]`; null when it is not a path. */
export function parseTemplatePath(expression: string): string[] | null {
	if (!PATH.test(expression)) return null;
	const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression)![0];
	const path = [root];
	for (const m of expression.slice(root.length).matchAll(SEGMENT)) path.push(m[1] ?? m[2]);
	return path;
}

/** The templates in a string, and a message for each `${{ … }}` that is not a path or is left unclosed. */
export function scanTemplates(value: string): { refs: TemplateRef[]; errors: string[] } {
	const refs: TemplateRef[] = [];
	const errors: string[] = [];
	if (!hasTemplate(value)) return { refs, errors };
	let closed = 0;
	for (const m of value.matchAll(TEMPLATE)) {
		closed++;
		const path = parseTemplatePath(m[1]);
		if (path) refs.push({ text: m[0], path });
		else errors.push(`${m[0]} is not a template path: write \${{ inputs.NAME }} or \${{ steps.ID.output… }}`);
	}
	if (value.split("${{").length - 1 > closed) errors.push("has a ${{ without its closing }}");
	return { refs, errors };
}

/** The value at a path in the scope; null when any part of it is missing. */
export function resolvePath(scope: TemplateScope, path: readonly string[]): unknown {
	let current: unknown = scope;
	for (const segment of path) {
		if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
		else if (isPlainObject(current) && Object.hasOwn(current, segment)) current = current[segment];
		else return null;
	}
	return current === undefined ? null : current;
}

const asText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value ?? null));

/**
 * Resolves every template in a value (strings, arrays and objects, deeply). A string that
 * is exactly one template becomes the raw value (an object stays an object); templates
 * inside longer strings are interpolated, non-strings as JSON. Missing paths give null.
 */
export function resolveTemplates(value: unknown, scope: TemplateScope): unknown {
	if (typeof value === "string") return resolveString(value, scope);
	if (Array.isArray(value)) return value.map(v => resolveTemplates(v, scope));
	if (isPlainObject(value)) {
		const out: Record<string, unknown> = {};
		for (const [key, v] of Object.entries(value)) out[key] = resolveTemplates(v, scope);
		return out;
	}
	return value;
}

function resolveString(value: string, scope: TemplateScope): unknown {
	if (!hasTemplate(value)) return value;
	const whole = WHOLE_TEMPLATE.exec(value);
	const wholePath = whole && parseTemplatePath(whole[1]);
	if (wholePath) return resolvePath(scope, wholePath);
	return replaceTemplates(value, (text, path) => (path ? asText(resolvePath(scope, path)) : text));
}

/**
 * Resolves every template except those whose root is `keep` (left as written, to resolve
 * later in another scope: an agent's tool definitions keep `args` for each call).
 */
export function resolveTemplatesExcept(value: unknown, scope: TemplateScope, keep: string): unknown {
	if (typeof value === "string") {
		if (!hasTemplate(value)) return value;
		const whole = WHOLE_TEMPLATE.exec(value);
		const wholePath = whole && parseTemplatePath(whole[1]);
		if (wholePath) return wholePath[0] === keep ? value : resolvePath(scope, wholePath);
		return replaceTemplates(value, (text, path) => (path && path[0] !== keep ? asText(resolvePath(scope, path)) : text));
	}
	if (Array.isArray(value)) return value.map(v => resolveTemplatesExcept(v, scope, keep));
	if (isPlainObject(value)) {
		const out: Record<string, unknown> = {};
		for (const [key, v] of Object.entries(value)) out[key] = resolveTemplatesExcept(v, scope, keep);
		return out;
	}
	return value;
}

/** Replaces each `${{ … }}` in a string by what `replace` returns for its text and path (null when it is not a path). */
export function replaceTemplates(value: string, replace: (text: string, path: string[] | null) => string): string {
	return value.replace(TEMPLATE, (text, expression: string) => replace(text, parseTemplatePath(expression)));
}

/** Calls `visit` for every string inside a value, with its path segments relative to the value (a shared array: copy it to keep it). */
export function forEachString(value: unknown, visit: (text: string, at: readonly (string | number)[]) => void, at: (string | number)[] = []): void {
	if (typeof value === "string") visit(value, at);
	else if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) {
			at.push(i);
			forEachString(value[i], visit, at);
			at.pop();
		}
	} else if (isPlainObject(value)) {
		for (const key of Object.keys(value)) {
			at.push(key);
			forEachString(value[key], visit, at);
			at.pop();
		}
	}
}
