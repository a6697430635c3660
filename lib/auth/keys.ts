import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config";

export interface TokenKeys {
	algorithm: "HS256" | "RS256";
	/** Absent on nodes that only verify (RS256 without the private key). */
	signKey?: string | Buffer;
	verifyKey: string | Buffer;
	issuer: string;
	audience: string;
	accessTtlSeconds: number;
	refreshTtlSeconds: number;
}

/**
 * An embedded installation without SECURITY_SECRET_KEY gets a random key kept under
 * DATA_DIR, so tokens survive restarts and no two installations share a key.
 */
function embeddedSecret(dataDir: string): string {
	const file = path.resolve(dataDir, "jwt-secret");
	if (existsSync(file)) return readFileSync(file, "utf8").trim();
	mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
	const secret = randomBytes(48).toString("base64url");
	writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
	return secret;
}

export function loadTokenKeys(config: Config): TokenKeys {
	const common = {
		issuer: config.SECURITY_JWT_ISSUER,
		audience: config.SECURITY_JWT_AUDIENCE,
		accessTtlSeconds: config.SECURITY_ACCESS_TOKEN_EXPIRE_MINUTES * 60,
		refreshTtlSeconds: config.SECURITY_REFRESH_TOKEN_EXPIRE_DAYS * 86_400
	};
	if (config.SECURITY_ALGORITHM === "RS256") {
		return {
			...common,
			algorithm: "RS256",
			verifyKey: readFileSync(config.SECURITY_PUBLIC_KEY_FILE),
			signKey: config.SECURITY_PRIVATE_KEY_FILE ? readFileSync(config.SECURITY_PRIVATE_KEY_FILE) : undefined
		};
	}
	const secret = config.SECURITY_SECRET_KEY || embeddedSecret(config.DATA_DIR);
	return { ...common, algorithm: "HS256", signKey: secret, verifyKey: secret };
}
