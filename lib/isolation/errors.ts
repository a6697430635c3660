/**
 * What a limit stopped, with the stable `type` a step's error carries (`error.type`):
 * the engine records it as the attempt's failure, the API names it. `final` failures
 * skip the step's remaining retries: the same input would hit the same limit again.
 */
export type LimitType =
	| "timeout"
	| "memory_limit"
	| "output_too_large"
	| "input_too_large"
	| "params_too_large"
	| "too_many_items"
	| "isolation_error";

export class LimitExceeded extends Error {
	override name = "LimitExceeded";

	constructor(
		message: string,
		readonly type: LimitType,
		readonly final = true
	) {
		super(message);
	}
}

/** A task's failure that is the user's (a JSONata error, a condition that does not evaluate), carried back from the worker. */
export class UserCodeError extends Error {
	override name = "UserCodeError";
	readonly final = true;

	constructor(
		message: string,
		readonly type: string
	) {
		super(message);
	}
}
