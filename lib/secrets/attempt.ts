/**
 * Secrets in one step attempt: the values its params read are loaded just before it runs
 * (never stored resolved), and everything the attempt hands back to be written (its output,
 * its error, an agent's journal and thread, a child run's inputs) has them masked.
 */
import type { AgentServices } from "../agents/services";
import { StepFailure, type StepOutcome, type StepServices } from "../steps";
import { SecretsUnavailable } from "./cipher";
import { maskDeep, maskText, rememberSecretValues } from "./known";

/** Where an attempt gets the owner's secrets: `names` → values; a name that does not exist is left out. */
export type SecretSource = (ownerId: string, names: readonly string[]) => Promise<Map<string, string>>;

/**
 * The values of `names` for the run's owner. A missing secret, or an installation that
 * cannot decrypt, is the step's final failure naming it; any other error (the database away)
 * fails the attempt like an error of its work, which its retries cover.
 */
export async function secretsForAttempt(source: SecretSource | undefined, stepId: string, ownerId: string, names: readonly string[]): Promise<Record<string, string>> {
	if (!names.length) return {};
	if (!source) throw new StepFailure(`Step ${stepId} reads secrets, which this node cannot load`, "secrets_unavailable", true);
	let values: Map<string, string>;
	try {
		values = await source(ownerId, names);
	} catch (err) {
		if (err instanceof SecretsUnavailable) throw new StepFailure(`Step ${stepId}: ${err.message}`, "secrets_unavailable", true);
		throw err;
	}
	const missing = names.filter(n => !values.has(n));
	if (missing.length) {
		throw new StepFailure(
			`Step ${stepId} reads secret${missing.length > 1 ? "s" : ""} ${missing.join(", ")}, which ${missing.length > 1 ? "do" : "does"} not exist: set ${missing.length > 1 ? "them" : "it"} with PUT /api/v3/secrets/{name}`,
			"secret_missing",
			true
		);
	}
	// Log lines of this process mask them from now on.
	rememberSecretValues(values.values());
	return Object.fromEntries(values);
}

/** An outcome with the values masked in its output. */
export function maskOutcome(outcome: StepOutcome, values: readonly string[]): StepOutcome {
	if (!values.length || outcome.kind !== "completed") return outcome;
	return { ...outcome, output: maskDeep(outcome.output, values) };
}

/** A failure whose message has the values masked. */
export function maskFailure(failure: StepFailure, values: readonly string[]): StepFailure {
	if (!values.length) return failure;
	const message = maskText(failure.message, values);
	if (message === failure.message) return failure;
	return new StepFailure(message, failure.type, failure.final, failure.usage);
}

/** The step's services with what they write (child inputs, an agent's journal, turns and thread) masked. */
export function maskingServices(services: StepServices, values: readonly string[]): StepServices {
	if (!values.length) return services;
	const mask = <T>(v: T): T => maskDeep(v, values);
	const masked: StepServices = { ...services, startSubWorkflow: (request, key) => services.startSubWorkflow({ ...request, inputs: mask(request.inputs) }, key) };
	const agent = services.agent;
	if (agent) {
		const wrapped: AgentServices = {
			...agent,
			append: (entry, events) => agent.append(mask(entry), mask(events)),
			turn: (request, signal, budget, journal) =>
				agent.turn(request, signal, budget, result => {
					const { entry, events } = journal(result);
					return { entry: mask(entry), events: mask(events) };
				}),
			startWorkflow: (request, key) => agent.startWorkflow({ ...request, inputs: mask(request.inputs) }, key),
			saveThread: (thread, messages) => agent.saveThread(thread, mask(messages))
		};
		masked.agent = wrapped;
	}
	return masked;
}
