import { badRequest } from "../errors";

export interface SyntaxProblem {
	path: "body";
	message: string;
	line: number;
	column: number;
}

/** A 400 naming where the text stopped making sense: "Malformed JSON at line 3, column 5: …". */
export function malformed(format: "JSON" | "YAML", reason: string, line: number, column: number) {
	const detail: SyntaxProblem = { path: "body", message: `line ${line}, column ${column}: ${reason}`, line, column };
	return badRequest(`Malformed ${format} at line ${line}, column ${column}: ${reason}`, [detail]);
}

/** Line and column (from 1) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
	const lines = before.split("\n");
	return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

export function parseJsonText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (err) {
		const message = (err as Error).message;
		const position = /at position (\d+)/.exec(message);
		const { line, column } = lineAndColumn(text, position ? Number(position[1]) : text.length);
		const reason = message.replace(/\s*in JSON at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)$/, "");
		throw malformed("JSON", reason, line, column);
	}
}
