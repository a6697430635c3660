/**
 * A connection's request budget: a token bucket holding `burst` requests, refilled at
 * `perSecond`. A request over it is refused; a connection whose refusals pile past
 * `closeAfter` in a row (it keeps sending regardless) is to be closed. The clock is
 * injected, so the tests drive it.
 */
export class RequestBudget {
	private tokens: number;
	private last: number;
	private refusedInARow = 0;

	constructor(
		private readonly perSecond: number,
		private readonly burst: number,
		private readonly closeAfter: number,
		private readonly now: () => number = Date.now
	) {
		this.tokens = burst;
		this.last = now();
	}

	/** `ok`: take the request; `refuse`: answer rate_limited (or stay silent when `quiet`); `close`: end the connection. */
	take(): { verdict: "ok" } | { verdict: "refuse"; quiet: boolean } | { verdict: "close" } {
		const now = this.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
		this.last = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			this.refusedInARow = 0;
			return { verdict: "ok" };
		}
		if (++this.refusedInARow > this.closeAfter) return { verdict: "close" };
		// One rate_limited answer per burst of refusals: answering each one would cost what the limit saves.
		return { verdict: "refuse", quiet: this.refusedInARow > 1 };
	}
}
