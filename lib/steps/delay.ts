import { duration } from "./schema";
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
	}
};
