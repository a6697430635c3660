const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration: "500ms", "30s", "5m", "1h", "2d", or a plain number of seconds
 * (as a number or a numeric string). Returns milliseconds, or null when it is not one.
 */
export function parseDuration(value: unknown): number | null {
	if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
	if (typeof value !== "string") return null;
	const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
	if (!m) return null;
	return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? "s"]);
}

/** Formats milliseconds as the shortest exact duration string ("90s", "5m", "250ms"). */
export function formatDuration(ms: number): string {
	for (const unit of ["d", "h", "m", "s"] as const) {
		if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
	}
	return `${ms}ms`;
}
