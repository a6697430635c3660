import { DEFAULT_MODEL_MAP, DEFAULT_ROLES, planCall, type RoutingOptions } from "../../../lib/llm/routing";
import { parseModelMap, parseRoles } from "../../../lib/llm/settings";

const options: RoutingOptions = {
	defaultProvider: "openai",
	defaultModel: "large",
	order: ["openai", "anthropic"],
	available: ["local", "openai", "anthropic"],
	modelMap: DEFAULT_MODEL_MAP,
	roles: DEFAULT_ROLES
};
const ask = (extra: object = {}) => ({ messages: [{ role: "user" as const, content: "hi" }], ...extra });

describe("routing", () => {
	it("falls back to the next provider with that provider's model for the same tier", () => {
		expect(planCall(ask(), options).targets).toEqual([
			{ provider: "openai", model: "gpt-5.4" },
			{ provider: "anthropic", model: "claude-sonnet-4-6" }
		]);
		expect(planCall(ask({ model: "small" }), options).targets).toEqual([
			{ provider: "openai", model: "gpt-5.4-mini" },
			{ provider: "anthropic", model: "claude-haiku-4-5" }
		]);
	});

	it("maps a named model to its tier, never sending it to another provider", () => {
		const plan = planCall(ask({ model: "gpt-5.4" }), options);
		expect(plan.targets).toEqual([
			{ provider: "openai", model: "gpt-5.4" },
			{ provider: "anthropic", model: "claude-sonnet-4-6" }
		]);
		expect(planCall(ask({ model: "claude-haiku-4-5" }), options).targets).toEqual([
			{ provider: "anthropic", model: "claude-haiku-4-5" },
			{ provider: "openai", model: "gpt-5.4-mini" }
		]);
	});

	it("sends a model it does not know to the default provider and falls back by the default tier", () => {
		expect(planCall(ask({ model: "llama3.1:8b" }), options).targets).toEqual([
			{ provider: "openai", model: "llama3.1:8b" },
			{ provider: "anthropic", model: "claude-sonnet-4-6" }
		]);
	});

	it("lets an agent role pick tier, temperature and system prompt unless the call names them", () => {
		const plan = planCall(ask({ agent_role: "summarizer" }), options);
		expect(plan.targets[0]).toEqual({ provider: "openai", model: "gpt-5.4-mini" });
		expect(plan.temperature).toBe(0.3);
		expect(plan.system).toBe(DEFAULT_ROLES.summarizer.system);
		const named = planCall(ask({ agent_role: "summarizer", model: "large", temperature: 0.9, system: "Be brief." }), options);
		expect(named.targets[0]).toEqual({ provider: "openai", model: "gpt-5.4" });
		expect(named.temperature).toBe(0.9);
		expect(named.system).toBe("Be brief.");
	});

	it("routes a role to its configured provider", () => {
		const roles = parseRoles('{"critic":{"provider":"anthropic","temperature":0.1}}');
		const plan = planCall(ask({ agent_role: "critic" }), { ...options, roles });
		expect(plan.targets).toEqual([
			{ provider: "anthropic", model: "claude-sonnet-4-6" },
			{ provider: "openai", model: "gpt-5.4" }
		]);
		expect(plan.temperature).toBe(0.1);
		expect(plan.system).toBe(DEFAULT_ROLES.critic.system);
	});

	it("skips providers without a key and answers locally when none has one", () => {
		const local = { ...options, defaultProvider: "local" as const, available: ["local" as const] };
		expect(planCall(ask(), local).targets).toEqual([{ provider: "local", model: "local-echo" }]);
		expect(() => planCall(ask({ provider: "anthropic" }), local)).toThrow("The anthropic provider is not configured (set LLM_ANTHROPIC_API_KEY)");
	});

	it("reads LLM_MODEL_MAP and LLM_ROLES merged over the built-in values, naming what is wrong", () => {
		const map = parseModelMap('{"large":{"anthropic":"claude-opus-4-5"},"tiny":{"openai":"gpt-5-nano"}}');
		expect(map.large).toEqual({ openai: "gpt-5.4", anthropic: "claude-opus-4-5", local: "local-echo" });
		expect(map.tiny).toEqual({ openai: "gpt-5-nano" });
		expect(planCall(ask({ model: "tiny" }), { ...options, modelMap: map }).targets).toEqual([{ provider: "openai", model: "gpt-5-nano" }]);
		expect(() => parseModelMap('{"large":{"mistral":"x"}}')).toThrow('unknown provider "mistral"');
		expect(() => parseRoles('{"poet":{}}')).toThrow('got "poet"');
		expect(() => parseRoles('{"critic":{"temperature":3}}')).toThrow("critic.temperature must be a number from 0 to 2");
		expect(() => parseRoles("{not json")).toThrow("JSON");
	});
});
