import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { AppError } from "../errors";
import type { TokenKeys } from "./keys";
import type { Role } from "./principal";

export type TokenType = "access" | "refresh";

export interface AccessClaims {
	sub: string;
	email: string;
	roles: Role[];
	type: "access";
	jti: string;
	iat: number;
	exp: number;
	iss: string;
	aud: string;
}

export interface RefreshClaims {
	sub: string;
	type: "refresh";
	/** The refresh-token family: every rotation of one login shares it. */
	fam: string;
	jti: string;
	iat: number;
	exp: number;
	iss: string;
	aud: string;
}

/** Clock difference tolerated between nodes when checking exp/iat (seconds). */
const CLOCK_SKEW_SECONDS = 30;

export const invalidToken = (message: string) => new AppError(message, 401, "invalid_token");

function signingKey(keys: TokenKeys): string | Buffer {
	if (!keys.signKey) throw new Error("This node has no private key: it can verify tokens but not issue them");
	return keys.signKey;
}

export function signAccessToken(keys: TokenKeys, user: { id: string; email: string; roles: Role[] }): { token: string; jti: string; expiresIn: number } {
	const jti = randomUUID();
	const token = jwt.sign({ email: user.email, roles: user.roles, type: "access" }, signingKey(keys), {
		algorithm: keys.algorithm,
		subject: user.id,
		jwtid: jti,
		issuer: keys.issuer,
		audience: keys.audience,
		expiresIn: keys.accessTtlSeconds
	});
	return { token, jti, expiresIn: keys.accessTtlSeconds };
}

export function signRefreshToken(keys: TokenKeys, userId: string, family: string, jti: string): { token: string; expiresAt: Date } {
	const token = jwt.sign({ type: "refresh", fam: family }, signingKey(keys), {
		algorithm: keys.algorithm,
		subject: userId,
		jwtid: jti,
		issuer: keys.issuer,
		audience: keys.audience,
		expiresIn: keys.refreshTtlSeconds
	});
	return { token, expiresAt: new Date(Date.now() + keys.refreshTtlSeconds * 1000) };
}

/**
 * Verifies signature (with the configured algorithm only: `alg: none` and algorithm
 * swaps fail), issuer, audience, expiry (with a small skew) and the token's type.
 */
export function verifyToken(keys: TokenKeys, token: string, type: "access", opts?: { ignoreExpiration?: boolean }): AccessClaims;
export function verifyToken(keys: TokenKeys, token: string, type: "refresh", opts?: { ignoreExpiration?: boolean }): RefreshClaims;
export function verifyToken(keys: TokenKeys, token: string, type: TokenType, opts: { ignoreExpiration?: boolean } = {}): AccessClaims | RefreshClaims {
	let claims: jwt.JwtPayload;
	try {
		const decoded = jwt.verify(token, keys.verifyKey, {
			algorithms: [keys.algorithm],
			issuer: keys.issuer,
			audience: keys.audience,
			clockTolerance: CLOCK_SKEW_SECONDS,
			ignoreExpiration: opts.ignoreExpiration ?? false
		});
		if (typeof decoded === "string") throw new Error("payload is not an object");
		claims = decoded;
	} catch (err) {
		const e = err as Error;
		throw invalidToken(e.name === "TokenExpiredError" ? "The token has expired" : "The token is not valid");
	}
	if (claims.type !== type) throw invalidToken(`This is not an ${type} token`);
	if (typeof claims.sub !== "string" || typeof claims.jti !== "string") throw invalidToken("The token is not valid");
	return claims as AccessClaims | RefreshClaims;
}
