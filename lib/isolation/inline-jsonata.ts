import jsonata from "jsonata";
import { MAX_EXPRESSION_DEPTH } from "./tasks";

/**
 * The fast path: an expression whose cost is bounded by construction runs on the
 * calling thread, where a worker's round trip would cost more than the work. It must
 * pass three bounds, or it runs in a worker instead (the same result, since JSONata
 * is pure):
 *
 * - its syntax tree is small and uses nothing that loops or allocates out of
 *   proportion to its input: no functions of its own (`function`, `~>`, partials),
 *   no variables but `$` and `$$`, no ranges (`[1..1e7]` is one step), no regular
 *   expressions (backtracking), no sorting, grouping or transforms, and only built-in
 *   functions whose result is at most proportional to their arguments;
 * - fuel: at most INLINE_FUEL evaluation steps (counted by JSONata's entry hook);
 * - allocation: the values its steps produce add up to at most INLINE_ALLOCATION bytes
 *   (counted by the exit hook: string lengths, 8 per list element, 16 per key).
 *
 * The first bound makes every step's work proportional to what earlier steps
 * produced; the other two cap the number of steps and what they produced. A bound
 * that trips mid-way abandons the evaluation (nothing it did is kept).
 */

/** Evaluation steps an expression may take inline (a path over 10,000 items takes 10,000). */
export const INLINE_FUEL = 10_000;
/** Bytes (about) the values of an inline evaluation may add up to. */
export const INLINE_ALLOCATION = 1024 * 1024;
/** Nodes of a syntax tree that may run inline. */
const INLINE_MAX_NODES = 200;

const ALLOWED_NODES = new Set(["path", "binary", "unary", "name", "string", "number", "value", "wildcard", "descendant", "parent", "condition", "block", "variable", "function", "filter"]);
/** Built-ins whose result is at most about as large as their arguments, in time linear (or n log n) in them. */
const INLINE_FUNCTIONS = new Set([
	"string", "length", "substring", "substringBefore", "substringAfter", "uppercase", "lowercase", "trim", "contains", "split",
	"number", "abs", "floor", "ceil", "round", "sqrt", "power", "count", "sum", "max", "min", "average",
	"boolean", "not", "exists", "keys", "lookup", "append", "reverse", "merge", "type", "now", "millis", "fromMillis", "toMillis"
]);
// Node properties that bind variables, group or hold tuples: not inline.
const REFUSED_PROPERTIES = ["focus", "index", "tuple", "group", "ancestor"];

interface Node {
	type?: string;
	value?: unknown;
	procedure?: Node;
	[child: string]: unknown;
}

/** Whether an expression's syntax tree may run inline (the first bound above). */
export function inlineEligible(ast: jsonata.ExprNode): boolean {
	let nodes = 0;
	const visit = (value: unknown): boolean => {
		if (Array.isArray(value)) return value.every(visit);
		if (typeof value !== "object" || value === null) return true;
		const node = value as Node;
		if (++nodes > INLINE_MAX_NODES) return false;
		if (node.type !== undefined) {
			if (!ALLOWED_NODES.has(node.type)) return false;
			if (node.type === "binary" && node.value === "..") return false;
			if (node.type === "variable" && node.value !== "" && node.value !== "$") return false;
			if (node.type === "function" && !(node.procedure?.type === "variable" && INLINE_FUNCTIONS.has(String(node.procedure.value)))) return false;
		}
		if (REFUSED_PROPERTIES.some(p => node[p] !== undefined)) return false;
		for (const [key, child] of Object.entries(node)) {
			if (key === "procedure" || key === "value" || key === "position") continue;
			if (!visit(child)) return false;
		}
		return true;
	};
	return visit(ast);
}

/** Thrown by the hooks when a bound trips; never seen outside this module (JSONata may add a position to it on the way out). */
class OutOfBounds {}

interface Meter {
	fuel: number;
	allocation: number;
}

/** Bytes (about) a step's result adds, counted up to `left`. */
function produced(result: unknown, left: number): number {
	if (typeof result === "string") return result.length;
	if (Array.isArray(result)) return result.length * 8;
	if (typeof result === "object" && result !== null) {
		let n = 0;
		for (const _key in result) if ((n += 16) > left) break;
		return n;
	}
	return 0;
}

const ENTRY = Symbol.for("jsonata.__evaluate_entry");
const EXIT = Symbol.for("jsonata.__evaluate_exit");

interface Inline {
	expression: jsonata.Expression | null;
}

// Expressions by source, with whether they may run inline; the same expression runs in every execution.
const cache = new Map<string, Inline>();
const MAX_CACHED = 2000;

function inlineFor(source: string): Inline {
	let entry = cache.get(source);
	if (!entry) {
		const expression = jsonata(source, { stack: MAX_EXPRESSION_DEPTH });
		entry = { expression: inlineEligible(expression.ast()) ? expression : null };
		if (entry.expression) {
			// Hooks on the compiled expression; each evaluation's meter travels in its own bindings.
			expression.assign(ENTRY as unknown as string, (_expr: unknown, _input: unknown, env: { lookup(name: string): unknown }) => {
				const meter = env.lookup("__meter") as Meter | undefined;
				if (meter && --meter.fuel < 0) throw new OutOfBounds();
			});
			expression.assign(EXIT as unknown as string, (_expr: unknown, _input: unknown, env: { lookup(name: string): unknown }, result: unknown) => {
				const meter = env.lookup("__meter") as Meter | undefined;
				if (meter && (meter.allocation -= produced(result, meter.allocation)) < 0) throw new OutOfBounds();
			});
		}
		if (cache.size >= MAX_CACHED) cache.clear();
		cache.set(source, entry);
	}
	return entry;
}

/** The outcome of trying the fast path: a value, or `moved` when the expression must run in a worker. */
export type InlineOutcome = { moved: false; value: unknown } | { moved: true };

/**
 * Evaluates inline when the expression is eligible and stays within its fuel and
 * allocation; JSONata's own errors (a type error, a bad argument) are thrown as they are.
 * Compiling throws for an expression that does not parse (validation refuses those).
 */
export async function evaluateInline(source: string, input: unknown): Promise<InlineOutcome> {
	const { expression } = inlineFor(source);
	if (!expression) return { moved: true };
	const meter: Meter = { fuel: INLINE_FUEL, allocation: INLINE_ALLOCATION };
	try {
		return { moved: false, value: await expression.evaluate(input, { __meter: meter }) };
	} catch (err) {
		if (err instanceof OutOfBounds) return { moved: true };
		throw err;
	}
}
