import { hmacSha256, safeEqual } from "../../webhooks/signature";
import { lengthProblem, type HookScheme } from "../scheme";

/**
 * Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (several
 * v1 entries while Stripe rolls its secret); a timestamp outside the tolerance is a replay.
 * The delivery id is the event's `id` (`evt_…`). Stripe issues the secret (`whsec_…`).
 */
export const stripe: HookScheme = {
	name: "stripe",
	verify(secret, req, toleranceMs) {
		const header = req.headers["stripe-signature"];
		if (!header) return false;
		const parts = header.split(",").map(p => p.trim().split("="));
		const t = parts.find(([k]) => k === "t")?.[1];
		const timestamp = Number(t);
		if (!t || !/^\d+$/.test(t) || Math.abs(req.now - timestamp * 1000) > toleranceMs) return false;
		const expected = hmacSha256(secret, `${t}.`, req.body).toString("hex");
		return parts.filter(([k, v]) => k === "v1" && v).some(([, v]) => safeEqual(expected, v));
	},
	deliveryId(req) {
		const id = (req.json as { id?: unknown } | null)?.id;
		return typeof id === "string" && id ? id : null;
	},
	newSecret: () => null,
	secretProblem: lengthProblem
};
