import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API keys look like `cos_<prefix>_<secret>`. The prefix is stored in clear (it is how
 * a key is found and how users recognise it); only a SHA-256 of the whole key is kept.
 */
const KEY_FORMAT = /^cos_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{32,})$/;

export interface NewApiKey {
	key: string;
	prefix: string;
	hash: string;
}

export function generateApiKey(): NewApiKey {
	const prefix = randomBytes(6).toString("base64url").replace(/[^A-Za-z0-9]/g, "").padEnd(8, "0").slice(0, 8);
	const key = `cos_${prefix}_${randomBytes(32).toString("base64url")}`;
	return { key, prefix, hash: hashApiKey(key) };
}

export function isApiKey(value: string): boolean {
	return value.startsWith("cos_");
}

export function apiKeyPrefix(key: string): string | null {
	return KEY_FORMAT.exec(key)?.[1] ?? null;
}

export function hashApiKey(key: string): string {
	return createHash("sha256").update(key).digest("hex");
}

export function apiKeyMatches(key: string, storedHash: string): boolean {
	const a = Buffer.from(hashApiKey(key), "hex");
	const b = Buffer.from(storedHash, "hex");
	return a.length === b.length && timingSafeEqual(a, b);
}
