import { EVENT_NAME_PATTERN } from "../dsl/model";
import { StepFailure } from "./failure";
import type { StepTypeDefinition } from "./types";

/**
 * `{event, match?, since?, on_timeout?}`: waits, holding no worker, for an event of that
 * name (`POST /events`, an inbound webhook, or a signal to this run) that meets `match`,
 * a condition over `event`, `inputs` and `steps`. The step's `timeout` bounds the wait
 * (none: until the event comes or the run is cancelled). Its output is the event.
 */
export const waitForEvent: StepTypeDefinition = {
	type: "wait_for_event",
	description: "Waits for an event (or a signal to this run) that matches, and outputs it.",
	paramsSchema: {
		type: "object",
		required: ["event"],
		additionalProperties: false,
		properties: {
			event: { type: "string", minLength: 1, maxLength: 400, description: "an event name such as order.paid (templates allowed)" },
			match: { type: "string", minLength: 1, maxLength: 4000, description: "a condition over event, inputs and steps" },
			since: { type: "string", enum: ["wait_start", "run_start"], description: "wait_start or run_start" },
			on_timeout: { type: "string", enum: ["fail", "continue"], description: "fail or continue" }
		}
	},
	conditionParams: ["match"]
};

waitForEvent.execute = async (params, ctx) => {
	const event = String(params.event);
	if (!EVENT_NAME_PATTERN.test(event)) throw new StepFailure(`event ${JSON.stringify(event.slice(0, 200))} is not an event name (letters, digits, and . _ : / -)`, "invalid_params", true);
	const timeout = ctx.step.timeout;
	return {
		kind: "wait",
		waitingFor: "event",
		// The step's timeout bounds the wait; the sweeper fires it if no event came.
		dueAt: timeout === null ? null : Date.now() + timeout,
		event: {
			event,
			match: typeof params.match === "string" ? params.match : null,
			since: params.since === "run_start" ? "run_start" : "wait_start",
			onTimeout: params.on_timeout === "continue" ? "continue" : "fail"
		}
	};
};
