import { newWebhookSecret, verifyWebhook, WEBHOOK_HEADERS } from "../../webhooks/signature";
import { lengthProblem, type HookScheme } from "../scheme";

/**
 * Ours, as CognitionOS signs its own outbound webhooks (lib/webhooks/signature.ts):
 * `X-CognitionOS-Signature: sha256=<hex HMAC-SHA256 of "<X-CognitionOS-Timestamp>.<body>">`;
 * the delivery id is `X-CognitionOS-Delivery` (or `Idempotency-Key`).
 */
export const hmacSha256Scheme: HookScheme = {
	name: "hmac-sha256",
	verify(secret, req, toleranceMs) {
		const headers = { signature: req.headers[WEBHOOK_HEADERS.signature], timestamp: req.headers[WEBHOOK_HEADERS.timestamp] };
		return verifyWebhook(secret, headers, req.body, Math.floor(req.now / 1000), Math.floor(toleranceMs / 1000));
	},
	deliveryId: req => req.headers[WEBHOOK_HEADERS.delivery] ?? req.headers["idempotency-key"] ?? null,
	newSecret: newWebhookSecret,
	secretProblem: lengthProblem
};
