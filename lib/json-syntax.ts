/**
 * Where a JSON text stops being JSON. V8's messages give a position only for some errors
 * ("Unexpected token '}', … is not valid JSON" has none), so the text is scanned again.
 */

/** Line and column (from 1) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
	const lines = before.split("\n");
	return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/** Offset of the first character that makes `text` invalid JSON (its length when it ends too early), or null when it is valid. */
export function jsonErrorOffset(text: string): number | null {
	let i = 0;
	const stop = (): never => {
		throw new JsonStop(i);
	};
	const ws = () => {
		while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
	};
	const expect = (ch: string) => {
		if (text[i] !== ch) stop();
		i++;
	};
	const string = () => {
		expect('"');
		while (i < text.length) {
			const ch = text[i];
			if (ch === '"') {
				i++;
				return;
			}
			if (ch === "\\") {
				i++;
				if (text[i] === "u") {
					HEX4.lastIndex = ++i;
					if (!HEX4.test(text)) stop();
					i += 4;
					continue;
				}
				if (!'"\\/bfnrt'.includes(text[i] ?? "x")) stop();
			} else if (ch < " ") stop();
			i++;
		}
		stop();
	};
	const value = (): void => {
		ws();
		const ch = text[i];
		if (ch === "{" || ch === "[") {
			const close = ch === "{" ? "}" : "]";
			i++;
			ws();
			if (text[i] === close) {
				i++;
				return;
			}
			for (;;) {
				if (close === "}") {
					ws();
					string();
					ws();
					expect(":");
				}
				value();
				ws();
				if (text[i] === ",") i++;
				else return expect(close);
			}
		}
		if (ch === '"') return string();
		if (ch === "-" || (ch >= "0" && ch <= "9")) {
			NUMBER.lastIndex = i;
			if (!NUMBER.test(text)) stop();
			i = NUMBER.lastIndex;
			return;
		}
		for (const literal of ["true", "false", "null"]) {
			if (ch !== literal[0]) continue;
			for (const c of literal) expect(c);
			return;
		}
		stop();
	};
	try {
		value();
		ws();
		if (i < text.length) stop();
		return null;
	} catch (err) {
		if (err instanceof JsonStop) return err.offset;
		if (err instanceof RangeError) return null; // nested too deep to scan: the caller falls back
		throw err;
	}
}

class JsonStop {
	constructor(readonly offset: number) {}
}

/** What went wrong, from a JSON.parse message without its position and echoed text. */
export function jsonErrorReason(message: string): string {
	return message
		.replace(/\s*in JSON at position \d+.*$/s, "")
		.replace(/\s*\(line \d+ column \d+\)$/, "")
		.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, "")
		.trim();
}

/** Line, column and reason of a JSON syntax error in `text` that JSON.parse reported with `message`. */
export function locateJsonError(text: string, message: string): { line: number; column: number; reason: string } {
	let offset = jsonErrorOffset(text);
	if (offset === null) {
		const position = /at position (\d+)/.exec(message);
		// Valid JSON refused anyway (a strict parser wants an object or array): point at its first character.
		offset = position ? Number(position[1]) : text.length - text.trimStart().length;
	}
	return { ...lineAndColumn(text, offset), reason: jsonErrorReason(message) || "not valid JSON" };
}
