import jsonata from "jsonata";
import { evaluateInline, inlineEligible, INLINE_FUEL } from "../../../../lib/isolation/inline-jsonata";
import { formatBytes, jsonSize } from "../../../../lib/isolation/size";

describe("which expressions may run inline", () => {
	const eligible = (source: string) => inlineEligible(jsonata(source).ast());

	it.each(["1", "inputs.x", "steps.fetch.output.items[price > 10].name", '{"total": $sum(inputs.prices), "who": $uppercase(inputs.name)}', "inputs.a ? 'yes' : 'no'", '$string(steps.a.output) & "!"', "$$.inputs.x", "**.id"])(
		"runs %s inline",
		source => expect(eligible(source)).toBe(true)
	);

	it.each([
		["a function of its own", "($f := function($n){ $n }; $f(1))"],
		["a variable binding", "($x := 1; $x)"],
		["a range", "[1..10000000]"],
		["a regular expression", '$match(inputs.s, /(a+)+$/)'],
		["a higher-order built-in", "$map(inputs.xs, function($v){ $v })"],
		["an unbounded built-in", '$pad("x", 1000000000)'],
		["evaluating text", '$eval("1 + 1")'],
		["sorting", "inputs.xs^(a)"],
		["grouping", "inputs.xs{a: b}"],
		["a focus binding", "inputs.xs@$x"],
		["applying a function", "inputs.s ~> $uppercase"]
	])("moves an expression with %s to a worker", (_, source) => expect(eligible(source)).toBe(false));

	it("moves a syntax tree of more than 200 nodes to a worker", () => {
		expect(eligible(Array.from({ length: 150 }, (_, i) => `inputs.a${i}`).join(" + "))).toBe(false);
	});
});

describe("evaluating inline within bounds", () => {
	it("gives JSONata's own result", async () => {
		expect(await evaluateInline("$sum(inputs.xs) * 2", { inputs: { xs: [1, 2, 3] } })).toEqual({ moved: false, value: 12 });
	});

	it("abandons an evaluation that runs out of fuel (and says so, so a worker runs it)", async () => {
		const xs = Array.from({ length: INLINE_FUEL }, (_, i) => i);
		expect(await evaluateInline("$sum(inputs.xs.($ * 2))", { inputs: { xs } })).toEqual({ moved: true });
	});

	it("abandons an evaluation whose values pass the allocation bound", async () => {
		const big = "x".repeat(600 * 1024);
		expect(await evaluateInline("inputs.s & inputs.s", { inputs: { s: big } })).toEqual({ moved: true });
	});

	it("throws JSONata's errors as they are", async () => {
		await expect(evaluateInline('$number("x") + {}', {})).rejects.toEqual(expect.objectContaining({ code: expect.any(String) }));
	});
});

describe("the size of a value as JSON", () => {
	it.each([null, true, 12.5, "héllo", [1, "a", null], { a: { b: [1, 2] }, c: "x" }])("equals the length of JSON.stringify for %j", value => {
		expect(jsonSize(value, Infinity)).toBe(Buffer.byteLength(JSON.stringify(value)));
	});

	it("stops counting soon after the limit, and never recurses", () => {
		let deep: unknown = 1;
		for (let i = 0; i < 100_000; i++) deep = [deep];
		expect(jsonSize(deep, 1000)).toBeGreaterThan(1000);
		expect(jsonSize({ a: "x".repeat(10_000_000) }, 100)).toBeGreaterThan(100);
	});

	it("formats sizes for messages", () => {
		expect([formatBytes(512), formatBytes(4 * 1024 * 1024), formatBytes(1536)]).toEqual(["512 bytes", "4 MB", "1.5 KB"]);
	});
});
