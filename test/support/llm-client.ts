/** An LlmClient whose real OpenAI and Anthropic providers talk to a FakeLlmServer. */
import { LlmClient, type LlmClientOptions } from "../../lib/llm/client";
import type { RateLimiter } from "../../lib/llm/limits/limiter";
import { MemoryRateLimiter } from "../../lib/llm/limits/memory";
import { DEFAULT_PRICING } from "../../lib/llm/pricing";
import { AnthropicProvider } from "../../lib/llm/providers/anthropic";
import { LocalProvider } from "../../lib/llm/providers/local";
import { OpenAiProvider } from "../../lib/llm/providers/openai";
import { DEFAULT_MODEL_MAP, DEFAULT_ROLES } from "../../lib/llm/routing";
import type { FakeLlmServer } from "./fake-llm-server";
import { ManualClock } from "./manual-clock";

export const OPENAI_KEY = "sk-test-openai-0123456789abcdef";
export const ANTHROPIC_KEY = "sk-ant-test-0123456789abcdef";

export function fakeProviders(server: FakeLlmServer, timeout = 5000) {
	return {
		openai: new OpenAiProvider({ apiKey: OPENAI_KEY, baseURL: server.baseURL("openai"), timeout }),
		anthropic: new AnthropicProvider({ apiKey: ANTHROPIC_KEY, baseURL: server.baseURL("anthropic"), timeout }),
		local: new LocalProvider()
	};
}

export function fakeClient(
	server: FakeLlmServer,
	overrides: Partial<LlmClientOptions> & { timeout?: number; limiter?: RateLimiter } = {}
): { client: LlmClient; clock: ManualClock } {
	const clock = overrides.clock instanceof ManualClock ? overrides.clock : new ManualClock();
	const client = new LlmClient({
		providers: fakeProviders(server, overrides.timeout),
		routing: {
			defaultProvider: "openai",
			defaultModel: "large",
			order: ["openai", "anthropic"],
			available: ["local", "openai", "anthropic"],
			modelMap: DEFAULT_MODEL_MAP,
			roles: DEFAULT_ROLES
		},
		retry: { maxAttempts: 3, minDelay: 100, maxDelay: 5000, multiplier: 2 },
		breaker: { failureThreshold: 5, resetTimeout: 30_000 },
		pricing: DEFAULT_PRICING,
		limiter: new MemoryRateLimiter({}, clock),
		defaultMaxTokens: 256,
		defaultBudget: { max_tokens: 32000, max_cost_usd: 1 },
		clock,
		...overrides
	});
	return { client, clock };
}
