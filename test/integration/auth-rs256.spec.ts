import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jwt from "jsonwebtoken";
import { startTestNode, type TestNode } from "../support/broker";
import { createUser, login, TEST_ADMIN, TEST_PASSWORD, TEST_SECRET } from "../support/factories";

const INVALID_TOKEN = 'Bearer error="invalid_token"';
const CLAIMS = { issuer: "cognitionos", audience: "cognitionos-api", expiresIn: 60 } as const;

/** An HS256 token signed with `secret` as it is (jsonwebtoken refuses a PEM as an HMAC key; an attacker would not). */
function hs256(payload: object, secret: string | Buffer): string {
	const now = Math.floor(Date.now() / 1000);
	const part = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
	const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({ ...payload, iss: "cognitionos", aud: "cognitionos-api", iat: now, exp: now + 60 })}`;
	return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

describe("auth with RS256 and a real key pair", () => {
	let node: TestNode;
	let dir: string;
	let publicKey: string;
	let privateKey: string;

	beforeAll(async () => {
		({ publicKey, privateKey } = generateKeyPairSync("rsa", {
			modulusLength: 2048,
			publicKeyEncoding: { type: "spki", format: "pem" },
			privateKeyEncoding: { type: "pkcs8", format: "pem" }
		}));
		dir = mkdtempSync(path.join(tmpdir(), "cos-rs256-"));
		writeFileSync(path.join(dir, "private.pem"), privateKey, { mode: 0o600 });
		writeFileSync(path.join(dir, "public.pem"), publicKey);
		node = await startTestNode({
			env: {
				SECURITY_ALGORITHM: "RS256",
				SECURITY_PRIVATE_KEY_FILE: path.join(dir, "private.pem"),
				SECURITY_PUBLIC_KEY_FILE: path.join(dir, "public.pem"),
				SECURITY_ADMIN_EMAIL: TEST_ADMIN.email,
				SECURITY_ADMIN_PASSWORD: TEST_ADMIN.password,
				SECURITY_BCRYPT_ROUNDS: "4"
			}
		});
	});
	afterAll(async () => {
		await node?.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("registers, signs in and serves /me with tokens signed by the private key", async () => {
		const user = await createUser(node.http);
		expect(jwt.decode(user.token, { complete: true })?.header.alg).toBe("RS256");
		const claims = jwt.verify(user.token, publicKey, { algorithms: ["RS256"], issuer: "cognitionos", audience: "cognitionos-api" }) as jwt.JwtPayload;
		expect(claims).toMatchObject({ sub: user.user_id, email: user.email, type: "access" });
		const me = await node.http.get("/api/v3/auth/me").set(user.auth).expect(200);
		expect(me.body).toMatchObject({ user_id: user.user_id, email: user.email });
		// Refresh tokens are RS256 too, and rotate.
		const refreshed = await node.http.post("/api/v3/auth/refresh").send({ refresh_token: user.refresh_token }).expect(200);
		expect(jwt.decode(refreshed.body.refresh_token, { complete: true })?.header.alg).toBe("RS256");
		await node.http.get("/api/v3/auth/me").set("Authorization", `Bearer ${refreshed.body.access_token}`).expect(200);
	});

	it("accepts a token signed by the private key outside the server", async () => {
		const user = await login(node.http, (await createUser(node.http)).email, TEST_PASSWORD);
		const token = jwt.sign({ sub: user.user_id, email: user.email, roles: ["user"], type: "access", jti: "rs-1" }, privateKey, { algorithm: "RS256", ...CLAIMS });
		await node.http.get("/api/v3/auth/me").set("Authorization", `Bearer ${token}`).expect(200);
	});

	it.each([
		["an HS256 token signed with a shared secret", () => TEST_SECRET],
		["an HS256 token keyed with the public key (algorithm confusion)", (pem: string) => pem]
	])("refuses %s with 401 invalid_token", async (_name, key) => {
		const user = await createUser(node.http);
		const token = hs256({ sub: user.user_id, email: user.email, roles: ["user"], type: "access", jti: "hs-1" }, key(publicKey));
		const res = await node.http.get("/api/v3/auth/me").set("Authorization", `Bearer ${token}`).expect(401);
		expect(res.headers["www-authenticate"]).toBe(INVALID_TOKEN);
		expect(res.body.error).toBe("invalid_token");
	});

	it("refuses a token signed by another key pair", async () => {
		const other = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
		const user = await createUser(node.http);
		const token = jwt.sign({ sub: user.user_id, email: user.email, roles: ["user"], type: "access", jti: "rs-2" }, other.privateKey, { algorithm: "RS256", ...CLAIMS });
		await node.http.get("/api/v3/auth/me").set("Authorization", `Bearer ${token}`).expect(401);
	});
});
