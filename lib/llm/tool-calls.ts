/** What the providers share about tool calls: arguments as the model wrote them, read once. */

/** A tool call's arguments from the JSON text a model wrote: the parsed value, or the text itself when it is not JSON (the tool runner reports that to the model). */
export function parseToolArguments(text: string): unknown {
	if (!text.trim()) return {};
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

// Anthropic takes tool ids of letters, digits, _ and - only; another provider's ids are mapped onto that.
const ANTHROPIC_ID = /[^A-Za-z0-9_-]/g;

/** A tool call id another provider wrote, in a form Anthropic takes (the same id always maps to the same form). */
export function anthropicToolId(id: string): string {
	const clean = id.replace(ANTHROPIC_ID, "_");
	return clean || "call";
}
