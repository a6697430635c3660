import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Headers of every delivery. */
export const WEBHOOK_HEADERS = {
	signature: "x-cognitionos-signature",
	timestamp: "x-cognitionos-timestamp",
	event: "x-cognitionos-event",
	delivery: "x-cognitionos-delivery",
	webhook: "x-cognitionos-webhook"
} as const;

/** How old a signed timestamp a receiver should still accept (seconds); older ones may be replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function newWebhookSecret(): string {
	return `whsec_${randomBytes(24).toString("base64url")}`;
}

/**
 * `sha256=<hex>`: HMAC-SHA256 with the webhook's secret over `<timestamp>.<body>`, where
 * the timestamp (Unix seconds) is the X-CognitionOS-Timestamp header: the signature
 * covers the exact body bytes and the time, so a captured delivery cannot be replayed later.
 */
export function signWebhook(secret: string, timestamp: number, body: string | Buffer): string {
	return `sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex")}`;
}

/** What a receiver does: the signature matches and the timestamp is recent. */
export function verifyWebhook(
	secret: string,
	headers: { signature: string | undefined; timestamp: string | undefined },
	body: string | Buffer,
	nowSeconds = Math.floor(Date.now() / 1000),
	toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS
): boolean {
	const ts = Number(headers.timestamp);
	if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
	return safeEqual(signWebhook(secret, ts, body), headers.signature);
}

/** Compares a computed signature with a given one in constant time (a timing side channel would leak the expected value). */
export function safeEqual(expected: string | Buffer, given: string | Buffer): boolean {
	const a = Buffer.isBuffer(expected) ? expected : Buffer.from(expected);
	const b = Buffer.isBuffer(given) ? given : Buffer.from(given);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** HMAC-SHA256 of `parts` with `key`: the primitive every signed-webhook scheme shares. */
export function hmacSha256(key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
	const h = createHmac("sha256", key);
	for (const part of parts) h.update(part);
	return h.digest();
}
