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
	/** The owner's secrets a step's params read (`${{ secrets.NAME }}`): only while its attempt runs, never stored. */
	secrets?: Record<string, string>;
}

/** One template found in a string: its text as written and its path split into segments. */
export interface TemplateRef {
	text: string;
	path: string[];
}

export const TEMPLATE_ROOTS = ["inputs", "steps", "item", "index", "args", "event", "secrets"] as const;

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+|\[\d+\])*$/;
const SEGMENT = /\.([A-Za-z0-9_-]+)|\[(\d+)\]/g;

/** One `${{ … }}` in a string: where it is, and what is inside (trimmed). */
interface TemplateMatch {
	start: number;
	end: number;
	inner: string;
}

/**
 * Every `${{ … }}` in a string, left to right: from `${{` to the first `}`, which must be
 * followed by another. A hand-written scan, linear in the string: the regular expression
 * it replaces backtracked (seconds on a few kilobytes of spaces or unclosed `${{`).
 */
function templateMatches(value: string): TemplateMatch[] {
	const out: TemplateMatch[] = [];
	let from = 0;
	for (;;) {
		const start = value.indexOf("${{", from);
		if (start < 0) return out;
		const close = value.indexOf("}", start + 3);
		// No `}` after this start: none after any later start either.
		if (close < 0) return out;
		if (value[close + 1] === "}") {
			out.push({ start, end: close + 2, inner: value.slice(start + 3, close).trim() });
			from = close + 2;
		} else {
			// Every start before this `}` meets the same lone `}`.
			from = close + 1;
		}
	}
}

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
	const matches = templateMatches(value);
	for (const m of matches) {
		const text = value.slice(m.start, m.end);
		const path = parseTemplatePath(m.inner);
		if (path) refs.push({ text, path });
		else errors.push(`${text} is not a template path: write \${{ inputs.NAME }} or \${{ steps.ID.output… }}`);
	}
	const closed = matches.length;
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
 * With `maxTextBytes`, the text that interpolation writes may add up to at most that many
 * characters (a large output pasted into many strings would otherwise cost its size each
 * time): past it, `TemplateTooLarge` is thrown. Raw values are shared, not copied.
 */
export function resolveTemplates(value: unknown, scope: TemplateScope, maxTextBytes = Infinity): unknown {
	return resolveWithin(value, scope, textBudget(maxTextBytes), null);
}

/**
 * Resolves every template except those whose root is `keep` (left as written, to resolve
 * later in another scope: an agent's tool definitions keep `args` for each call).
 */
export function resolveTemplatesExcept(value: unknown, scope: TemplateScope, keep: string): unknown {
	return resolveWithin(value, scope, textBudget(Infinity), keep);
}

export class TemplateTooLarge extends Error {
	override name = "TemplateTooLarge";
}

/** What interpolation may still write, shared by the values resolved with it (a step's params, a run's outputs). */
export interface TextBudget {
	left: number;
	readonly max: number;
}

export const textBudget = (max: number): TextBudget => ({ left: max, max });

/** `resolveTemplates` (or, with `keep`, `resolveTemplatesExcept`) drawing on a budget shared with other values. */
export function resolveWithin(value: unknown, scope: TemplateScope, budget: TextBudget, keep: string | null = null): unknown {
	if (typeof value === "string") return resolveString(value, scope, budget, keep);
	if (Array.isArray(value)) return value.map(v => resolveWithin(v, scope, budget, keep));
	if (isPlainObject(value)) {
		const out: Record<string, unknown> = {};
		for (const [key, v] of Object.entries(value)) out[key] = resolveWithin(v, scope, budget, keep);
		return out;
	}
	return value;
}

function resolveString(value: string, scope: TemplateScope, budget: TextBudget, keep: string | null): unknown {
	if (!hasTemplate(value)) return value;
	const matches = templateMatches(value);
	if (matches.length === 0) return value;
	const whole = matches.length === 1 && !value.slice(0, matches[0].start).trim() && !value.slice(matches[0].end).trim() ? parseTemplatePath(matches[0].inner) : null;
	if (whole) return whole[0] === keep ? value : resolvePath(scope, whole);
	return replaceMatches(value, matches, (text, path) => {
		if (!path || path[0] === keep) return text;
		const resolved = asText(resolvePath(scope, path));
		if ((budget.left -= resolved.length) < 0) throw new TemplateTooLarge(`Templates interpolated into text add up to more than ${budget.max} characters`);
		return resolved;
	});
}

/** Replaces each `${{ … }}` in a string by what `replace` returns for its text and path (null when it is not a path). */
export function replaceTemplates(value: string, replace: (text: string, path: string[] | null) => string): string {
	return replaceMatches(value, templateMatches(value), replace);
}

function replaceMatches(value: string, matches: TemplateMatch[], replace: (text: string, path: string[] | null) => string): string {
	if (matches.length === 0) return value;
	let out = "";
	let at = 0;
	for (const m of matches) {
		out += value.slice(at, m.start) + replace(value.slice(m.start, m.end), parseTemplatePath(m.inner));
		at = m.end;
	}
	return out + value.slice(at);
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
