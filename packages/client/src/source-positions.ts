/**
 * Where in a definition's text a problem is. The API names a 422 problem by path
 * (`steps[2].depends_on[0]`, relative to the workflow, so without the YAML root's
 * `workflow.`) and a malformed text by line and column; this finds each path's line and
 * column in the text that was posted, YAML or JSON alike (JSON is YAML 1.2).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

export interface SourcePosition {
	/** 1-based. */
	line: number;
	/** 1-based. */
	column: number;
}

/** `steps[2].params.url` → ["steps", 2, "params", "url"]. */
export function pathSegments(path: string): (string | number)[] {
	const segments: (string | number)[] = [];
	const re = /([^.[\]]+)|\[(\d+)\]/g;
	for (let m = re.exec(path); m; m = re.exec(path)) segments.push(m[2] !== undefined ? Number(m[2]) : m[1]);
	return segments;
}

/**
 * Each path → the position of the deepest part of it the text holds (a missing field
 * points at its parent), or null for every path when the text does not parse.
 */
export function sourcePositions(text: string, paths: readonly string[]): Map<string, SourcePosition | null> {
	const result = new Map<string, SourcePosition | null>();
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
	const at = (offset: number): SourcePosition => {
		const { line, col } = counter.linePos(offset);
		return { line, column: col };
	};
	for (const p of paths) {
		let node = root as Node | null;
		let position = node?.range ? at(node.range[0]) : { line: 1, column: 1 };
		for (const segment of pathSegments(p)) {
			if (isMap(node)) {
				const pair = node.items.find(item => isScalar(item.key) && String(item.key.value) === String(segment));
				if (!pair) break;
				const key = pair.key as Node;
				if (key.range) position = at(key.range[0]);
				node = (pair.value as Node | null) ?? null;
			} else if (isSeq(node) && typeof segment === "number") {
				const item = node.items[segment] as Node | undefined;
				if (!item) break;
				if (item.range) position = at(item.range[0]);
				node = item;
			} else break;
		}
		result.set(p, position);
	}
	return result;
}
