/**
 * What a call costs: USD per million input and output tokens, per model, from the
 * providers' pricing pages as copied in public price lists of 2026 (no network here to
 * read the pages themselves): verify, and override or add models with LLM_PRICING.
 * Dated snapshots ("gpt-4o-2024-08-06") are priced as their longest listed prefix.
 * A model missing here costs 0 and the service warns about it once.
 */
import type { TokenUsage } from "./types";

export interface ModelPrice {
	/** USD per 1,000,000 prompt tokens. */
	input: number;
	/** USD per 1,000,000 completion tokens. */
	output: number;
}

export type PricingTable = Readonly<Record<string, ModelPrice>>;

export const DEFAULT_PRICING: PricingTable = {
	// OpenAI
	"gpt-5.5": { input: 5, output: 30 },
	"gpt-5.5-pro": { input: 30, output: 180 },
	"gpt-5.4": { input: 2.5, output: 15 },
	"gpt-5.4-mini": { input: 0.75, output: 4.5 },
	"gpt-5.4-nano": { input: 0.2, output: 1.25 },
	"gpt-5.4-pro": { input: 30, output: 180 },
	"gpt-5": { input: 1.25, output: 10 },
	"gpt-5-mini": { input: 0.25, output: 2 },
	"gpt-5-nano": { input: 0.05, output: 0.4 },
	"gpt-4.1": { input: 2, output: 8 },
	"gpt-4.1-mini": { input: 0.4, output: 1.6 },
	"gpt-4.1-nano": { input: 0.1, output: 0.4 },
	"gpt-4o": { input: 2.5, output: 10 },
	"gpt-4o-mini": { input: 0.15, output: 0.6 },
	o3: { input: 2, output: 8 },
	"o3-mini": { input: 1.1, output: 4.4 },
	"o4-mini": { input: 1.1, output: 4.4 },
	"gpt-4-turbo": { input: 10, output: 30 },
	"gpt-4": { input: 30, output: 60 },
	"gpt-3.5-turbo": { input: 0.5, output: 1.5 },
	// Anthropic
	"claude-opus-4-6": { input: 5, output: 25 },
	"claude-sonnet-4-6": { input: 3, output: 15 },
	"claude-opus-4-5": { input: 5, output: 25 },
	"claude-opus-4-1": { input: 15, output: 75 },
	"claude-opus-4": { input: 15, output: 75 },
	"claude-sonnet-4-5": { input: 3, output: 15 },
	"claude-sonnet-4": { input: 3, output: 15 },
	"claude-3-7-sonnet": { input: 3, output: 15 },
	"claude-haiku-4-5": { input: 1, output: 5 },
	"claude-3-5-haiku": { input: 0.8, output: 4 },
	"claude-3-haiku": { input: 0.25, output: 1.25 },
	// The local provider is not a model and costs nothing.
	"local-echo": { input: 0, output: 0 }
};

/** The price of `model`: an exact entry, else the longest entry it starts with, else undefined. */
export function priceOf(model: string, table: PricingTable): ModelPrice | undefined {
	if (table[model]) return table[model];
	let best: string | undefined;
	for (const name of Object.keys(table)) {
		if (model.startsWith(`${name}-`) && (!best || name.length > best.length)) best = name;
	}
	return best ? table[best] : undefined;
}

/** USD for `usage` on `model`, rounded to a millionth of a dollar; 0 for an unpriced model. */
export function costOf(model: string, usage: Pick<TokenUsage, "prompt_tokens" | "completion_tokens">, table: PricingTable): number {
	const price = priceOf(model, table);
	if (!price) return 0;
	const usd = (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000;
	return Math.round(usd * 1e6) / 1e6;
}
