import type { StepUsage } from "./types";

/**
 * A failed attempt with a stable type; `final` failures use no retries (bad input, a
 * rejection). `usage` is what the attempt spent before it failed (an LLM answer that
 * was not the JSON asked for): it is recorded on the step like a successful attempt's.
 */
export class StepFailure extends Error {
	constructor(
		message: string,
		readonly type: string,
		readonly final = false,
		readonly usage: StepUsage | null = null
	) {
		super(message);
		this.name = "StepFailure";
	}
}
