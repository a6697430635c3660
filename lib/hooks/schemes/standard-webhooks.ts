import { randomBytes } from "node:crypto";
import { hmacSha256, safeEqual } from "../../webhooks/signature";
import type { HookScheme } from "../scheme";

const PREFIX = "whsec_";

/** The secret's key bytes: base64 after the `whsec_` prefix; null when it is not that. */
function keyOf(secret: string): Buffer | null {
	if (!secret.startsWith(PREFIX)) return null;
	const body = secret.slice(PREFIX.length);
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
	const key = Buffer.from(body, "base64");
	return key.length >= 16 && key.length <= 64 ? key : null;
}

/**
 * Standard Webhooks (standardwebhooks.com, Svix and others): `webhook-id`,
 * `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">` (space-separated while a secret rolls); the key is the
 * base64 after `whsec_`. A timestamp outside the tolerance is a replay; the id is the delivery id.
 */
export const standardWebhooks: HookScheme = {
	name: "standard-webhooks",
	verify(secret, req, toleranceMs) {
		const id = req.headers["webhook-id"];
		const t = req.headers["webhook-timestamp"];
		const header = req.headers["webhook-signature"];
		const key = keyOf(secret);
		if (!id || !t || !header || !key || !/^\d+$/.test(t) || Math.abs(req.now - Number(t) * 1000) > toleranceMs) return false;
		const expected = hmacSha256(key, `${id}.${t}.`, req.body).toString("base64");
		return header
			.split(" ")
			.map(s => s.split(","))
			.some(([version, signature]) => version === "v1" && signature !== undefined && safeEqual(expected, signature));
	},
	deliveryId: req => req.headers["webhook-id"] ?? null,
	newSecret: () => `${PREFIX}${randomBytes(24).toString("base64")}`,
	secretProblem: secret => (keyOf(secret) ? null : "must be whsec_ followed by the base64 of 16 to 64 bytes")
};
