/**
 * Which provider and model answer a call, and which ones take over when it fails.
 * A model is named directly or by tier (`large`, `small`); the model map gives each
 * tier's model on every provider, so a fallback asks Anthropic for Anthropic's model,
 * never for OpenAI's. An agent role brings its own tier, temperature and system prompt.
 */
import { llmRequestRejected } from "./errors";
import { LOCAL_MODEL } from "./providers/local";
import type { AgentRole, CompletionRequest, ProviderName } from "./types";

/** tier → provider → model name. */
export type ModelMap = Readonly<Record<string, Partial<Record<ProviderName, string>>>>;

export interface RoleProfile {
	provider?: ProviderName;
	/** A tier of the model map or a model name. */
	model?: string;
	temperature?: number;
	system?: string;
}

export type RoleProfiles = Readonly<Record<AgentRole, RoleProfile>>;

export const DEFAULT_MODEL_MAP: ModelMap = {
	large: { openai: "gpt-5.4", anthropic: "claude-sonnet-4-6", local: LOCAL_MODEL },
	small: { openai: "gpt-5.4-mini", anthropic: "claude-haiku-4-5", local: LOCAL_MODEL }
};

export const DEFAULT_ROLES: RoleProfiles = {
	planner: {
		model: "large",
		temperature: 0.2,
		system: "You are the planner. Break the goal into a short, ordered list of concrete steps, each with its inputs and expected output."
	},
	reasoner: {
		model: "large",
		temperature: 0.3,
		system: "You are the reasoner. Work through the problem step by step and state your conclusion together with the facts it rests on."
	},
	executor: {
		model: "small",
		temperature: 0.2,
		system: "You are the executor. Carry out the instruction exactly and return only the requested result."
	},
	critic: {
		model: "large",
		temperature: 0,
		system: "You are the critic. Check the work against its requirements and list concrete problems, the most serious first."
	},
	summarizer: {
		model: "small",
		temperature: 0.3,
		system: "You are the summarizer. Summarize the input faithfully and briefly, keeping names, numbers and decisions."
	}
};

export interface RoutingOptions {
	defaultProvider: ProviderName;
	/** A tier of the model map or a model name. */
	defaultModel: string;
	/** Fallback order; providers not listed are only used when asked for by name. */
	order: readonly ProviderName[];
	/** Providers that are configured (have a key); `local` always is. */
	available: readonly ProviderName[];
	modelMap: ModelMap;
	roles: RoleProfiles;
}

export interface Target {
	provider: ProviderName;
	model: string;
}

export interface CallPlan {
	/** The first target answers; the others take over in order when it fails. */
	targets: Target[];
	temperature?: number;
	system?: string;
	tier?: string;
}

/** The provider a model name belongs to: by the model map, else by its family's prefix. */
export function providerOfModel(model: string, modelMap: ModelMap): ProviderName | undefined {
	for (const models of Object.values(modelMap)) {
		for (const [provider, name] of Object.entries(models)) if (name === model && provider !== "local") return provider as ProviderName;
	}
	if (/^claude-/.test(model)) return "anthropic";
	if (/^(gpt-|chatgpt-|o\d)/.test(model)) return "openai";
	if (model === LOCAL_MODEL) return "local";
	return undefined;
}

/** The tier a model name stands for in the map, if any. */
export function tierOfModel(model: string, modelMap: ModelMap): string | undefined {
	if (modelMap[model]) return model;
	return Object.keys(modelMap).find(tier => Object.values(modelMap[tier]).includes(model));
}

function modelFor(provider: ProviderName, tier: string | undefined, modelMap: ModelMap): string | undefined {
	if (provider === "local") return LOCAL_MODEL;
	return tier ? modelMap[tier]?.[provider] : undefined;
}

/** Decides the provider, model and fallbacks of one call. Throws a readable error when it cannot be served. */
export function planCall(request: CompletionRequest, options: RoutingOptions): CallPlan {
	const role = request.agent_role ? options.roles[request.agent_role] : undefined;
	const wanted = request.model ?? role?.model ?? options.defaultModel;
	const isTier = Boolean(options.modelMap[wanted]);
	// A named model outside the map falls back on the default model's tier.
	const tier = tierOfModel(wanted, options.modelMap) ?? tierOfModel(options.defaultModel, options.modelMap);

	const first =
		request.provider ??
		(isTier ? undefined : providerOfModel(wanted, options.modelMap)) ??
		(request.model ? undefined : role?.provider) ??
		options.defaultProvider;
	if (!options.available.includes(first)) {
		throw llmRequestRejected(`The ${first} provider is not configured (set LLM_${first.toUpperCase()}_API_KEY)`, { provider: first });
	}
	const firstModel = isTier ? modelFor(first, wanted, options.modelMap) : first === "local" ? LOCAL_MODEL : wanted;
	if (!firstModel) {
		throw llmRequestRejected(`The model map has no ${first} model for the tier "${wanted}" (see LLM_MODEL_MAP)`, { provider: first, tier: wanted });
	}

	const targets: Target[] = [{ provider: first, model: firstModel }];
	for (const provider of options.order) {
		if (provider === first || !options.available.includes(provider)) continue;
		const model = modelFor(provider, tier, options.modelMap);
		if (model) targets.push({ provider, model });
	}
	return { targets, temperature: request.temperature ?? role?.temperature, system: request.system ?? role?.system, tier };
}
