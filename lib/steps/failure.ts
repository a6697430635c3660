/** A failed attempt with a stable type; `final` failures use no retries (bad input, a rejection). */
export class StepFailure extends Error {
	constructor(
		message: string,
		readonly type: string,
		readonly final = false
	) {
		super(message);
		this.name = "StepFailure";
	}
}
