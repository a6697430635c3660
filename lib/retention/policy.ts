import { parseDuration } from "../duration";

/** Words that keep runs forever (a retention of 0). */
const FOREVER = new Set(["off", "forever", "never", "0"]);

/** The longest retention written (ms): ten years. */
export const MAX_RETENTION_MS = 3650 * 86_400_000;

/**
 * How long ended runs are kept (ms), 0 meaning forever: a duration ("30d", "12h", "1m"), or
 * off, forever, never, 0. Null when the text is neither.
 */
export function parseRetention(text: string): number | null {
	const v = text.trim().toLowerCase();
	if (FOREVER.has(v)) return 0;
	const ms = parseDuration(v);
	if (ms === null || ms <= 0 || ms > MAX_RETENTION_MS) return null;
	return ms;
}

export const RETENTION_HINT = 'a duration such as "30d", "12h" or "10m", or "forever" (at most 3650d)';
