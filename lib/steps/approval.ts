import type { StepTypeDefinition } from "./types";

/** `{message?}`. How long it waits is the step's `timeout` (none: until approved, rejected or cancelled). */
export const approval: StepTypeDefinition = {
	type: "approval",
	description: "Waits for a person to approve or reject.",
	paramsSchema: {
		type: "object",
		additionalProperties: false,
		properties: { message: { type: "string" } }
	}
};
