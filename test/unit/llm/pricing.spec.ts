import { costOf, DEFAULT_PRICING, priceOf } from "../../../lib/llm/pricing";
import { parsePricing } from "../../../lib/llm/settings";

describe("pricing", () => {
	it("prices a call from the table: tokens × USD per million", () => {
		// gpt-4o: $2.50 in, $10.00 out per million tokens.
		expect(costOf("gpt-4o", { prompt_tokens: 1000, completion_tokens: 500 }, DEFAULT_PRICING)).toBe(0.0075);
		// claude-sonnet-4-5: $3 in, $15 out.
		expect(costOf("claude-sonnet-4-5", { prompt_tokens: 2000, completion_tokens: 1000 }, DEFAULT_PRICING)).toBe(0.021);
		expect(costOf("gpt-4o-mini", { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 }, DEFAULT_PRICING)).toBe(0.75);
	});

	it("prices dated snapshots as their longest listed prefix", () => {
		expect(priceOf("gpt-4o-2024-08-06", DEFAULT_PRICING)).toEqual(DEFAULT_PRICING["gpt-4o"]);
		expect(priceOf("gpt-4o-mini-2024-07-18", DEFAULT_PRICING)).toEqual(DEFAULT_PRICING["gpt-4o-mini"]);
		expect(priceOf("claude-sonnet-4-5-20250929", DEFAULT_PRICING)).toEqual(DEFAULT_PRICING["claude-sonnet-4-5"]);
		expect(priceOf("gpt-4-turbo-2024-04-09", DEFAULT_PRICING)).toEqual(DEFAULT_PRICING["gpt-4-turbo"]);
	});

	it("costs nothing for a model it does not know, and for the local provider", () => {
		expect(costOf("llama3.1:8b", { prompt_tokens: 5000, completion_tokens: 5000 }, DEFAULT_PRICING)).toBe(0);
		expect(costOf("local-echo", { prompt_tokens: 5000, completion_tokens: 5000 }, DEFAULT_PRICING)).toBe(0);
	});

	it("takes overrides and new models from LLM_PRICING", () => {
		const table = parsePricing('{"gpt-4o":{"input":1,"output":2},"llama3.1":{"input":0.1,"output":0.1}}');
		expect(costOf("gpt-4o", { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 }, table)).toBe(3);
		expect(costOf("llama3.1", { prompt_tokens: 1_000_000, completion_tokens: 0 }, table)).toBe(0.1);
		expect(table["claude-sonnet-4-5"]).toEqual(DEFAULT_PRICING["claude-sonnet-4-5"]);
		expect(() => parsePricing('{"gpt-4o":{"input":-1,"output":2}}')).toThrow(/model "gpt-4o"/);
		expect(() => parsePricing("[1]")).toThrow(/JSON object/);
	});
});
