import { checkBudget, spend, thresholdsCrossed, type Budget } from "../../../lib/llm/budget";

const budget = (used_tokens: number, used_cost_usd = 0): Budget => ({ max_tokens: 32000, max_cost_usd: 1, used_tokens, used_cost_usd });

describe("budgets", () => {
	it("lets a call through when its worst case fits", () => {
		expect(checkBudget(budget(30000), { prompt_tokens: 976, max_completion_tokens: 1024, max_cost_usd: 0.01 })).toEqual({ ok: true });
	});

	it("refuses a call whose prompt plus max_tokens would pass the token limit, saying so in words", () => {
		const check = checkBudget(budget(30000), { prompt_tokens: 977, max_completion_tokens: 1024, max_cost_usd: 0.01 });
		expect(check.ok).toBe(false);
		if (check.ok) return;
		expect(check.reason).toBe("tokens");
		expect(check.message).toBe(
			"This LLM call could use up to 2,001 tokens (about 977 in the prompt and up to 1,024 in the answer), but only 2,000 of the " +
				"execution's 32,000-token budget remain. Lower max_tokens, shorten the prompt or raise the budget."
		);
	});

	it("refuses a call that could pass the cost limit", () => {
		const check = checkBudget(budget(0, 0.95), { prompt_tokens: 100, max_completion_tokens: 100, max_cost_usd: 0.06 });
		expect(check).toMatchObject({ ok: false, reason: "cost" });
		if (!check.ok) expect(check.message).toContain("could cost up to $0.06, but only $0.05 of the execution's $1.00 budget remain");
	});

	it("adds a call's usage", () => {
		expect(spend(budget(100, 0.1), { tokens: 50, cost_usd: 0.0075 })).toEqual({ max_tokens: 32000, max_cost_usd: 1, used_tokens: 150, used_cost_usd: 0.1075 });
	});

	it("reports crossing 80 % once, when the call crosses it", () => {
		expect(thresholdsCrossed(budget(25000), budget(25600))).toEqual(["tokens"]);
		expect(thresholdsCrossed(budget(25600), budget(26000))).toEqual([]);
		expect(thresholdsCrossed(budget(100), budget(200))).toEqual([]);
		expect(thresholdsCrossed(budget(100, 0.7), budget(100, 0.8))).toEqual(["cost"]);
		expect(thresholdsCrossed(budget(25000, 0.7), budget(26000, 0.9))).toEqual(["tokens", "cost"]);
	});
});
