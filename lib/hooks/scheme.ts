/**
 * How an inbound webhook proves a request came from its sender: one interface, a file
 * per scheme (./schemes/). Every scheme verifies the raw body as received (a parsed and
 * re-serialized body would not match), compares in constant time, and names the sender's
 * delivery id, by which a redelivery is a duplicate.
 */
export const HOOK_SCHEMES = ["github", "stripe", "standard-webhooks", "hmac-sha256", "none"] as const;
export type HookSchemeName = (typeof HOOK_SCHEMES)[number];

export interface HookRequest {
	/** Lower-cased header names. */
	headers: Readonly<Record<string, string | undefined>>;
	/** The body's bytes as received. */
	body: Buffer;
	/** The body as JSON, when it is JSON. */
	json: unknown;
	/** Now, in epoch ms (injected, for tests). */
	now: number;
}

export interface HookScheme {
	readonly name: HookSchemeName;
	/** Whether `secret` signed the request; `toleranceMs` bounds a signed timestamp's age (older: a replay). */
	verify(secret: string, req: HookRequest, toleranceMs: number): boolean;
	/** The sender's id of this delivery, or null when it sent none. */
	deliveryId(req: HookRequest): string | null;
	/** A secret for a new hook when the owner gives none; null when the sender issues it (the owner must give it). */
	newSecret(): string | null;
	/** Why a secret the owner gives cannot be this scheme's, or null. */
	secretProblem(secret: string): string | null;
}

/** Every header a scheme reads, so the gateway passes only these on. */
export const HOOK_HEADERS = [
	"content-type",
	"x-hub-signature-256",
	"x-github-delivery",
	"stripe-signature",
	"webhook-id",
	"webhook-timestamp",
	"webhook-signature",
	"x-cognitionos-signature",
	"x-cognitionos-timestamp",
	"x-cognitionos-delivery",
	"idempotency-key"
] as const;

/** Secrets the owner gives: long enough not to be guessed, short enough to store. */
export function lengthProblem(secret: string): string | null {
	return secret.length < 16 || secret.length > 500 ? "must be 16 to 500 characters" : null;
}
