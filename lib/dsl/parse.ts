import { AppError, validationFailed, type FieldProblem } from "../errors";
import { documentProblems } from "./limits";
import type { WorkflowDefinition } from "./model";
import { normalizeWorkflow } from "./normalize";
import { parseJsonText } from "./parse-json";
import { parseYamlText } from "./parse-yaml";
import { definitionProblems } from "./validate";

/**
 * The entry points: a request body (JSON or YAML text, or JSON a body parser already
 * read) → a valid normalized definition, or an error: 400 naming the line of malformed
 * text, 415 for another content type, 422 with every problem found.
 */

export type WorkflowFormat = "json" | "yaml";

/** The format a Content-Type names; without one, text starting with `{` is JSON and anything else YAML. */
export function formatOf(contentType: string | undefined, text = ""): WorkflowFormat {
	const media = (contentType ?? "").split(";")[0].trim().toLowerCase();
	if (!media) return /^\s*[[{]/.test(text) ? "json" : "yaml";
	if (media === "application/json" || media === "text/json" || media.endsWith("+json")) return "json";
	if (/^(application|text)\/(x-)?yaml$/.test(media) || media.endsWith("+yaml")) return "yaml";
	throw new AppError(`Unsupported content type ${media}: send application/json or application/yaml`, 415, "unsupported_media_type");
}

/** Text → the document it holds; malformed text is a 400 naming the line and column. */
export function parseWorkflowText(text: string, format: WorkflowFormat): unknown {
	return format === "json" ? parseJsonText(text) : parseYamlText(text);
}

/** Normalizes and validates without throwing: the definition (null when the document could not be read) and every problem. */
export function checkWorkflow(document: unknown, textBytes: number | null = null): { definition: WorkflowDefinition | null; problems: FieldProblem[] } {
	const limits = documentProblems(document, textBytes);
	if (limits.length) return { definition: null, problems: limits };
	const { definition, problems, spellings } = normalizeWorkflow(document);
	// Where reading a field already failed, the rules about its value (and its parts) have nothing to add.
	const named = new Set(problems.map(p => p.path));
	for (const problem of definitionProblems(definition, spellings)) if (!withinAny(problem.path, named)) problems.push(problem);
	return { definition, problems };
}

/** Whether a path is one of `paths` or inside one of them (`steps[0].id` is inside `steps[0]`). */
function withinAny(path: string, paths: ReadonlySet<string>): boolean {
	if (paths.has(path)) return true;
	for (let i = path.length - 1; i > 0; i--) if ((path[i] === "." || path[i] === "[") && paths.has(path.slice(0, i))) return true;
	return false;
}

/** A parsed document → a valid definition, or a 422 listing every problem. */
export function validateWorkflow(document: unknown, textBytes: number | null = null): WorkflowDefinition {
	const { definition, problems } = checkWorkflow(document, textBytes);
	if (problems.length || !definition) throw validationFailed(summary(problems), problems);
	return definition;
}

/** A request body and its Content-Type → a valid definition. */
export function parseWorkflow(body: unknown, contentType?: string): WorkflowDefinition {
	if (typeof body === "string" || Buffer.isBuffer(body)) {
		const text = body.toString();
		return validateWorkflow(parseWorkflowText(text, formatOf(contentType, text)), Buffer.byteLength(text));
	}
	return validateWorkflow(body);
}

/** The 422's message: unsupported step types by name (the problem people hit first), else the first problem. */
function summary(problems: readonly FieldProblem[]): string {
	const unsupported = new Set<string>();
	let others = 0;
	for (const problem of problems) {
		const type = /^unsupported step type "([^"]+)"/.exec(problem.message)?.[1];
		if (type) unsupported.add(type);
		else others++;
	}
	if (unsupported.size) {
		const more = others ? `, and ${others} other problem${others > 1 ? "s" : ""}` : "";
		return `Invalid workflow definition: unsupported step type${unsupported.size > 1 ? "s" : ""} ${[...unsupported].join(", ")}${more}`;
	}
	const [first] = problems;
	const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
	return `Invalid workflow definition: ${first.path} ${first.message}${more}`;
}
