/**
 * The LLM_* settings: parsers for the JSON ones (used by the SETTINGS table) and the
 * options the LLM client is built from, resolved from a validated Config.
 */
import type { Config } from "../config";
import type { Budget } from "./budget";
import type { BreakerOptions } from "./breaker";
import type { LimitsByProvider } from "./limits/limiter";
import { DEFAULT_PRICING, type ModelPrice, type PricingTable } from "./pricing";
import type { BackoffPolicy } from "../backoff";
import { DEFAULT_MODEL_MAP, DEFAULT_ROLES, type ModelMap, type RoleProfile, type RoleProfiles, type RoutingOptions } from "./routing";
import { AGENT_ROLES, PROVIDER_NAMES, type AgentRole, type ProviderName } from "./types";

function parseObject(raw: string, expected: string): Record<string, unknown> {
	if (raw.trim() === "") return {};
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		throw new Error(`JSON: ${expected}`);
	}
	if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error(`a JSON object: ${expected}`);
	return value as Record<string, unknown>;
}

const isProvider = (v: unknown): v is ProviderName => (PROVIDER_NAMES as readonly unknown[]).includes(v);

export function parseProviderList(raw: string): ProviderName[] {
	const names = raw
		.split(",")
		.map(s => s.trim())
		.filter(Boolean);
	const unknown = names.filter(n => !isProvider(n));
	if (unknown.length) throw new Error(`a comma list of ${PROVIDER_NAMES.join(", ")} (unknown: ${unknown.join(", ")})`);
	return [...new Set(names)] as ProviderName[];
}

/** LLM_MODEL_MAP: {tier: {provider: model}}, merged over the built-in tiers. */
export function parseModelMap(raw: string): ModelMap {
	const expected = '{"tier": {"openai": "model", "anthropic": "model"}}';
	const given = parseObject(raw, expected);
	const map: Record<string, Partial<Record<ProviderName, string>>> = {};
	for (const [tier, models] of Object.entries(DEFAULT_MODEL_MAP)) map[tier] = { ...models };
	for (const [tier, models] of Object.entries(given)) {
		if (!models || typeof models !== "object" || Array.isArray(models)) throw new Error(`a JSON object ${expected} (tier "${tier}")`);
		for (const [provider, model] of Object.entries(models)) {
			if (!isProvider(provider)) throw new Error(`a JSON object ${expected} (unknown provider "${provider}" in tier "${tier}")`);
			if (typeof model !== "string" || !model) throw new Error(`a JSON object ${expected} (tier "${tier}", ${provider}: a model name)`);
			map[tier] = { ...map[tier], [provider]: model };
		}
	}
	return map;
}

/** LLM_ROLES: {role: {provider?, model?, temperature?, system?}}, merged over the built-in roles. */
export function parseRoles(raw: string): RoleProfiles {
	const expected = '{"planner": {"provider": "anthropic", "model": "large", "temperature": 0.2, "system": "…"}}';
	const given = parseObject(raw, expected);
	const roles = { ...DEFAULT_ROLES } as Record<AgentRole, RoleProfile>;
	for (const [role, profile] of Object.entries(given)) {
		if (!(AGENT_ROLES as readonly string[]).includes(role)) throw new Error(`a JSON object whose keys are ${AGENT_ROLES.join(", ")} (got "${role}")`);
		if (!profile || typeof profile !== "object" || Array.isArray(profile)) throw new Error(`a JSON object ${expected} (role "${role}")`);
		const p = profile as Record<string, unknown>;
		const problem = (field: string, what: string) => new Error(`a JSON object ${expected} (${role}.${field} must be ${what})`);
		for (const key of Object.keys(p)) if (!["provider", "model", "temperature", "system"].includes(key)) throw problem(key, "absent: unknown field");
		if (p.provider !== undefined && !isProvider(p.provider)) throw problem("provider", PROVIDER_NAMES.join(" or "));
		if (p.model !== undefined && (typeof p.model !== "string" || !p.model)) throw problem("model", "a tier or model name");
		if (p.temperature !== undefined && (typeof p.temperature !== "number" || p.temperature < 0 || p.temperature > 2)) throw problem("temperature", "a number from 0 to 2");
		if (p.system !== undefined && typeof p.system !== "string") throw problem("system", "a string");
		roles[role as AgentRole] = { ...roles[role as AgentRole], ...(p as RoleProfile) };
	}
	return roles;
}

/** LLM_PRICING: {model: {input, output}} in USD per million tokens, merged over the built-in table. */
export function parsePricing(raw: string): PricingTable {
	const expected = '{"model": {"input": 2.5, "output": 10}} in USD per million tokens';
	const given = parseObject(raw, expected);
	const table: Record<string, ModelPrice> = { ...DEFAULT_PRICING };
	for (const [model, price] of Object.entries(given)) {
		const p = (price ?? {}) as Record<string, unknown>;
		const ok = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
		if (!ok(p.input) || !ok(p.output)) throw new Error(`a JSON object ${expected} (model "${model}")`);
		table[model] = { input: p.input as number, output: p.output as number };
	}
	return table;
}

/** Everything the LLM client needs from the configuration, except its limiter backend and clock. */
export interface LlmSettings {
	openai?: { apiKey: string; baseURL: string };
	anthropic?: { apiKey: string; baseURL: string };
	timeout: number;
	routing: RoutingOptions;
	retry: BackoffPolicy;
	breaker: BreakerOptions;
	pricing: PricingTable;
	limits: LimitsByProvider;
	defaultMaxTokens: number;
	defaultBudget: Pick<Budget, "max_tokens" | "max_cost_usd">;
}

/** The provider of calls that name none: the configured one, else the first keyed provider of the order, else local. */
export function defaultProviderOf(config: Pick<Config, "LLM_DEFAULT_PROVIDER" | "LLM_PROVIDER_ORDER">, available: readonly ProviderName[]): ProviderName {
	if (config.LLM_DEFAULT_PROVIDER !== "auto") return config.LLM_DEFAULT_PROVIDER;
	return config.LLM_PROVIDER_ORDER.find(p => p !== "local" && available.includes(p)) ?? "local";
}

export function llmSettingsFrom(config: Config): LlmSettings {
	const openai = config.LLM_OPENAI_API_KEY ? { apiKey: config.LLM_OPENAI_API_KEY, baseURL: config.LLM_OPENAI_BASE_URL } : undefined;
	const anthropic = config.LLM_ANTHROPIC_API_KEY ? { apiKey: config.LLM_ANTHROPIC_API_KEY, baseURL: config.LLM_ANTHROPIC_BASE_URL } : undefined;
	const available: ProviderName[] = ["local"];
	if (openai) available.push("openai");
	if (anthropic) available.push("anthropic");
	return {
		openai,
		anthropic,
		timeout: config.LLM_TIMEOUT,
		routing: {
			defaultProvider: defaultProviderOf(config, available),
			defaultModel: config.LLM_DEFAULT_MODEL,
			order: config.LLM_PROVIDER_ORDER,
			available,
			modelMap: config.LLM_MODEL_MAP,
			roles: config.LLM_ROLES
		},
		retry: {
			maxAttempts: config.LLM_RETRY_MAX_ATTEMPTS,
			minDelay: config.LLM_RETRY_MIN_DELAY,
			maxDelay: config.LLM_RETRY_MAX_DELAY,
			multiplier: config.LLM_RETRY_MULTIPLIER
		},
		breaker: { failureThreshold: config.LLM_BREAKER_FAILURE_THRESHOLD, resetTimeout: config.LLM_BREAKER_RESET_TIMEOUT },
		pricing: config.LLM_PRICING,
		limits: {
			openai: {
				requestsPerMinute: config.LLM_OPENAI_REQUESTS_PER_MINUTE,
				tokensPerMinute: config.LLM_OPENAI_TOKENS_PER_MINUTE,
				maxInFlight: config.LLM_OPENAI_MAX_IN_FLIGHT
			},
			anthropic: {
				requestsPerMinute: config.LLM_ANTHROPIC_REQUESTS_PER_MINUTE,
				tokensPerMinute: config.LLM_ANTHROPIC_TOKENS_PER_MINUTE,
				maxInFlight: config.LLM_ANTHROPIC_MAX_IN_FLIGHT
			}
		},
		defaultMaxTokens: config.LLM_MAX_TOKENS,
		defaultBudget: { max_tokens: config.LLM_BUDGET_MAX_TOKENS, max_cost_usd: config.LLM_BUDGET_MAX_COST_USD }
	};
}
