/**
 * Limits kept in this process: a FIFO queue for calls in flight, and sliding one-minute
 * windows of requests and tokens checked one caller at a time, so earlier callers go first.
 */
import { systemClock, type Clock } from "../clock";
import { Mutex } from "../../mutex";
import type { ProviderName } from "../types";
import { isUnlimited, MINUTE_MS, NO_OP_PERMIT, type LimitsByProvider, type Permit, type ProviderLimits, type RateLimiter } from "./limiter";

interface WindowEntry {
	at: number;
	tokens: number;
}

class ProviderGate {
	private inFlight = 0;
	private readonly waitingForSlot: (() => void)[] = [];
	private readonly turn = new Mutex();
	private entries: WindowEntry[] = [];

	constructor(
		private readonly limits: ProviderLimits,
		private readonly clock: Clock,
		private readonly windowMs: number
	) {}

	async acquire(tokens: number): Promise<Permit> {
		await this.takeSlot();
		let entry: WindowEntry;
		try {
			// Only the in-flight limit: no window to wait for or to keep (filtering a minute of entries per call cost O(calls)).
			entry = this.windowed ? await this.turn.run(() => this.takeWindow(tokens)) : { at: 0, tokens };
		} catch (err) {
			this.freeSlot();
			throw err;
		}
		let released = false;
		return {
			release: async actualTokens => {
				if (released) return;
				released = true;
				if (actualTokens !== undefined) entry.tokens = actualTokens;
				// The slot went to a waiting call: the releasing one continues (its bookkeeping) only after
				// the I/O already pending is handled, so the answers that came in together free their slots
				// and the waiting calls' requests go out first, not after every finished call's transactions.
				if (this.freeSlot()) await new Promise(resolve => setImmediate(resolve));
			}
		};
	}

	private takeSlot(): Promise<void> {
		const max = this.limits.maxInFlight;
		if (max <= 0 || (this.inFlight < max && this.waitingForSlot.length === 0)) {
			this.inFlight += 1;
			return Promise.resolve();
		}
		return new Promise(resolve => this.waitingForSlot.push(resolve));
	}

	/** Frees a slot; true when it passed to a waiting caller. */
	private freeSlot(): boolean {
		const next = this.waitingForSlot.shift();
		// The slot passes straight to the next caller in line; the count stays the same.
		if (next) next();
		else this.inFlight -= 1;
		return next !== undefined;
	}

	private get windowed(): boolean {
		return this.limits.requestsPerMinute > 0 || this.limits.tokensPerMinute > 0;
	}

	private async takeWindow(tokens: number): Promise<WindowEntry> {
		for (;;) {
			const wait = this.waitFor(tokens);
			if (wait <= 0) break;
			await this.clock.sleep(wait);
		}
		const entry = { at: this.clock.now(), tokens };
		this.entries.push(entry);
		return entry;
	}

	/** Milliseconds until a call of `tokens` fits both windows; 0 when it fits now. */
	private waitFor(tokens: number): number {
		const now = this.clock.now();
		this.entries = this.entries.filter(e => e.at > now - this.windowMs);
		let wait = 0;
		const { requestsPerMinute: rpm, tokensPerMinute: tpm } = this.limits;
		if (rpm > 0 && this.entries.length >= rpm) wait = this.entries[this.entries.length - rpm].at + this.windowMs - now;
		if (tpm > 0) {
			let used = this.entries.reduce((sum, e) => sum + e.tokens, 0);
			// A call larger than the whole budget still runs once the window is empty.
			for (const e of this.entries) {
				if (used === 0 || used + tokens <= tpm) break;
				used -= e.tokens;
				wait = Math.max(wait, e.at + this.windowMs - now);
			}
		}
		return wait;
	}
}

export class MemoryRateLimiter implements RateLimiter {
	private readonly gates = new Map<ProviderName, ProviderGate>();

	constructor(
		private readonly limits: LimitsByProvider,
		private readonly clock: Clock = systemClock,
		private readonly windowMs = MINUTE_MS
	) {}

	async acquire(provider: ProviderName, tokens: number): Promise<Permit> {
		const limits = this.limits[provider];
		if (!limits || isUnlimited(limits)) return NO_OP_PERMIT;
		let gate = this.gates.get(provider);
		if (!gate) {
			gate = new ProviderGate(limits, this.clock, this.windowMs);
			this.gates.set(provider, gate);
		}
		return gate.acquire(tokens);
	}
}
