import { itemOfRun, parseJsonLines } from "../../../../lib/evals/dataset-sources";

describe("parseJsonLines", () => {
	it("reads one item a line, skipping blank lines and accepting CRLF", () => {
		expect(parseJsonLines('{"inputs":{"a":1},"expected":2}\r\n\n  \n{"inputs":{}}\n', 10)).toEqual({ ok: true, items: [{ inputs: { a: 1 }, expected: 2 }, { inputs: {} }] });
	});

	it("keeps an expected that is null or false", () => {
		expect(parseJsonLines('{"inputs":{},"expected":null}\n{"inputs":{},"expected":false}', 10)).toEqual({ ok: true, items: [{ inputs: {}, expected: null }, { inputs: {}, expected: false }] });
	});

	it("names the first bad line by its number in the text, blank lines counted", () => {
		const result = parseJsonLines('{"inputs":{}}\n\n{"inputs":[]}\n{oops', 10);
		expect(result).toEqual({ ok: false, problem: { path: "jsonl", line: 3, message: "line 3: 'inputs' must be an object" } });
	});

	it("stops at the line past the item limit", () => {
		const result = parseJsonLines(['{"inputs":{}}', '{"inputs":{}}', "not even read"].join("\n"), 2);
		expect(result).toMatchObject({ ok: false, problem: { line: 3, message: "line 3: a dataset holds at most 2 items (EVAL_DATASET_MAX_ITEMS)" } });
	});

	it("refuses a text without items", () => {
		expect(parseJsonLines("\n \n", 2)).toEqual({ ok: false, problem: { path: "jsonl", message: "holds no items" } });
	});
});

describe("itemOfRun", () => {
	it("takes a run's inputs, and its outputs as expected when it has any", () => {
		expect(itemOfRun({ inputs: { who: "Ada" }, outputs: { greeting: "Hi" } })).toEqual({ inputs: { who: "Ada" }, expected: { greeting: "Hi" } });
		expect(itemOfRun({ inputs: { who: "Zed" }, outputs: null })).toEqual({ inputs: { who: "Zed" } });
	});
});
