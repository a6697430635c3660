import { hasKnownSecret, maskText } from "./secrets/known";

/**
 * Keeps secrets out of logs: values under secret-looking keys are replaced, and tokens
 * inside free text (bearer headers, JWTs, `?token=` query strings, API keys) are masked.
 */
const SECRET_KEY =
	/^(?:.*[_-])?(pass|passwd|password|secret|token|authorization|cookie|api[_-]?key|(?:secret|private|signing)[_-]?key|credentials?|(?:password|key)[_-]?hash)$/i;

const TEXT_PATTERNS: [RegExp, string][] = [
	[/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [REDACTED]"],
	[/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "[REDACTED_JWT]"],
	[/([?&](?:token|access_token|refresh_token|api_key|apikey|key|password)=)[^&\s#]+/gi, "$1[REDACTED]"],
	[/\bcos_[A-Za-z0-9]{6,}_[A-Za-z0-9_-]{10,}/g, "[REDACTED_API_KEY]"],
	[/\b(sk-(?:ant-)?[A-Za-z0-9_-]{8,})/g, "[REDACTED_API_KEY]"],
	[/(\w+:\/\/[^:/\s@]+:)[^@\s/]+@/g, "$1[REDACTED]@"]
];

export const REDACTED = "[REDACTED]";

/** Cheap tests that rule out every pattern above, so ordinary log lines skip the regexes. */
const MAYBE_SECRET = /bearer|basic|eyJ|[?&][A-Za-z_]+=|:\/\/|cos_|sk-/i;

export function redactText(text: string): string {
	// Values of user secrets this process has used (lib/secrets/known.ts), wherever they appear.
	const unmasked = hasKnownSecret(text) ? maskText(text) : text;
	if (!MAYBE_SECRET.test(unmasked)) return unmasked;
	let out = unmasked;
	for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
	return out;
}

/**
 * Masks the user-info (user and password, or a bare token) of every URL-like word in `text`,
 * also of malformed ones (`nats//u:p@h`, `u:p@h`, a password with an unencoded `@`), then the
 * tokens `redactText` knows. Used for configuration values, which are echoed when they are wrong.
 */
export function redactUrlCredentials(text: string): string {
	return redactText(text.replace(/((?:^|[\s,;"'(=])(?:[A-Za-z][A-Za-z0-9+.-]*:?(?=\/))?\/{0,2})[^\s,;"']*@/g, `$1${REDACTED}@`));
}

/** A deep copy of `value` with secrets masked; cycles and depth are bounded. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
	if (typeof value === "string") return redactText(value);
	if (value === null || typeof value !== "object") return value;
	if (depth > 8) return "[Truncated]";
	if (seen.has(value)) return "[Circular]";
	seen.add(value);
	if (value instanceof Error) {
		const out: Record<string, unknown> = { type: value.name, message: redactText(value.message) };
		if (value.stack) out.stack = redactText(value.stack);
		for (const [k, v] of Object.entries(value)) if (!(k in out)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1, seen);
		return out;
	}
	if (Array.isArray(value)) return value.map(v => redact(v, depth + 1, seen));
	if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) {
		out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== "object" ? REDACTED : redact(v, depth + 1, seen);
	}
	return out;
}
