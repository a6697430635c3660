import jwt from "jsonwebtoken";
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey, isApiKey } from "../../../../lib/auth/api-keys";
import type { TokenKeys } from "../../../../lib/auth/keys";
import { signAccessToken, signRefreshToken, verifyToken } from "../../../../lib/auth/tokens";
import { MemoryAttemptLimiter } from "../../../../lib/throttle/memory";

const keys: TokenKeys = {
	algorithm: "HS256",
	signKey: "s".repeat(40),
	verifyKey: "s".repeat(40),
	issuer: "iss",
	audience: "aud",
	accessTtlSeconds: 60,
	refreshTtlSeconds: 3600
};

describe("tokens", () => {
	it("round-trips access and refresh tokens with their types", () => {
		const { token } = signAccessToken(keys, { id: "u1", email: "a@b.co", roles: ["user"] });
		expect(verifyToken(keys, token, "access")).toMatchObject({ sub: "u1", type: "access", roles: ["user"] });
		const refresh = signRefreshToken(keys, "u1", "fam1", "jti1");
		expect(verifyToken(keys, refresh.token, "refresh")).toMatchObject({ sub: "u1", fam: "fam1", jti: "jti1" });
		expect(() => verifyToken(keys, refresh.token, "access")).toThrow("This is not an access token");
	});

	it("tolerates 30 s of clock skew and no more", () => {
		const now = Math.floor(Date.now() / 1000);
		const make = (exp: number) => jwt.sign({ type: "access", exp }, keys.signKey!, { subject: "u1", jwtid: "j", issuer: "iss", audience: "aud" });
		expect(() => verifyToken(keys, make(now - 10), "access")).not.toThrow();
		expect(() => verifyToken(keys, make(now - 60), "access")).toThrow("expired");
	});

	it("pins the algorithm: an RS256-labelled or unsigned token fails", () => {
		const unsigned = jwt.sign({ type: "access" }, "", { algorithm: "none", subject: "u", jwtid: "j", issuer: "iss", audience: "aud" });
		expect(() => verifyToken(keys, unsigned, "access")).toThrow("not valid");
		const hs512 = jwt.sign({ type: "access" }, keys.signKey!, { algorithm: "HS512", subject: "u", jwtid: "j", issuer: "iss", audience: "aud" });
		expect(() => verifyToken(keys, hs512, "access")).toThrow("not valid");
	});
});

describe("API keys", () => {
	it("generates keys whose prefix finds them and whose hash verifies them", () => {
		const k = generateApiKey();
		expect(isApiKey(k.key)).toBe(true);
		expect(apiKeyPrefix(k.key)).toBe(k.prefix);
		expect(k.hash).toBe(hashApiKey(k.key));
		expect(apiKeyMatches(k.key, k.hash)).toBe(true);
		expect(apiKeyMatches(`${k.key}x`, k.hash)).toBe(false);
		expect(apiKeyPrefix("cos_short")).toBeNull();
	});
});

describe("failed-login limiter (memory)", () => {
	it("blocks after the limit until the window ends", async () => {
		let now = 0;
		const limiter = new MemoryAttemptLimiter({ maxFailures: 2, windowMs: 60_000 }, () => now);
		expect(await limiter.recordFailure("a")).toBe(0);
		expect(await limiter.recordFailure("a")).toBe(60);
		expect(await limiter.blockedFor("b")).toBe(0);
		now = 30_000;
		expect(await limiter.blockedFor("a")).toBe(30);
		now = 60_001;
		expect(await limiter.blockedFor("a")).toBe(0);
		await limiter.recordFailure("c");
		await limiter.reset("c");
		expect(await limiter.recordFailure("c")).toBe(0);
	});
});
