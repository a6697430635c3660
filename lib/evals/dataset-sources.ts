/**
 * Where a dataset's items may come from besides a list in the request: JSON lines (one
 * `{inputs, expected?}` object a line) and past runs (their inputs, and their outputs as
 * what is expected). Pure: the caller reads the runs and enforces the byte bound.
 */
import type { FieldProblem } from "../errors";
import type { DatasetItem } from "./store";

export type JsonLinesResult = { ok: true; items: DatasetItem[] } | { ok: false; problem: FieldProblem & { line?: number } };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The items of `text`, one JSON object a line (blank lines skipped, CRLF accepted). The
 * first bad line is reported with its number (1-based); so is the line that passes
 * `maxItems`, before the rest is read.
 */
export function parseJsonLines(text: string, maxItems: number): JsonLinesResult {
	const items: DatasetItem[] = [];
	const lines = text.split("\n");
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i].trim();
		if (!line) continue;
		const n = i + 1;
		const bad = (message: string): JsonLinesResult => ({ ok: false, problem: { path: "jsonl", message: `line ${n}: ${message}`, line: n } });
		if (items.length === maxItems) return bad(`a dataset holds at most ${maxItems} items (EVAL_DATASET_MAX_ITEMS)`);
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch (err) {
			return bad(`not JSON (${(err as Error).message})`);
		}
		if (!isObject(value)) return bad("must be an object {inputs, expected?}");
		const extra = Object.keys(value).filter(k => k !== "inputs" && k !== "expected");
		if (extra.length) return bad(`unknown field '${extra[0]}' (an item has inputs and expected)`);
		if (!isObject(value.inputs)) return bad("'inputs' must be an object");
		items.push(value.expected === undefined ? { inputs: value.inputs } : { inputs: value.inputs, expected: value.expected });
	}
	if (!items.length) return { ok: false, problem: { path: "jsonl", message: "holds no items" } };
	return { ok: true, items };
}

/** A past run as an item: its inputs, and its outputs as what is expected (none when it has none). */
export function itemOfRun(run: { inputs: unknown; outputs: unknown }): DatasetItem {
	const inputs = isObject(run.inputs) ? run.inputs : {};
	return run.outputs === null || run.outputs === undefined ? { inputs } : { inputs, expected: run.outputs };
}
