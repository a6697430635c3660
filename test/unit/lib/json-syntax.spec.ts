import fc from "fast-check";
import { jsonErrorOffset, jsonErrorReason, locateJsonError } from "../../../lib/json-syntax";

function locate(text: string) {
	try {
		JSON.parse(text);
	} catch (err) {
		return locateJsonError(text, (err as Error).message);
	}
	throw new Error("expected invalid JSON");
}

describe("JSON syntax errors", () => {
	it.each([
		['{"workflow_id": "x",\n "steps": [}', 2, 12],
		['{"a": ', 1, 7],
		['{"a": 1,\n\n  x}', 3, 3],
		['{"a":\n tru}', 2, 5],
		["[1,2,,]", 1, 6],
		['{"a":1}}', 1, 8],
		['\n\n{"a": "b" "c"}', 3, 11],
		['{"s": "bad \\q escape"}', 1, 13],
		['{"n": 01}', 1, 8],
		['{"a": "line\nbreak"}', 1, 12]
	])("locates %j at line %i, column %i", (text, line, column) => {
		expect(locate(text)).toMatchObject({ line, column });
	});

	it("says what went wrong without echoing the text", () => {
		expect(locate('{"secret": "hunter2",\n "steps": [}').reason).toBe("Unexpected token '}'");
		expect(jsonErrorReason("Expected ',' or '}' after property value in JSON at position 12 (line 3 column 11)")).toBe(
			"Expected ',' or '}' after property value"
		);
	});

	it("points at the first character of valid JSON that a strict parser refused", () => {
		expect(locateJsonError('\n  "just a string"', 'Unexpected token \'"\', "#\\"just a s"... is not valid JSON')).toMatchObject({ line: 2, column: 3 });
	});

	it("agrees with JSON.parse on what is valid", () => {
		fc.assert(fc.property(fc.json(), text => jsonErrorOffset(text) === null));
		fc.assert(
			fc.property(fc.json(), fc.nat(), fc.constantFrom("}", "]", ",", ":", '"', "x", "\\", "\n"), (text, at, ch) => {
				const broken = text.slice(0, at % (text.length + 1)) + ch + text.slice(at % (text.length + 1));
				let valid = true;
				try {
					JSON.parse(broken);
				} catch {
					valid = false;
				}
				return (jsonErrorOffset(broken) === null) === valid;
			}),
			{ numRuns: 2000 }
		);
	});
});
