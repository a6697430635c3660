import { ConfigError, loadConfig } from "../../../lib/config";
import { llmSettingsFrom } from "../../../lib/llm/settings";

describe("LLM settings", () => {
	it("answers locally by default, with the original budget limits", () => {
		const s = llmSettingsFrom(loadConfig({}));
		expect(s.routing.defaultProvider).toBe("local");
		expect(s.routing.available).toEqual(["local"]);
		expect(s.openai).toBeUndefined();
		expect(s.defaultBudget).toEqual({ max_tokens: 32000, max_cost_usd: 1 });
		expect(s.retry).toEqual({ maxAttempts: 3, minDelay: 1000, maxDelay: 30000, multiplier: 2 });
	});

	it("picks the first provider of the order that has a key", () => {
		expect(llmSettingsFrom(loadConfig({ LLM_ANTHROPIC_API_KEY: "k" })).routing.defaultProvider).toBe("anthropic");
		const both = llmSettingsFrom(loadConfig({ LLM_ANTHROPIC_API_KEY: "k", LLM_OPENAI_API_KEY: "k", LLM_PROVIDER_ORDER: "anthropic,openai" }));
		expect(both.routing.defaultProvider).toBe("anthropic");
		expect(both.routing.available).toEqual(["local", "openai", "anthropic"]);
	});

	it("reads limits per provider", () => {
		const s = llmSettingsFrom(loadConfig({ LLM_OPENAI_MAX_IN_FLIGHT: "100", LLM_OPENAI_REQUESTS_PER_MINUTE: "500" }));
		expect(s.limits.openai).toEqual({ requestsPerMinute: 500, tokensPerMinute: 0, maxInFlight: 100 });
	});

	it("refuses a default provider without its key, an unknown provider and bad JSON, naming each variable", () => {
		let problems: string[] = [];
		try {
			loadConfig({ LLM_PROVIDER_ORDER: "openai,mistral", LLM_ROLES: "{", LLM_RETRY_MAX_ATTEMPTS: "0" });
		} catch (err) {
			problems = (err as ConfigError).problems;
		}
		expect(problems).toEqual([
			expect.stringContaining("LLM_PROVIDER_ORDER must be a comma list of openai, anthropic, local (unknown: mistral)"),
			expect.stringContaining("LLM_RETRY_MAX_ATTEMPTS must be an integer between 1 and 20"),
			expect.stringContaining("LLM_ROLES must be JSON")
		]);
		expect(() => loadConfig({ LLM_DEFAULT_PROVIDER: "openai" })).toThrow("LLM_OPENAI_API_KEY must be set when LLM_DEFAULT_PROVIDER is openai");
	});

	it("never shows an API key in a configuration error", () => {
		try {
			loadConfig({ LLM_OPENAI_API_KEY: "sk-secret-value-123456", LLM_OPENAI_BASE_URL: "ftp://x" });
			throw new Error("expected a ConfigError");
		} catch (err) {
			expect((err as Error).message).toContain("LLM_OPENAI_BASE_URL");
			expect((err as Error).message).not.toContain("sk-secret-value-123456");
		}
	});
});
