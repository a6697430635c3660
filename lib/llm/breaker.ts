/**
 * A circuit breaker per provider: after `failureThreshold` failures in a row it opens
 * and calls skip the provider; after `resetTimeout` it lets one trial call through
 * (half-open), which closes it on success or opens it again on failure.
 */
import type { Clock } from "./clock";

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
	failureThreshold: number;
	/** Milliseconds an open breaker waits before letting a trial call through. */
	resetTimeout: number;
}

export class CircuitBreaker {
	private failures = 0;
	private openedAt = 0;
	private opened = false;
	private trialInFlight = false;

	constructor(
		private readonly options: BreakerOptions,
		private readonly clock: Pick<Clock, "now">
	) {}

	get state(): BreakerState {
		if (!this.opened) return "closed";
		return this.clock.now() - this.openedAt >= this.options.resetTimeout ? "half-open" : "open";
	}

	/** Whether a call may go through now; in half-open, only one trial at a time. */
	tryAcquire(): boolean {
		const state = this.state;
		if (state === "closed") return true;
		if (state === "open" || this.trialInFlight) return false;
		this.trialInFlight = true;
		return true;
	}

	recordSuccess(): void {
		this.failures = 0;
		this.opened = false;
		this.trialInFlight = false;
	}

	recordFailure(): void {
		this.failures += 1;
		const trialFailed = this.trialInFlight;
		this.trialInFlight = false;
		if (trialFailed || this.failures >= this.options.failureThreshold) {
			this.opened = true;
			this.openedAt = this.clock.now();
		}
	}

	/** A call that ended without telling anything about the provider's health (cancelled, refused by budget). */
	recordNeutral(): void {
		this.trialInFlight = false;
	}
}
