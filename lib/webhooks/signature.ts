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
	const expected = Buffer.from(signWebhook(secret, ts, body));
	const given = Buffer.from(headers.signature);
	return expected.length === given.length && timingSafeEqual(expected, given);
}
