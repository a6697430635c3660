import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** AES-256-GCM's recommended nonce: 96 bits. */
const IV_BYTES = 12;
/** The full 128-bit authentication tag. */
const TAG_BYTES = 16;
/** Stored values start with this: a later format can be told apart. */
const FORMAT = "v1";

export class SecretsUnavailable extends Error {
	override name = "SecretsUnavailable";
}

/** A key's short public id (8 hex digits of its SHA-256): stored with each value, so decryption picks the right key. */
export const keyIdOf = (key: Buffer): string => createHash("sha256").update(key).digest("hex").slice(0, 8);

/**
 * Encrypts secret values at rest with AES-256-GCM: the current key writes, the current and
 * the previous keys read (rotation). The owner and name are bound in as associated data,
 * so a value copied onto another row does not decrypt.
 */
export class SecretCipher {
	private readonly keys = new Map<string, Buffer>();
	readonly currentKeyId: string;

	constructor(
		private readonly current: Buffer,
		previous: readonly Buffer[] = []
	) {
		if (current.length !== 32) throw new SecretsUnavailable("SECRETS_ENCRYPTION_KEY is not set: secrets cannot be stored or used on this installation");
		this.currentKeyId = keyIdOf(current);
		for (const key of [current, ...previous]) if (key.length === 32) this.keys.set(keyIdOf(key), key);
	}

	/** `v1:<key id>:<iv>:<tag>:<ciphertext>`, base64url parts. */
	encrypt(plaintext: string, associated: string): string {
		const iv = randomBytes(IV_BYTES);
		const cipher = createCipheriv("aes-256-gcm", this.current, iv, { authTagLength: TAG_BYTES });
		cipher.setAAD(Buffer.from(associated, "utf8"));
		const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
		return [FORMAT, this.currentKeyId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(":");
	}

	decrypt(stored: string, associated: string): string {
		const [format, keyId, iv, tag, body] = stored.split(":");
		if (format !== FORMAT || body === undefined) throw new SecretsUnavailable("A stored secret is in an unknown format");
		const key = this.keys.get(keyId);
		if (!key) throw new SecretsUnavailable(`A secret was encrypted with key ${keyId}, which is neither SECRETS_ENCRYPTION_KEY nor in SECRETS_PREVIOUS_KEYS`);
		const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
		decipher.setAAD(Buffer.from(associated, "utf8"));
		decipher.setAuthTag(Buffer.from(tag, "base64url"));
		return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
	}
}

/**
 * The key of an embedded installation without SECRETS_ENCRYPTION_KEY: random, kept under
 * DATA_DIR (mode 0600) beside the database, so secrets survive restarts. A cluster gets none.
 */
export function secretsKeyOf(config: { SECRETS_ENCRYPTION_KEY: Buffer; DATA_DIR: string; mode: "embedded" | "cluster" }): Buffer {
	if (config.SECRETS_ENCRYPTION_KEY.length === 32 || config.mode === "cluster") return config.SECRETS_ENCRYPTION_KEY;
	const file = path.resolve(config.DATA_DIR, "secrets-key");
	if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
	mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
	const key = randomBytes(32);
	try {
		writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
	} catch (err) {
		// Another service of this process wrote it first: use that one.
		if ((err as NodeJS.ErrnoException).code === "EEXIST") return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
		throw err;
	}
	return key;
}
