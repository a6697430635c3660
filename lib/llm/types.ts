/**
 * The words of the LLM service: what a caller asks for, what a provider answers,
 * and what one call costs. Shared by the providers, the client and the service.
 */
export const PROVIDER_NAMES = ["openai", "anthropic", "local"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const AGENT_ROLES = ["planner", "reasoner", "executor", "critic", "summarizer"] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export interface ChatMessage {
	role: "system" | "user" | "assistant";
	content: string;
}

/** Ask for JSON; with a schema, providers that support structured output are given it. */
export interface JsonOutput {
	schema?: Record<string, unknown>;
}

/** What one provider is asked to do, with its own model name already chosen. */
export interface ProviderRequest {
	model: string;
	messages: ChatMessage[];
	system?: string;
	temperature?: number;
	max_tokens: number;
	top_p?: number;
	stop?: string[];
	json?: JsonOutput;
}

export interface TokenUsage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
}

/** What a provider answered, before pricing. */
export interface ProviderResponse {
	text: string;
	/** The model that answered, as the provider names it (may be a dated snapshot). */
	model: string;
	usage: TokenUsage;
	finish_reason: string | null;
}

/** A streamed answer: text deltas as they arrive, then one `done` with the usage. */
export type StreamEvent = { type: "delta"; text: string } | ({ type: "done" } & ProviderResponse);

/** One interface, one file per backend under `providers/` (chosen by configuration). */
export interface LlmProvider {
	readonly name: ProviderName;
	complete(request: ProviderRequest, signal?: AbortSignal): Promise<ProviderResponse>;
	stream(request: ProviderRequest, signal?: AbortSignal): AsyncIterable<StreamEvent>;
}

/** What a caller of the LLM service asks for. `model` is a model name or a tier of the model map. */
export interface CompletionRequest {
	messages: ChatMessage[];
	system?: string;
	model?: string;
	provider?: ProviderName;
	agent_role?: AgentRole;
	temperature?: number;
	max_tokens?: number;
	top_p?: number;
	stop?: string[];
	json?: JsonOutput;
}

export interface CompletionResult {
	text: string;
	/** The parsed answer when JSON was asked for and the text is JSON. */
	json?: unknown;
	/** Why `json` is absent although JSON was asked for. */
	json_error?: string;
	usage: TokenUsage;
	cost_usd: number;
	provider: ProviderName;
	model: string;
	latency_ms: number;
	finish_reason: string | null;
	/** Providers tried before this one answered, with why each was left. */
	fallbacks: { provider: ProviderName; model: string; reason: string }[];
}
