/**
 * A tokenizer-free token estimate: words, numbers and punctuation, one token per four
 * characters of a long word. Budgets use it before a call (the provider's own count
 * is used after); the local provider uses it for its usage, so counts are repeatable.
 */
import type { ChatMessage, ToolDefinition } from "./types";

const PIECE = /\p{L}+|\p{N}+|[^\s\p{L}\p{N}]/gu;

// Chat formats wrap each message in a few tokens of role and separators.
const TOKENS_PER_MESSAGE = 4;

export function countTokens(text: string): number {
	let tokens = 0;
	for (const piece of text.match(PIECE) ?? []) tokens += Math.ceil(piece.length / 4);
	return tokens;
}

/** The prompt's size: every message (with its tool calls), the system prompt, the tool definitions, and each message's framing. */
export function countPromptTokens(messages: readonly ChatMessage[], system?: string, tools?: readonly ToolDefinition[]): number {
	let tokens = system ? countTokens(system) + TOKENS_PER_MESSAGE : 0;
	for (const m of messages) {
		tokens += countTokens(m.content) + TOKENS_PER_MESSAGE;
		if (m.role === "assistant" && m.tool_calls?.length) tokens += countTokens(JSON.stringify(m.tool_calls));
	}
	if (tools?.length) tokens += countTokens(JSON.stringify(tools));
	return tokens;
}
