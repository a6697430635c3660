import type { HookScheme } from "../scheme";

/** No verification, chosen explicitly (anyone who knows the URL may send events); `Idempotency-Key` deduplicates. */
export const none: HookScheme = {
	name: "none",
	verify: () => true,
	deliveryId: req => req.headers["idempotency-key"] ?? null,
	newSecret: () => null,
	secretProblem: () => "a hook with verify none has no secret"
};
