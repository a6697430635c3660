import { aggregatesOf } from "../../../../lib/evals/driver";
import { judgeScore, score, scorerNames, scorerProblems, type ScoreContext, type Scorer } from "../../../../lib/evals/scorers";

const ctx = (outputs: unknown, expected: unknown, over: Partial<ScoreContext> = {}): ScoreContext => ({
	inputs: { who: "Ada" },
	outputs,
	expected,
	signal: new AbortController().signal,
	userCode: { jsonata: async () => null },
	judge: async () => '{"score": 1}',
	...over
});

const run = (scorer: Scorer, outputs: unknown, expected: unknown, over: Partial<ScoreContext> = {}) => score(scorer, ctx(outputs, expected, over));

describe("scorers", () => {
	it("exact: deep equality of the outputs with expected", async () => {
		expect(await run({ type: "exact" }, { a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual({ score: 1 });
		expect(await run({ type: "exact" }, { a: 1 }, { a: "1" })).toEqual({ score: 0 });
	});

	it("contains: the expected text (or the scorer's) in the outputs' text, at a path, optionally ignoring case", async () => {
		expect((await run({ type: "contains", path: "greeting" }, { greeting: "Hello, Ada!" }, { greeting: "Hello, Ada" })).score).toBe(1);
		expect((await run({ type: "contains", text: "ADA", ignore_case: true }, { greeting: "Hello, Ada" }, null)).score).toBe(1);
		expect((await run({ type: "contains", text: "ADA" }, { greeting: "Hello, Ada" }, null)).score).toBe(0);
		expect(await run({ type: "contains" }, "x", undefined)).toMatchObject({ score: 0, error: expect.stringContaining("Nothing to look for") });
	});

	it("json_schema: whether the outputs hold to the schema", async () => {
		const schema = { type: "object", required: ["n"], properties: { n: { type: "integer" } } };
		expect((await run({ type: "json_schema", schema }, { n: 2 }, null)).score).toBe(1);
		expect((await run({ type: "json_schema", schema }, { n: "2" }, null)).score).toBe(0);
	});

	it("jsonata: through the user-code path, over outputs, expected and inputs; numbers clamped, booleans 0 or 1, anything else 0 with why", async () => {
		const seen: unknown[] = [];
		const userCode = (value: unknown) => ({
			jsonata: async (_e: string, input: unknown) => {
				seen.push(input);
				return value;
			}
		});
		expect((await run({ type: "jsonata", expression: "x" }, { a: 1 }, { a: 2 }, { userCode: userCode(0.25) })).score).toBe(0.25);
		expect(seen[0]).toEqual({ outputs: { a: 1 }, expected: { a: 2 }, inputs: { who: "Ada" } });
		expect((await run({ type: "jsonata", expression: "x" }, 1, 1, { userCode: userCode(true) })).score).toBe(1);
		expect((await run({ type: "jsonata", expression: "x" }, 1, 1, { userCode: userCode(7) })).score).toBe(1);
		expect(await run({ type: "jsonata", expression: "x" }, 1, 1, { userCode: userCode("high") })).toMatchObject({ score: 0, error: expect.stringContaining("not a number") });
		const failing = { jsonata: async () => Promise.reject(new Error("boom")) };
		expect(await run({ type: "jsonata", expression: "x" }, 1, 1, { userCode: failing })).toEqual({ score: 0, error: "boom" });
	});

	it("llm_judge: sends the rubric, inputs, expected and output, and reads a JSON score", async () => {
		let prompt = "";
		const judge = async (r: { prompt: string }) => {
			prompt = r.prompt;
			return '```json\n{"score": 0.7, "reason": "close"}\n```';
		};
		expect(await run({ type: "llm_judge", rubric: "Be kind" }, { out: "hi" }, { out: "hello" }, { judge })).toEqual({ score: 0.7, reason: "close" });
		expect(prompt).toContain("Be kind");
		expect(prompt).toContain('{"out":"hi"}');
		expect(await run({ type: "llm_judge", rubric: "r" }, 1, 1, { judge: async () => Promise.reject(new Error("down")) })).toMatchObject({ score: 0, error: expect.stringContaining("down") });
	});

	it("judgeScore: clamps, and gives 0 with why for an answer without a score", () => {
		expect(judgeScore('{"score": 3}')).toEqual({ score: 1 });
		expect(judgeScore("Sure! {\"score\": 0.2}")).toEqual({ score: 0.2 });
		expect(judgeScore("great")).toMatchObject({ score: 0, error: expect.any(String) });
		expect(judgeScore('{"score": "high"}')).toMatchObject({ score: 0, error: expect.any(String) });
	});
});

describe("scorerProblems", () => {
	it("names each bad field", () => {
		expect(scorerProblems([])).toEqual([{ path: "scorers", message: expect.any(String) }]);
		expect(scorerProblems([{ type: "exact" }, { type: "contains", ignore_case: "yes" }]).map(p => p.path)).toEqual(["scorers[1].ignore_case"]);
		expect(scorerProblems([{ type: "json_schema" }]).map(p => p.path)).toEqual(["scorers[0].schema"]);
		expect(scorerProblems([{ type: "jsonata", expression: "(" }]).map(p => p.path)).toEqual(["scorers[0].expression"]);
		expect(scorerProblems([{ type: "llm_judge", rubric: "r", extra: 1 }]).map(p => p.path)).toEqual(["scorers[0].extra"]);
		expect(scorerProblems([{ type: "exact", name: "a" }, { type: "exact", name: "a" }]).map(p => p.path)).toEqual(["scorers[1].name"]);
		expect(scorerProblems([{ type: "exact" }, { type: "jsonata", expression: "outputs.a = expected.a" }])).toEqual([]);
	});
});

describe("names and aggregates", () => {
	it("names a scorer by its type, with its position when the type repeats, or by its own name", () => {
		expect(scorerNames([{ type: "exact" }, { type: "contains", text: "a" }, { type: "contains", text: "b" }, { type: "jsonata", expression: "1", name: "mine" }])).toEqual(["exact", "contains#2", "contains#3", "mine"]);
	});

	it("averages each scorer over the items, an unscored one counting 0", () => {
		expect(aggregatesOf(["exact"], [{ scores: { exact: { score: 1 } } }, { scores: { exact: { score: 0.5 } } }, { scores: null }])).toEqual({ exact: 0.5 });
		expect(aggregatesOf(["exact"], [])).toEqual({ exact: 0 });
	});
});
