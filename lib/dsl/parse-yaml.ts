import { parseDocument } from "yaml";
import { lineAndColumn, malformed } from "./parse-json";

// Aliases beyond this many are refused: a "billion laughs" document expands exponentially.
const MAX_ALIASES = 100;

/** YAML 1.2 (core schema: `yes`, `on` and dates stay strings), duplicate keys refused, one document. */
export function parseYamlText(text: string): unknown {
	const document = parseDocument(text, { prettyErrors: false, logLevel: "error", uniqueKeys: true });
	const error = document.errors[0];
	if (error) {
		const { line, column } = lineAndColumn(text, error.pos[0]);
		throw malformed("YAML", error.message, line, column);
	}
	try {
		return document.toJS({ maxAliasCount: MAX_ALIASES });
	} catch (err) {
		throw malformed("YAML", (err as Error).message, 1, 1);
	}
}
