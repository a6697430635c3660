import { createHash } from "node:crypto";

/**
 * Headers every HTML page is sent with: a Content-Security-Policy that lets the page run
 * its own scripts only (files from this origin, and its inline scripts by their SHA-256,
 * computed from the page itself), load nothing from elsewhere, and never be framed; plus
 * X-Frame-Options for browsers that predate frame-ancestors. Inline styles stay allowed:
 * a style cannot run code.
 */
export function pageSecurityHeaders(html: string): Record<string, string> {
	let headers = cache.get(html);
	if (!headers) {
		const hashes = [...html.matchAll(INLINE_SCRIPT)].map(m => `'sha256-${createHash("sha256").update(m[1]).digest("base64")}'`);
		const csp = [
			"default-src 'self'",
			`script-src 'self'${hashes.length ? ` ${hashes.join(" ")}` : ""}`,
			"style-src 'self' 'unsafe-inline'",
			"img-src 'self' data:",
			"font-src 'self' data:",
			// Same-origin WebSocket and socket.io; ReDoc's search runs in a worker made from a blob.
			"connect-src 'self' ws: wss:",
			"worker-src 'self' blob:",
			"object-src 'none'",
			"base-uri 'none'",
			"form-action 'none'",
			"frame-ancestors 'none'"
		].join("; ");
		headers = { "Content-Security-Policy": csp, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" };
		if (cache.size > 100) cache.clear();
		cache.set(html, headers);
	}
	return headers;
}

/** `<script>` elements without a `src`: the inline code the policy admits by hash. */
const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

// Pages are few and fixed: their headers are computed once each.
const cache = new Map<string, Record<string, string>>();
