/**
 * The words of the LLM service: what a caller asks for, what a provider answers,
 * and what one call costs. Shared by the providers, the client and the service.
 */
export const PROVIDER_NAMES = ["openai", "anthropic", "local"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const AGENT_ROLES = ["planner", "reasoner", "executor", "critic", "summarizer"] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/** A tool call the model asked for: its id (the provider's, echoed back with the result), the tool, and its arguments. */
export interface ToolCall {
	id: string;
	name: string;
	/** The arguments as the model wrote them: an object when they parsed as one. */
	arguments: unknown;
}

/**
 * One message of a conversation, in a form of our own: each provider translates it to its
 * wire format (OpenAI `tool_calls` / `role: tool`, Anthropic `tool_use` / `tool_result`),
 * so a conversation may move to another provider mid-way.
 */
export type ChatMessage =
	| { role: "system" | "user"; content: string }
	| { role: "assistant"; content: string; tool_calls?: ToolCall[] }
	| { role: "tool"; tool_call_id: string; name: string; content: string; is_error?: boolean };

/** A tool the model may call: a name, what it does, and a JSON Schema of its arguments (an object). */
export interface ToolDefinition {
	name: string;
	description: string;
	parameters: Record<string, unknown>;
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
	/** Tools the model may call (several in one answer). */
	tools?: ToolDefinition[];
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
	/** The tools the model asked to call, in its order; absent or empty when it answered. */
	tool_calls?: ToolCall[];
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
	tools?: ToolDefinition[];
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
	tool_calls?: ToolCall[];
	/** Providers tried before this one answered, with why each was left. */
	fallbacks: { provider: ProviderName; model: string; reason: string }[];
}
