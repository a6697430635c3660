import { SCHEMES } from "./schemes";
import type { HookRequest } from "./scheme";
import { validSecrets, type HookRecord } from "./store";

/** The body as the event's data: JSON as sent when it is JSON, else `{raw}` (its text). Null when it claims JSON and is not. */
export function hookData(body: Buffer, contentType: string | undefined): { data: unknown } | null {
	const text = body.toString("utf8");
	if (/^application\/([\w.+-]+\+)?json\b/i.test(contentType ?? "")) {
		try {
			return { data: text.trim() ? JSON.parse(text) : null };
		} catch {
			return null;
		}
	}
	return { data: { raw: text } };
}

/**
 * Whether a request to `hook` is its sender's: signed (on the raw body) with the hook's
 * secret, or with the secret before its last rotation during the grace period.
 */
export function verifyHook(hook: HookRecord, req: HookRequest, toleranceMs: number): boolean {
	const scheme = SCHEMES[hook.verify];
	if (hook.verify === "none") return true;
	return validSecrets(hook, req.now).some(secret => scheme.verify(secret, req, toleranceMs));
}

/** The event id a delivery is deduplicated by: the sender's delivery id, scoped to the hook; null when the sender gave none. */
export function hookEventId(hook: HookRecord, req: HookRequest): string | null {
	const delivery = SCHEMES[hook.verify].deliveryId(req);
	return delivery ? `${hook.id}:${delivery.slice(0, 200)}` : null;
}
