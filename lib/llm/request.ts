/**
 * What a caller sends `llm.complete`, read into a completion request, and the most a
 * request may use: what a budget must hold for it before it is made.
 */
import { validationFailed } from "../errors";
import type { CallEstimate } from "./budget";
import { costOf, type PricingTable } from "./pricing";
import { planCall, type RoutingOptions } from "./routing";
import { countPromptTokens } from "./tokens";
import type { AgentRole, ChatMessage, CompletionRequest, ProviderName, ToolDefinition } from "./types";

/** Ids the caller wants on every event of this call (the engine passes execution_id, step_id, attempt). */
export type Correlation = Record<string, string | number>;

export interface CompleteParams {
	prompt?: string;
	messages?: ChatMessage[];
	system?: string;
	model?: string;
	provider?: ProviderName;
	agent_role?: AgentRole;
	temperature?: number;
	max_tokens?: number;
	top_p?: number;
	stop?: string | string[];
	json?: boolean;
	json_schema?: Record<string, unknown>;
	stream?: boolean;
	tools?: ToolDefinition[];
	correlation?: Correlation;
	budget?: { max_tokens?: number; max_cost_usd?: number; used_tokens?: number; used_cost_usd?: number };
	/** Names the call so that an `llm.abort` event with this id aborts it, on whichever node it runs. */
	call_id?: string;
}

export function completionRequestOf(params: CompleteParams): CompletionRequest {
	const messages: ChatMessage[] = [...(params.messages ?? [])];
	if (params.prompt !== undefined) messages.push({ role: "user", content: params.prompt });
	if (!messages.some(m => m.role === "user")) {
		throw validationFailed("The call has nothing to answer", [{ path: "prompt", message: "Give a prompt or at least one user message" }]);
	}
	return {
		messages,
		system: params.system,
		model: params.model,
		provider: params.provider,
		agent_role: params.agent_role,
		temperature: params.temperature,
		max_tokens: params.max_tokens,
		top_p: params.top_p,
		stop: params.stop === undefined ? undefined : Array.isArray(params.stop) ? params.stop : [params.stop],
		json: params.json_schema ? { schema: params.json_schema } : params.json ? {} : undefined,
		...(params.tools?.length ? { tools: params.tools } : {})
	};
}

/**
 * The most `request` may use, whichever provider of its fallback order answers: the
 * prompt's estimate plus every output token it may ask for, at the dearest model's price.
 */
export function worstCaseOf(request: CompletionRequest, settings: { routing: RoutingOptions; pricing: PricingTable; defaultMaxTokens: number }): CallEstimate {
	const plan = planCall(request, settings.routing);
	const maxTokens = request.max_tokens ?? settings.defaultMaxTokens;
	const promptTokens = countPromptTokens(request.messages, plan.system, request.tools);
	const costs = plan.targets.map(t => costOf(t.model, { prompt_tokens: promptTokens, completion_tokens: maxTokens }, settings.pricing));
	return { prompt_tokens: promptTokens, max_completion_tokens: maxTokens, max_cost_usd: Math.max(0, ...costs) };
}
