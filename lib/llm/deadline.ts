/**
 * The time limit of one attempt, streaming included, as an AbortSignal for the SDK.
 * We keep our own timer because an abort we caused is a timeout without doubt, while
 * an SDK's own timeout error can arrive as a plain connection error in some runtimes.
 */
export class Deadline {
	private readonly controller = new AbortController();
	private readonly timer: NodeJS.Timeout;
	expired = false;

	constructor(ms: number, outer?: AbortSignal) {
		this.timer = setTimeout(() => {
			this.expired = true;
			this.controller.abort(new Error(`timed out after ${ms} ms`));
		}, ms);
		if (outer) outer.addEventListener("abort", () => this.controller.abort(outer.reason), { once: true, signal: this.controller.signal });
	}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	clear(): void {
		clearTimeout(this.timer);
	}
}

// The SDK's own timeout only backs ours up.
export const SDK_TIMEOUT_MARGIN_MS = 1000;
