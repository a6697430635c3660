import type { FieldProblem } from "./errors";
import { childPath } from "./dsl/paths";

/**
 * What every request's params must look like before any action reads them: nesting at
 * most `maxDepth` levels (a JSON body may nest thousands deep, and recursive code after
 * it would overflow the stack), and no NUL characters in keys or strings (PostgreSQL
 * refuses them in text, so they would fail as a 500 deep inside). Walked with an
 * explicit stack, so the check itself cannot overflow.
 */
export function requestShapeProblem(params: unknown, maxDepth: number): FieldProblem | null {
	const stack: { value: unknown; path: string; depth: number }[] = [{ value: params, path: "", depth: 0 }];
	while (stack.length) {
		const { value, path, depth } = stack.pop()!;
		if (typeof value === "string") {
			if (value.includes("\u0000")) return { path: path || "body", message: "must not contain NUL characters" };
			continue;
		}
		if (typeof value !== "object" || value === null || Buffer.isBuffer(value)) continue;
		if (depth >= maxDepth) return { path: path || "body", message: `nests deeper than ${maxDepth} levels` };
		if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, path: childPath(path, i), depth: depth + 1 }));
		else
			for (const [key, item] of Object.entries(value)) {
				if (key.includes("\u0000")) return { path: path || "body", message: "has a key with a NUL character" };
				stack.push({ value: item, path: childPath(path, key), depth: depth + 1 });
			}
	}
	return null;
}
