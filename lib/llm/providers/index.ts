/** The providers a configuration enables, one backend file each, like @moleculer/channels adapters. */
import type { LlmSettings } from "../settings";
import type { LlmProvider, ProviderName } from "../types";
import { LocalProvider } from "./local";

// The vendor SDKs are loaded only when their provider is configured: together they are
// ~500 modules and ~15 MB of a node that runs with `local` alone.
const FACTORIES: Record<ProviderName, (settings: LlmSettings) => LlmProvider | undefined> = {
	openai: s => {
		if (!s.openai) return undefined;
		const { OpenAiProvider } = require("./openai") as typeof import("./openai");
		return new OpenAiProvider({ ...s.openai, timeout: s.timeout });
	},
	anthropic: s => {
		if (!s.anthropic) return undefined;
		const { AnthropicProvider } = require("./anthropic") as typeof import("./anthropic");
		return new AnthropicProvider({ ...s.anthropic, timeout: s.timeout });
	},
	local: () => new LocalProvider()
};

/** Every provider that has what it needs (a key; `local` needs nothing). */
export function createProviders(settings: LlmSettings): Partial<Record<ProviderName, LlmProvider>> {
	const providers: Partial<Record<ProviderName, LlmProvider>> = {};
	for (const [name, create] of Object.entries(FACTORIES) as [ProviderName, (s: LlmSettings) => LlmProvider | undefined][]) {
		const provider = create(settings);
		if (provider) providers[name] = provider;
	}
	return providers;
}
