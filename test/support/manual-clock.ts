import type { Clock } from "../../lib/llm/clock";

/** A clock that never waits: `sleep` moves time forward and records how long was asked. */
export class ManualClock implements Clock {
	readonly sleeps: number[] = [];

	constructor(public time = 1_000_000) {}

	now(): number {
		return this.time;
	}

	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		this.time += ms;
	}

	advance(ms: number): void {
		this.time += ms;
	}
}
