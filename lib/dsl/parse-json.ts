import { badRequest } from "../errors";
import { lineAndColumn, locateJsonError } from "../json-syntax";

export { lineAndColumn };

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

export function parseJsonText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (err) {
		const { line, column, reason } = locateJsonError(text, (err as Error).message);
		throw malformed("JSON", reason, line, column);
	}
}
