import jexl from "jexl";
import type Ast from "jexl/Ast";
import type Expression from "jexl/Expression";
import { replaceTemplates, resolvePath, scanTemplates, type TemplateRef, type TemplateScope } from "./templates";

/**
 * Conditions are Jexl expressions (`==`, `!=`, `<`, `>=`, `&&`, `||`, `!`, `in`, `?:`,
 * string/number/boolean literals, `null`) whose data references are templates:
 * `${{ inputs.environment }} == 'prod' && !${{ inputs.dry_run }}`. Jexl parses and walks
 * its own syntax tree: no eval, Function or vm. Each template is rewritten to a variable
 * holding its resolved value, so step ids with `-` need no quoting. Jexl's `==` is
 * JavaScript's loose equality (`5 == '5'`).
 */

export interface CompiledCondition {
	source: string;
	/** The templates the condition reads, in order; validation checks each names an input or an ancestor step. */
	refs: TemplateRef[];
	expression: Expression;
}

export class ConditionError extends Error {
	override name = "ConditionError";
}

// No transforms or functions are registered: a condition can compare and combine values, nothing more.
const language = new jexl.Jexl();
const REF_PREFIX = "$ref";
const REF_VARIABLE = /\$ref(\d+)/g;

// Definitions are few and conditions repeat across executions; a bounded cache keeps run-time evaluation cheap.
const CACHE_LIMIT = 5000;
const cache = new Map<string, CompiledCondition>();

/** Parses a condition; throws `ConditionError` with a message that quotes the condition as written. */
export function compileCondition(source: string): CompiledCondition {
	const cached = cache.get(source);
	if (cached) return cached;
	if (!source.trim()) throw new ConditionError("is empty");
	const { refs, errors } = scanTemplates(source);
	if (errors.length) throw new ConditionError(errors[0]);
	let i = 0;
	const rewritten = replaceTemplates(source, () => `${REF_PREFIX}${i++}`);
	let expression: Expression;
	try {
		expression = language.compile(rewritten);
	} catch (err) {
		const message = (err as Error).message.replace(REF_VARIABLE, (_, n: string) => refs[Number(n)]?.text ?? "");
		throw new ConditionError(`does not parse: ${message}`);
	}
	checkTree(expression._getAst(), refs.length);
	const compiled = { source, refs, expression };
	if (cache.size >= CACHE_LIMIT) cache.clear();
	cache.set(source, compiled);
	return compiled;
}

/** Evaluates a condition over the run's values; truthy results are true. */
export function evaluateCondition(source: string, scope: TemplateScope): boolean {
	return evaluateConditionOver(source, conditionValues(source, scope));
}

/** The values a condition reads, in the order of its templates. */
export function conditionValues(source: string, scope: TemplateScope): unknown[] {
	return compileCondition(source).refs.map(ref => resolvePath(scope, ref.path));
}

/** Evaluates a condition over the values its templates resolved to (`conditionValues`): a worker thread gets only these. */
export function evaluateConditionOver(source: string, values: readonly unknown[]): boolean {
	const { expression } = compileCondition(source);
	const context: Record<string, unknown> = { null: null };
	values.forEach((value, i) => (context[`${REF_PREFIX}${i}`] = value));
	return Boolean(expression.evalSync(context));
}

/** Whether a condition filters lists (`[.x > 1]`): its cost then grows with the data, not only with its text. */
export function conditionFilters(source: string): boolean {
	const visit = (node: Ast | undefined): boolean => {
		if (!node) return false;
		switch (node.type) {
			case "FilterExpression":
				return true;
			case "Identifier":
				return visit(node.from);
			case "UnaryExpression":
				return visit(node.right);
			case "BinaryExpression":
				return visit(node.left) || visit(node.right);
			case "ConditionalExpression":
				return visit(node.test) || visit(node.consequent) || visit(node.alternate);
			case "ArrayLiteral":
				return node.value.some(visit);
			case "ObjectLiteral":
				return Object.values(node.value).some(visit);
			default:
				return false;
		}
	};
	return visit(compileCondition(source).expression._getAst());
}

/** Refuses names that are not templates (a typo would silently read undefined) and calls (none exist). */
function checkTree(node: Ast | undefined, refCount: number): void {
	if (!node) return;
	switch (node.type) {
		case "Identifier":
			if (node.from) return checkTree(node.from, refCount);
			if (node.relative || node.value === "null") return;
			if (node.value.startsWith(REF_PREFIX) && Number(node.value.slice(REF_PREFIX.length)) < refCount) return;
			throw new ConditionError(`reads "${node.value}": refer to data with a template such as \${{ inputs.${node.value} }}`);
		case "FunctionCall":
			throw new ConditionError(`calls "${node.name}": conditions have no functions or transforms`);
		case "UnaryExpression":
			return checkTree(node.right, refCount);
		case "BinaryExpression":
			checkTree(node.left, refCount);
			return checkTree(node.right, refCount);
		case "ConditionalExpression":
			checkTree(node.test, refCount);
			checkTree(node.consequent, refCount);
			return checkTree(node.alternate, refCount);
		case "FilterExpression":
			checkTree(node.subject, refCount);
			return checkTree(node.expr, refCount);
		case "ArrayLiteral":
			return node.value.forEach(v => checkTree(v, refCount));
		case "ObjectLiteral":
			return Object.values(node.value).forEach(v => checkTree(v, refCount));
		case "Literal":
			return;
	}
}
