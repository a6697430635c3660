const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration: "500ms", "30s", "5m", "1h", "2d", or a plain number of seconds
 * (as a number or a numeric string). Returns milliseconds, or null when it is not one.
 */
export function parseDuration(value: unknown): number | null {
	if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
	// Real durations are short; a long string (a template may resolve to anything) is not one, whatever it holds.
	if (typeof value !== "string" || value.length > MAX_DURATION_TEXT) return null;
	const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim());
	if (!m) return null;
	const ms = Math.round(Number(m[1]) * UNIT_MS[m[2] ?? "s"]);
	return Number.isSafeInteger(ms) ? ms : null;
}

/** Characters a duration may take ("86400000ms" is 10). */
const MAX_DURATION_TEXT = 64;

/**
 * The longest a Node timer can wait (ms): a longer setTimeout fires after 1 ms. Waits
 * longer than this are kept as due times in the ledger (the sweeper fires them) or
 * re-armed in pieces (`deadline`), never handed to one timer.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A signal for work that must end by a deadline, and the means to let go of it once the work ended. */
export interface Deadline {
	/** Aborts when the parent signal does (with its reason) or when `ms` have passed (a `TimeoutError`). */
	signal: AbortSignal;
	/** Stops the timer and leaves the parent: call it when the work ended, whichever way. */
	clear(): void;
}

/**
 * A deadline of `ms` (however long: a wait past MAX_TIMER_MS is re-armed in pieces) under
 * `parent`. Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: Node keeps such a
 * pair strongly (its gcPersistentSignals) until the timeout fires, so every attempt of a
 * step that ends in milliseconds would hold memory for its whole timeout (5 minutes by
 * default, days for some). `clear()` lets go of everything as soon as the work ends.
 */
export function deadline(ms: number, parent?: AbortSignal): Deadline {
	const controller = new AbortController();
	const until = Date.now() + ms;
	let timer: NodeJS.Timeout | undefined;
	const onParentAbort = () => {
		clear();
		controller.abort(parent!.reason);
	};
	const clear = () => {
		clearTimeout(timer);
		parent?.removeEventListener("abort", onParentAbort);
	};
	const arm = () => {
		const left = until - Date.now();
		if (left <= 0) {
			clear();
			return controller.abort(new DOMException("The operation timed out.", "TimeoutError"));
		}
		timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
		timer.unref();
	};
	if (parent?.aborted) controller.abort(parent.reason);
	else {
		parent?.addEventListener("abort", onParentAbort, { once: true });
		arm();
	}
	return { signal: controller.signal, clear };
}

/** Formats milliseconds as the shortest exact duration string ("90s", "5m", "250ms"). */
export function formatDuration(ms: number): string {
	for (const unit of ["d", "h", "m", "s"] as const) {
		if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
	}
	return `${ms}ms`;
}
