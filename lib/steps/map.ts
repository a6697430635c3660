import { LIMITS } from "../dsl/model";
import { duration, templated } from "./schema";
import type { StepTypeDefinition } from "./types";

/**
 * `{items, step: {type, params, name?, timeout?, retry?, retry_delay?}, concurrency?}`:
 * runs the step template once per item of `items` (a list, or a template giving one),
 * at most `concurrency` at a time (default 1); inside the template `${{ item }}` and
 * `${{ index }}` are the current item and its position. The template's timeout, retry
 * and retry_delay are written as in a step and apply to each item. Maps do not nest.
 */
export const map: StepTypeDefinition = {
	type: "map",
	description: "Runs a step template once per item of a list; its output is the list of the items' outputs, in order.",
	paramsSchema: {
		type: "object",
		required: ["items", "step"],
		additionalProperties: false,
		properties: {
			items: templated({ type: "array" }, "a list"),
			step: {
				type: "object",
				required: ["type"],
				additionalProperties: false,
				properties: {
					type: { type: "string" },
					name: { type: "string" },
					params: { type: "object" },
					timeout: duration,
					retry: { type: "integer", minimum: 0, maximum: LIMITS.maxRetries },
					retry_delay: duration
				}
			},
			concurrency: templated({ type: "integer", minimum: 1, maximum: 100 }, "a whole number from 1 to 100")
		}
	},
	itemStepParam: "step"
};
