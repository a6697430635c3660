/** The providers a configuration enables, one backend file each, like @moleculer/channels adapters. */
import type { LlmSettings } from "../settings";
import type { LlmProvider, ProviderName } from "../types";
import { AnthropicProvider } from "./anthropic";
import { LocalProvider } from "./local";
import { OpenAiProvider } from "./openai";

const FACTORIES: Record<ProviderName, (settings: LlmSettings) => LlmProvider | undefined> = {
	openai: s => s.openai && new OpenAiProvider({ ...s.openai, timeout: s.timeout }),
	anthropic: s => s.anthropic && new AnthropicProvider({ ...s.anthropic, timeout: s.timeout }),
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
