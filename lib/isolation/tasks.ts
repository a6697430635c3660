import jsonata from "jsonata";
import { evaluateConditionOver } from "../dsl/conditions";
import { parseWorkflow } from "../dsl/parse";
import type { WorkflowDefinition } from "../dsl/model";
import { formatBytes, jsonSize } from "./size";

/**
 * The work a worker thread does, as plain data in and out (tasks cross a thread
 * boundary by structured clone). Pure: `runTask` is also what the tests call directly.
 */
export type Task =
	| {
			kind: "jsonata";
			expression: string;
			input: unknown;
			/** The result is refused past this many bytes of JSON (output_too_large). */
			maxOutputBytes: number;
	  }
	| { kind: "condition"; source: string; values: unknown[] }
	/** A request body: text (JSON or YAML), or JSON a body parser already read. */
	| { kind: "workflow"; body: unknown; contentType?: string };

/** A failure the caller turns back into its own error: a step error type, or an API error. */
export interface TaskError {
	message: string;
	type: string;
	/** HTTP status for the API (workflow uploads). */
	status?: number;
	detail?: unknown;
}

/** jsonata: the result as JSON text ("null" for no result); condition: a boolean; workflow: the definition. */
export type TaskResult = { ok: true; value: string | boolean | WorkflowDefinition } | { ok: false; error: TaskError };

/** Deepest an expression may recurse (JSONata's own guard, its `stack` option). */
export const MAX_EXPRESSION_DEPTH = 500;

// Compiled expressions by source; a worker sees the same few expressions again and again.
const compiled = new Map<string, jsonata.Expression>();
const MAX_COMPILED = 500;

export function compileJsonata(source: string): jsonata.Expression {
	let expr = compiled.get(source);
	if (!expr) {
		expr = jsonata(source, { stack: MAX_EXPRESSION_DEPTH });
		if (compiled.size >= MAX_COMPILED) compiled.clear();
		compiled.set(source, expr);
	}
	return expr;
}

/** JSONata's error, as a step's `transform_error` message. */
export function jsonataMessage(err: unknown): string {
	const { message, position, code } = err as { message?: string; position?: number; code?: string };
	if (code === "D1011") return `The expression recursed deeper than ${MAX_EXPRESSION_DEPTH} levels`;
	return `JSONata: ${message ?? String(err)}${position === undefined ? "" : ` (at character ${position})`}`;
}

export async function runTask(task: Task): Promise<TaskResult> {
	switch (task.kind) {
		case "jsonata": {
			let value: unknown;
			try {
				value = await compileJsonata(task.expression).evaluate(task.input);
			} catch (err) {
				return { ok: false, error: { message: jsonataMessage(err), type: "transform_error" } };
			}
			const size = jsonSize(value ?? null, task.maxOutputBytes);
			if (size > task.maxOutputBytes)
				return { ok: false, error: { message: `The expression's result is larger than ${formatBytes(task.maxOutputBytes)} (STEP_MAX_OUTPUT_BYTES)`, type: "output_too_large" } };
			// JSON text: what is recorded anyway, and nothing (a function, a cycle) that cannot cross the thread boundary.
			return { ok: true, value: JSON.stringify(value ?? null) ?? "null" };
		}
		case "condition":
			try {
				return { ok: true, value: evaluateConditionOver(task.source, task.values) };
			} catch (err) {
				return { ok: false, error: { message: (err as Error).message, type: "condition_error" } };
			}
		case "workflow":
			try {
				return { ok: true, value: parseWorkflow(task.body, task.contentType) };
			} catch (err) {
				const e = err as { message: string; code?: number; type?: string; data?: unknown };
				if (typeof e.code !== "number") throw err;
				return { ok: false, error: { message: e.message, type: e.type ?? "validation_error", status: e.code, detail: e.data } };
			}
	}
}
