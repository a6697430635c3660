/**
 * An execution's token and cost budget (after the original BudgetLimits: 32,000
 * tokens and $1.00 unless the workflow says otherwise). Pure: the caller says how
 * much is used; these functions say whether a call fits and what crossing 80 % means.
 */
export interface Budget {
	max_tokens: number;
	max_cost_usd: number;
	used_tokens: number;
	used_cost_usd: number;
}

/** What a call may use at most: the prompt's estimate plus every output token it may produce. */
export interface CallEstimate {
	prompt_tokens: number;
	max_completion_tokens: number;
	/** Upper bound in USD, or 0 when the model has no price. */
	max_cost_usd: number;
}

export type BudgetCheck = { ok: true } | { ok: false; reason: "tokens" | "cost"; message: string };

/** The share of a budget that raises a warning event. */
export const BUDGET_WARNING_RATIO = 0.8;

const tokens = (n: number) => n.toLocaleString("en-US");
const usd = (n: number) => `$${n.toFixed(n < 0.01 && n > 0 ? 6 : 2)}`;

/** Whether a call with this worst case still fits what remains of the budget. */
export function checkBudget(budget: Budget, call: CallEstimate): BudgetCheck {
	const worstTokens = call.prompt_tokens + call.max_completion_tokens;
	const tokensLeft = budget.max_tokens - budget.used_tokens;
	if (worstTokens > tokensLeft) {
		return {
			ok: false,
			reason: "tokens",
			message:
				`This LLM call could use up to ${tokens(worstTokens)} tokens (about ${tokens(call.prompt_tokens)} in the prompt and up to ` +
				`${tokens(call.max_completion_tokens)} in the answer), but only ${tokens(Math.max(0, tokensLeft))} of the execution's ` +
				`${tokens(budget.max_tokens)}-token budget remain. Lower max_tokens, shorten the prompt or raise the budget.`
		};
	}
	const costLeft = budget.max_cost_usd - budget.used_cost_usd;
	if (call.max_cost_usd > costLeft + 1e-9) {
		return {
			ok: false,
			reason: "cost",
			message:
				`This LLM call could cost up to ${usd(call.max_cost_usd)}, but only ${usd(Math.max(0, costLeft))} of the execution's ` +
				`${usd(budget.max_cost_usd)} budget remain. Lower max_tokens, pick a cheaper model or raise the budget.`
		};
	}
	return { ok: true };
}

/** Adds a finished call's usage to the budget. */
export function spend(budget: Budget, used: { tokens: number; cost_usd: number }): Budget {
	return {
		...budget,
		used_tokens: budget.used_tokens + used.tokens,
		used_cost_usd: Math.round((budget.used_cost_usd + used.cost_usd) * 1e6) / 1e6
	};
}

/** Which limits went from under `ratio` of the budget to at or over it between `before` and `after`. */
export function thresholdsCrossed(before: Budget, after: Budget, ratio = BUDGET_WARNING_RATIO): ("tokens" | "cost")[] {
	const crossed: ("tokens" | "cost")[] = [];
	const over = (used: number, max: number) => max > 0 && used >= max * ratio;
	if (!over(before.used_tokens, before.max_tokens) && over(after.used_tokens, after.max_tokens)) crossed.push("tokens");
	if (!over(before.used_cost_usd, before.max_cost_usd) && over(after.used_cost_usd, after.max_cost_usd)) crossed.push("cost");
	return crossed;
}
