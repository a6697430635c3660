import type { FieldProblem } from "../errors";
import { LIMITS } from "./model";
import { childPath } from "./paths";

/**
 * Checks a parsed document before anything else reads it: its size, its nesting depth
 * (so later walks cannot run away), numbers JSON can carry (YAML has `.nan` and `.inf`),
 * and no `__proto__` keys (they would reach object prototypes in careless code).
 */
export function documentProblems(document: unknown, textBytes: number | null): FieldProblem[] {
	if (textBytes !== null && textBytes > LIMITS.maxBytes) return [sizeProblem(textBytes)];
	const problems: FieldProblem[] = [];
	const at: (string | number)[] = [];
	const here = () => at.reduce<string>((path, key) => childPath(path, key), "") || "workflow";
	const visit = (value: unknown, depth: number): void => {
		if (typeof value === "number" && !Number.isFinite(value)) problems.push({ path: here(), message: "must be a finite number" });
		if (typeof value !== "object" || value === null) return;
		if (depth > LIMITS.maxDepth) {
			problems.push({ path: here(), message: `nests deeper than ${LIMITS.maxDepth} levels` });
			return;
		}
		if (Array.isArray(value)) {
			for (let i = 0; i < value.length; i++) {
				at.push(i);
				visit(value[i], depth + 1);
				at.pop();
			}
			return;
		}
		for (const key in value) {
			if (!Object.hasOwn(value, key)) continue;
			at.push(key);
			if (key === "__proto__") problems.push({ path: here(), message: "is a reserved key" });
			else visit((value as Record<string, unknown>)[key], depth + 1);
			at.pop();
		}
	};
	visit(document, 1);
	if (problems.length) return problems;
	// A body that arrived parsed is measured as JSON text, once its depth is known to be bounded.
	const bytes = textBytes ?? Buffer.byteLength(JSON.stringify(document) ?? "");
	return bytes > LIMITS.maxBytes ? [sizeProblem(bytes)] : [];
}

const sizeProblem = (bytes: number): FieldProblem => ({
	path: "workflow",
	message: `is ${bytes} bytes; a definition may be at most ${LIMITS.maxBytes} bytes (1 MiB)`
});
