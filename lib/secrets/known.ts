/**
 * Secret values this process has decrypted, so that whatever it writes (step outputs and
 * errors, agent journals, LLM transcripts, log lines) can be masked. Bounded: the oldest
 * values are forgotten first (a run's values are registered again when its step runs).
 */

/** What a masked value reads as. */
export const MASK = "***";

/** Values shorter than this are not masked: masking "a" would garble every text. */
export const MIN_MASKED_LENGTH = 4;

/** Most values remembered at once for masking logs. */
const MAX_KNOWN = 10_000;

const known = new Map<string, true>();

/** Remembers values for masking (the most recent MAX_KNOWN). */
export function rememberSecretValues(values: Iterable<string>): void {
	for (const value of values) {
		if (value.length < MIN_MASKED_LENGTH) continue;
		known.delete(value);
		known.set(value, true);
		if (known.size > MAX_KNOWN) known.delete(known.keys().next().value as string);
	}
}

export const knownSecretCount = (): number => known.size;

/** `text` with every occurrence of each value replaced by MASK; longest values first, so one containing another is masked whole. */
export function maskText(text: string, values: Iterable<string> = known.keys()): string {
	let out = text;
	const sorted = [...values].filter(v => v.length >= MIN_MASKED_LENGTH).sort((a, b) => b.length - a.length);
	for (const value of sorted) if (out.includes(value)) out = out.split(value).join(MASK);
	return out;
}

/** A copy of `value` with each string (and object key) masked; other values as they are. */
export function maskDeep<T>(value: T, values: readonly string[]): T {
	if (!values.some(v => v.length >= MIN_MASKED_LENGTH)) return value;
	const walk = (v: unknown): unknown => {
		if (typeof v === "string") return maskText(v, values);
		if (Array.isArray(v)) return v.map(walk);
		if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
			const out: Record<string, unknown> = {};
			for (const [k, inner] of Object.entries(v)) out[maskText(k, values)] = walk(inner);
			return out;
		}
		return v;
	};
	return walk(value) as T;
}

/** Whether any remembered value occurs in `text` (log lines skip the masking when none does). */
export function hasKnownSecret(text: string): boolean {
	if (known.size === 0) return false;
	for (const value of known.keys()) if (text.includes(value)) return true;
	return false;
}
