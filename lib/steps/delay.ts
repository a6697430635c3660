import { LIMITS } from "../dsl/model";
import { formatDuration, parseDuration } from "../duration";
import { StepFailure } from "./failure";
import { duration, durationProblem } from "./schema";
import type { StepTypeDefinition } from "./types";

/** `{duration}`: "500ms", "30s", "5m", "1h", "2d" or seconds. A durable wait: it survives a restart of the node that started it. */
export const delay: StepTypeDefinition = {
	type: "delay",
	description: "Waits for a duration.",
	paramsSchema: {
		type: "object",
		required: ["duration"],
		additionalProperties: false,
		properties: { duration }
	},
	check(params, context) {
		const problem = durationProblem(params.duration, LIMITS.maxDelayMs);
		return problem ? [{ path: `${context.path}.duration`, message: problem }] : [];
	}
};

delay.execute = async params => {
	const ms = parseDuration(params.duration);
	if (ms === null) throw new StepFailure(`duration ${JSON.stringify(params.duration).slice(0, 80)} is not a duration`, "invalid_params", true);
	if (ms > LIMITS.maxDelayMs) throw new StepFailure(`duration must be at most ${formatDuration(LIMITS.maxDelayMs)}`, "invalid_params", true);
	// A durable timer: the step waits in the ledger, not in memory, and holds no worker.
	return { kind: "wait", waitingFor: "timer", dueAt: Date.now() + ms };
};
