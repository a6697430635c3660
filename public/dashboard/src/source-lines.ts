/**
 * The line of a definition's text that a validation problem names. The API reports a
 * 422 problem by path (`steps[2].depends_on[0]`, relative to the workflow object, so
 * without the YAML root's `workflow.`) and a malformed text by line; this finds the
 * path's line in the text the user posted, for YAML and JSON alike (JSON is YAML 1.2).
 * Pure: no DOM, tested in test/unit.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

export interface SourceProblem {
	path: string;
	message: string;
	line?: number;
	column?: number;
}

/** `steps[2].params.url` → ["steps", 2, "params", "url"]. */
export function pathSegments(path: string): (string | number)[] {
	const segments: (string | number)[] = [];
	const re = /([^.[\]]+)|\[(\d+)\]/g;
	for (let m = re.exec(path); m; m = re.exec(path)) segments.push(m[2] !== undefined ? Number(m[2]) : m[1]);
	return segments;
}

/**
 * Each path → its 1-based line in `text`: the line of the deepest part of the path the
 * text holds (a missing field points at its parent), or null when the text does not parse.
 */
export function linesOfPaths(text: string, paths: readonly string[]): Map<string, number | null> {
	const result = new Map<string, number | null>();
	const counter = new LineCounter();
	const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
	if (doc.errors.length || !doc.contents) {
		for (const p of paths) result.set(p, null);
		return result;
	}
	let root: unknown = doc.contents;
	// The YAML DSL nests everything under `workflow:`; problem paths start below it.
	if (isMap(root) && root.items.length === 1 && isScalar(root.items[0].key) && root.items[0].key.value === "workflow" && isMap(root.items[0].value)) {
		root = root.items[0].value;
	}
	const lineAt = (offset: number) => counter.linePos(offset).line;
	for (const p of paths) {
		let node = root as Node | null;
		let line = node?.range ? lineAt(node.range[0]) : 1;
		for (const segment of pathSegments(p)) {
			if (isMap(node)) {
				const pair = node.items.find(item => isScalar(item.key) && String(item.key.value) === String(segment));
				if (!pair) break;
				const key = pair.key as Node;
				if (key.range) line = lineAt(key.range[0]);
				node = (pair.value as Node | null) ?? null;
			} else if (isSeq(node) && typeof segment === "number") {
				const item = node.items[segment] as Node | undefined;
				if (!item) break;
				if (item.range) line = lineAt(item.range[0]);
				node = item;
			} else break;
		}
		result.set(p, line);
	}
	return result;
}

/** Problems with their line: the API's own (malformed text) or the one their path names. */
export function placeProblems(text: string, problems: readonly SourceProblem[]): SourceProblem[] {
	const lines = linesOfPaths(
		text,
		problems.filter(p => p.line == null).map(p => p.path)
	);
	return problems.map(p => (p.line != null ? p : { ...p, line: lines.get(p.path) ?? undefined }));
}
