import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../../../lib/config";
import { redact, redactText } from "../../../lib/redact";
import { SecretCipher, secretsKeyOf, SecretsUnavailable } from "../../../lib/secrets/cipher";
import { MASK, maskDeep, maskText, rememberSecretValues } from "../../../lib/secrets/known";
import { secretNamesOf } from "../../../lib/secrets/references";
import { maskFailure, secretsForAttempt } from "../../../lib/secrets/attempt";
import { StepFailure } from "../../../lib/steps";

describe("secret cipher (AES-256-GCM)", () => {
	const key = randomBytes(32);

	it("round-trips a value, and never stores it in clear", () => {
		const cipher = new SecretCipher(key);
		const stored = cipher.encrypt("hunter2-value", "owner:NAME");
		expect(stored).not.toContain("hunter2");
		expect(stored.startsWith(`v1:${cipher.currentKeyId}:`)).toBe(true);
		expect(cipher.decrypt(stored, "owner:NAME")).toBe("hunter2-value");
		// Two encryptions of one value differ (a fresh nonce each).
		expect(cipher.encrypt("hunter2-value", "owner:NAME")).not.toBe(stored);
	});

	it("binds a value to its row: another owner or name does not decrypt it", () => {
		const cipher = new SecretCipher(key);
		const stored = cipher.encrypt("v", "a:NAME");
		expect(() => cipher.decrypt(stored, "b:NAME")).toThrow();
	});

	it("reads values under previous keys after a rotation, and writes with the new one", () => {
		const old = new SecretCipher(key);
		const stored = old.encrypt("rotated", "o:N");
		const next = randomBytes(32);
		const rotated = new SecretCipher(next, [key]);
		expect(rotated.decrypt(stored, "o:N")).toBe("rotated");
		expect(rotated.encrypt("x", "o:N").split(":")[1]).toBe(rotated.currentKeyId);
		// Without the old key listed, the value names the key it needs.
		expect(() => new SecretCipher(next).decrypt(stored, "o:N")).toThrow(SecretsUnavailable);
	});

	it("takes keys as hex or base64 from the configuration, and refuses other lengths", () => {
		const hex = randomBytes(32).toString("hex");
		const b64 = randomBytes(32).toString("base64");
		const config = loadConfig({ SECRETS_ENCRYPTION_KEY: hex, SECRETS_PREVIOUS_KEYS: b64 });
		expect(config.SECRETS_ENCRYPTION_KEY.toString("hex")).toBe(hex);
		expect(config.SECRETS_PREVIOUS_KEYS.map(k => k.toString("base64"))).toEqual([b64]);
		expect(() => loadConfig({ SECRETS_ENCRYPTION_KEY: "short" })).toThrow(/SECRETS_ENCRYPTION_KEY must be 32 bytes.*\(hidden\)/);
	});

	it("keeps an embedded key under DATA_DIR, and gives a cluster none", () => {
		const dir = mkdtempSync(path.join(tmpdir(), "cos-secrets-"));
		try {
			const first = secretsKeyOf({ SECRETS_ENCRYPTION_KEY: Buffer.alloc(0), DATA_DIR: dir, mode: "embedded" });
			expect(first).toHaveLength(32);
			expect(readFileSync(path.join(dir, "secrets-key"), "utf8").trim()).toBe(first.toString("hex"));
			expect(secretsKeyOf({ SECRETS_ENCRYPTION_KEY: Buffer.alloc(0), DATA_DIR: dir, mode: "embedded" }).equals(first)).toBe(true);
			const none = secretsKeyOf({ SECRETS_ENCRYPTION_KEY: Buffer.alloc(0), DATA_DIR: dir, mode: "cluster" });
			expect(() => new SecretCipher(none)).toThrow(/SECRETS_ENCRYPTION_KEY is not set/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe("secret masking", () => {
	it("masks every occurrence in nested values, keys included, longest value first", () => {
		const values = ["abcd1234", "abcd1234-long"];
		expect(maskDeep({ a: "x abcd1234-long y", b: ["abcd1234"], abcd1234: 1, n: 5 }, values)).toEqual({ a: `x ${MASK} y`, b: [MASK], [MASK]: 1, n: 5 });
		// Values too short to mask without garbling everything are left alone.
		expect(maskText("a b c", ["a"])).toBe("a b c");
	});

	it("masks values this process has used in every log text", () => {
		const value = `zz${randomBytes(8).toString("hex")}`;
		expect(redactText(`calling with ${value}`)).toContain(value);
		rememberSecretValues([value]);
		expect(redactText(`calling with ${value}`)).toBe(`calling with ${MASK}`);
		expect(JSON.stringify(redact({ detail: { url: `https://x/${value}` } }))).not.toContain(value);
	});

	it("masks a failure's message", () => {
		const failure = maskFailure(new StepFailure("GET /a/s3cr3t-value answered 404", "unexpected_status", false), ["s3cr3t-value"]);
		expect(failure).toMatchObject({ message: `GET /a/${MASK} answered 404`, type: "unexpected_status", final: false });
	});
});

describe("secrets in a step", () => {
	it("finds the names a step's params read, nested ones included", () => {
		const step = { params: { url: "https://x/${{ secrets.A }}", headers: { h: "${{secrets.B}} ${{ inputs.c }}" }, step: { params: { k: "${{ secrets.A }}" } } } };
		expect(secretNamesOf(step).sort()).toEqual(["A", "B"]);
	});

	it("fails clearly when a secret is missing or cannot be decrypted", async () => {
		const source = async () => new Map([["A", "value-a"]]);
		await expect(secretsForAttempt(source, "s", "o", ["A", "B"])).rejects.toMatchObject({ type: "secret_missing", final: true, message: expect.stringContaining("B") });
		await expect(secretsForAttempt(async () => Promise.reject(new SecretsUnavailable("no key")), "s", "o", ["A"])).rejects.toMatchObject({ type: "secrets_unavailable" });
		await expect(secretsForAttempt(source, "s", "o", ["A"])).resolves.toEqual({ A: "value-a" });
	});
});
