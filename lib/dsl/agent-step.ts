/**
 * A summary-style step (`{step_id, name, agent_capability, inputs}` without a `type`) is
 * an agent step: it runs as an `ai_generate` call whose prompt says what the step is,
 * which capability it needs and what its inputs are. Inputs keep their templates, so the
 * prompt carries the resolved values at run time (non-string values as JSON).
 */
export function agentPrompt(name: string, capability: string, inputs: Record<string, unknown>): string {
	const lines = [`Task: ${name}`, `Act as an agent with the capability "${capability}".`];
	const entries = Object.entries(inputs);
	if (entries.length) {
		lines.push("", "Inputs:");
		for (const [key, value] of entries) lines.push(`- ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
	}
	lines.push("", "Respond with the result of the task only.");
	return lines.join("\n");
}
