import jwt from "jsonwebtoken";
import { startTestNode, type TestNode } from "../support/broker";
import { metricValue } from "../support/metrics";
import { AUTH_ENV, createUser, login, loginAdmin, TEST_PASSWORD, TEST_SECRET, uniqueEmail } from "../support/factories";

const INVALID_TOKEN = 'Bearer error="invalid_token"';

describe("auth (embedded)", () => {
	let node: TestNode;

	beforeAll(async () => {
		node = await startTestNode({ env: { ...AUTH_ENV, SECURITY_LOGIN_MAX_FAILURES_PER_EMAIL: "3", SECURITY_LOGIN_MAX_FAILURES_PER_IP: "1000" } });
	});
	afterAll(() => node.stop());

	describe("the summary's flow, verbatim", () => {
		it("registers, logs in and calls a protected route with the bearer token", async () => {
			const reg = await node.http.post("/api/v3/auth/register").send({ email: "test@example.com", password: "test123456" }).expect(201);
			expect(reg.body).toEqual({ user_id: expect.any(String), email: "test@example.com", roles: ["user"], full_name: null });
			expect(reg.headers.location).toBe(`/api/v3/auth/users/${reg.body.user_id}`);

			const tokens = await node.http.post("/api/v3/auth/login").send({ email: "test@example.com", password: "test123456" }).expect(200);
			expect(tokens.body).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: "bearer", expires_in: 1800 });

			const me = await node.http.get("/api/v3/auth/me").set("Authorization", `Bearer ${tokens.body.access_token}`).expect(200);
			expect(me.body).toMatchObject({ user_id: reg.body.user_id, email: "test@example.com", roles: ["user"], is_active: true });
			expect(me.body.password_hash).toBeUndefined();
		});

		it("issues tokens with the documented claims", async () => {
			const user = await createUser(node.http);
			const claims = jwt.decode(user.token, { complete: true }) as jwt.Jwt & { payload: jwt.JwtPayload };
			expect(claims.header.alg).toBe("HS256");
			expect(claims.payload).toMatchObject({
				sub: user.user_id,
				email: user.email,
				roles: ["user"],
				type: "access",
				iss: "cognitionos",
				aud: "cognitionos-api"
			});
			expect(typeof claims.payload.jti).toBe("string");
			expect(claims.payload.exp! - claims.payload.iat!).toBe(1800);
		});
	});

	describe("registration", () => {
		it("trims and lower-cases the email, and refuses a duplicate with 409", async () => {
			const email = uniqueEmail("Case");
			const reg = await node.http.post("/api/v3/auth/register").send({ email: `  ${email.toUpperCase()} `, password: TEST_PASSWORD, full_name: "Ada" }).expect(201);
			expect(reg.body.email).toBe(email.toLowerCase());
			expect(reg.body.full_name).toBe("Ada");
			const dup = await node.http.post("/api/v3/auth/register").send({ email, password: TEST_PASSWORD }).expect(409);
			expect(dup.body).toMatchObject({ error: "conflict", message: "A user with this email already exists" });
		});

		it("lets exactly one of several concurrent registrations of one email win", async () => {
			const email = uniqueEmail("race");
			const results = await Promise.all(
				Array.from({ length: 6 }, () => node.http.post("/api/v3/auth/register").send({ email, password: TEST_PASSWORD }))
			);
			const statuses = results.map(r => r.status).sort();
			expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
		});

		it.each([
			[{ email: "not-an-email", password: TEST_PASSWORD }, "email"],
			[{ email: uniqueEmail(), password: "short" }, "password"],
			[{ email: uniqueEmail(), password: "x".repeat(73) }, "password"],
			[{ password: TEST_PASSWORD }, "email"],
			[{ email: uniqueEmail() }, "password"]
		])("refuses %j with 422 naming %s", async (body, field) => {
			const res = await node.http.post("/api/v3/auth/register").send(body).expect(422);
			expect(res.body.error).toBe("validation_error");
			expect(res.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
		});
	});

	describe("login", () => {
		it("answers an unknown email and a wrong password with the same 401", async () => {
			const user = await createUser(node.http);
			const wrong = await node.http.post("/api/v3/auth/login").send({ email: user.email, password: "wrong-password" }).expect(401);
			const unknown = await node.http.post("/api/v3/auth/login").send({ email: uniqueEmail("nobody"), password: "wrong-password" }).expect(401);
			expect(wrong.body.message).toBe(unknown.body.message);
			expect(wrong.body.error).toBe(unknown.body.error);
		});

		it("throttles failed logins per email with 429 and Retry-After", async () => {
			const user = await createUser(node.http);
			for (let i = 0; i < 2; i++) await node.http.post("/api/v3/auth/login").send({ email: user.email, password: "nope-nope" }).expect(401);
			const third = await node.http.post("/api/v3/auth/login").send({ email: user.email, password: "nope-nope" }).expect(429);
			expect(Number(third.headers["retry-after"])).toBeGreaterThan(0);
			// Even the right password waits out the window.
			const right = await node.http.post("/api/v3/auth/login").send({ email: user.email, password: TEST_PASSWORD }).expect(429);
			expect(right.body.error).toBe("rate_limited");
			// Other accounts are not affected.
			await login(node.http, (await createUser(node.http)).email, TEST_PASSWORD);
		});
	});

	describe("forged and misused tokens", () => {
		let user: Awaited<ReturnType<typeof createUser>>;
		beforeAll(async () => {
			user = await createUser(node.http);
		});

		const base = () => ({ sub: user.user_id, email: user.email, roles: ["admin"], type: "access", jti: "j1" });
		const cases: [string, () => string][] = [
			["alg none", () => jwt.sign(base(), "", { algorithm: "none", issuer: "cognitionos", audience: "cognitionos-api" })],
			["a wrong key", () => jwt.sign(base(), "another-secret-key-that-is-long-enough-xyz", { issuer: "cognitionos", audience: "cognitionos-api", expiresIn: 60 })],
			["a refresh token as access token", () => user.refresh_token],
			["an expired token", () => jwt.sign({ ...base(), exp: Math.floor(Date.now() / 1000) - 120 }, TEST_SECRET, { issuer: "cognitionos", audience: "cognitionos-api" })],
			["a wrong issuer", () => jwt.sign(base(), TEST_SECRET, { issuer: "someone-else", audience: "cognitionos-api", expiresIn: 60 })],
			["a wrong audience", () => jwt.sign(base(), TEST_SECRET, { issuer: "cognitionos", audience: "other-api", expiresIn: 60 })],
			["garbage", () => "not.a.token"]
		];

		it.each(cases)("refuses %s with 401 invalid_token", async (_name, token) => {
			const res = await node.http.get("/api/v3/auth/me").set("Authorization", `Bearer ${token()}`).expect(401);
			expect(res.headers["www-authenticate"]).toBe(INVALID_TOKEN);
			expect(res.body.error).toBe("invalid_token");
		});

		it("accepts a correctly signed token, so the cases above fail for their stated reason", async () => {
			const token = jwt.sign({ ...base(), roles: ["user"] }, TEST_SECRET, { issuer: "cognitionos", audience: "cognitionos-api", expiresIn: 60 });
			await node.http.get("/api/v3/auth/me").set("Authorization", `Bearer ${token}`).expect(200);
		});

		it("answers a missing token with 401 and WWW-Authenticate: Bearer", async () => {
			const res = await node.http.get("/api/v3/auth/me").expect(401);
			expect(res.headers["www-authenticate"]).toBe("Bearer");
			expect(res.body.error).toBe("unauthorized");
		});

		it("refuses other schemes", async () => {
			const res = await node.http.get("/api/v3/auth/me").set("Authorization", `Basic ${Buffer.from("a:b").toString("base64")}`).expect(401);
			expect(res.headers["www-authenticate"]).toBe(INVALID_TOKEN);
		});

		it("takes roles from the user record, not from the token", async () => {
			const forged = jwt.sign(base(), TEST_SECRET, { issuer: "cognitionos", audience: "cognitionos-api", expiresIn: 60 });
			await node.http.get("/api/v3/auth/users").set("Authorization", `Bearer ${forged}`).expect(403);
		});
	});

	describe("refresh rotation", () => {
		it("returns a new pair and spends the old refresh token", async () => {
			const user = await createUser(node.http);
			const first = await node.http.post("/api/v3/auth/refresh").send({ refresh_token: user.refresh_token }).expect(200);
			expect(first.body.refresh_token).not.toBe(user.refresh_token);
			await node.http.get("/api/v3/auth/me").set("Authorization", `Bearer ${first.body.access_token}`).expect(200);
			const second = await node.http.post("/api/v3/auth/refresh").send({ refresh_token: first.body.refresh_token }).expect(200);
			expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
		});

		it("revokes the whole family when a spent refresh token is presented again", async () => {
			const user = await createUser(node.http);
			const rotated = await node.http.post("/api/v3/auth/refresh").send({ refresh_token: user.refresh_token }).expect(200);
			const reuse = await node.http.post("/api/v3/auth/refresh").send({ refresh_token: user.refresh_token }).expect(401);
			expect(reuse.body.message).toContain("already used");
			// The thief's copy is dead, and so is the legitimate newest token of the family.
			await node.http.post("/api/v3/auth/refresh").send({ refresh_token: rotated.body.refresh_token }).expect(401);
			// Another login (another family) is untouched.
			await login(node.http, user.email, TEST_PASSWORD);
		});

		it("lets only one of two concurrent refreshes with the same token succeed", async () => {
			const user = await createUser(node.http);
			const [a, b] = await Promise.all([
				node.http.post("/api/v3/auth/refresh").send({ refresh_token: user.refresh_token }),
				node.http.post("/api/v3/auth/refresh").send({ refresh_token: user.refresh_token })
			]);
			expect([a.status, b.status].sort()).toEqual([200, 401]);
		});

		it("refuses an access token at /refresh", async () => {
			const user = await createUser(node.http);
			await node.http.post("/api/v3/auth/refresh").send({ refresh_token: user.token }).expect(401);
		});

		it("logout revokes the refresh family", async () => {
			const user = await createUser(node.http);
			await node.http.post("/api/v3/auth/logout").send({ refresh_token: user.refresh_token }).expect(204);
			await node.http.post("/api/v3/auth/refresh").send({ refresh_token: user.refresh_token }).expect(401);
		});
	});

	describe("roles and admin endpoints", () => {
		it("creates the configured admin at start and lets it list users", async () => {
			const admin = await loginAdmin(node.http);
			const res = await node.http.get("/api/v3/auth/users?page=1&page_size=5").set(admin.auth).expect(200);
			expect(res.body).toMatchObject({ page: 1, page_size: 5, total: expect.any(Number) });
			expect(res.body.users.length).toBeLessThanOrEqual(5);
			expect(res.body.users[0].password_hash).toBeUndefined();
			const one = await node.http.get(`/api/v3/auth/users/${res.body.users[0].user_id}`).set(admin.auth).expect(200);
			expect(one.body).toEqual(res.body.users[0]);
			await node.http.get("/api/v3/auth/users/no-such-user").set(admin.auth).expect(404);
		});

		it("refuses admin endpoints to users with 403", async () => {
			const user = await createUser(node.http);
			const res = await node.http.get("/api/v3/auth/users").set(user.auth).expect(403);
			expect(res.body.error).toBe("forbidden");
		});

		it("changes roles, which apply to existing tokens at once", async () => {
			const admin = await loginAdmin(node.http);
			const user = await createUser(node.http);
			await node.http.get("/api/v3/auth/users").set(user.auth).expect(403);
			await node.http.patch(`/api/v3/auth/users/${user.user_id}`).set(admin.auth).send({ roles: ["admin"] }).expect(200);
			await node.http.get("/api/v3/auth/users").set(user.auth).expect(200);
			await node.http.patch(`/api/v3/auth/users/${user.user_id}`).set(admin.auth).send({ roles: ["user"] }).expect(200);
			await node.http.get("/api/v3/auth/users").set(user.auth).expect(403);
		});

		it("refuses an unknown role with 422", async () => {
			const admin = await loginAdmin(node.http);
			const user = await createUser(node.http);
			const res = await node.http.patch(`/api/v3/auth/users/${user.user_id}`).set(admin.auth).send({ roles: ["superuser"] }).expect(422);
			expect(res.body.detail[0].path).toMatch(/^roles/);
		});

		it("deactivation stops the user's tokens at once and makes login answer 403", async () => {
			const admin = await loginAdmin(node.http);
			const user = await createUser(node.http);
			await node.http.get("/api/v3/auth/me").set(user.auth).expect(200);
			await node.http.patch(`/api/v3/auth/users/${user.user_id}`).set(admin.auth).send({ is_active: false }).expect(200);
			const me = await node.http.get("/api/v3/auth/me").set(user.auth).expect(401);
			expect(me.headers["www-authenticate"]).toBe(INVALID_TOKEN);
			await node.http.post("/api/v3/auth/refresh").send({ refresh_token: user.refresh_token }).expect(401);
			const again = await node.http.post("/api/v3/auth/login").send({ email: user.email, password: TEST_PASSWORD }).expect(403);
			expect(again.body.error).toBe("account_disabled");
		});

		it("keeps at least one active admin", async () => {
			const admin = await loginAdmin(node.http);
			const res = await node.http.patch(`/api/v3/auth/users/${admin.user_id}`).set(admin.auth).send({ is_active: false }).expect(409);
			expect(res.body.message).toContain("last active admin");
		});
	});

	describe("API keys", () => {
		it("creates a key shown once, lists it without the secret, and accepts it both ways", async () => {
			const user = await createUser(node.http);
			const created = await node.http.post("/api/v3/auth/api-keys").set(user.auth).send({ name: "ci" }).expect(201);
			expect(created.body.key).toMatch(/^cos_[A-Za-z0-9]{8}_/);
			expect(created.body.key.startsWith(`cos_${created.body.prefix}_`)).toBe(true);

			const list = await node.http.get("/api/v3/auth/api-keys").set(user.auth).expect(200);
			expect(list.body.api_keys).toHaveLength(1);
			expect(JSON.stringify(list.body)).not.toContain(created.body.key);
			expect(list.body.api_keys[0]).toMatchObject({ id: created.body.id, name: "ci", prefix: created.body.prefix });

			const viaBearer = await node.http.get("/api/v3/auth/me").set("Authorization", `Bearer ${created.body.key}`).expect(200);
			expect(viaBearer.body.user_id).toBe(user.user_id);
			await node.http.get("/api/v3/auth/me").set("X-API-Key", created.body.key).expect(200);
		});

		it("limits a key to its scopes", async () => {
			const admin = await loginAdmin(node.http);
			const created = await node.http.post("/api/v3/auth/api-keys").set(admin.auth).send({ name: "read-only", scopes: ["read"] }).expect(201);
			await node.http.get("/api/v3/auth/me").set("X-API-Key", created.body.key).expect(200);
			const res = await node.http.get("/api/v3/auth/users").set("X-API-Key", created.body.key).expect(403);
			expect(res.body.message).toContain("scopes");
		});

		it("refuses the admin scope to non-admins", async () => {
			const user = await createUser(node.http);
			const res = await node.http.post("/api/v3/auth/api-keys").set(user.auth).send({ name: "x", scopes: ["admin"] }).expect(422);
			expect(res.body.detail[0].path).toBe("scopes");
		});

		it("stops working once revoked, and cannot mint keys", async () => {
			const user = await createUser(node.http);
			const created = await node.http.post("/api/v3/auth/api-keys").set(user.auth).send({ name: "temp" }).expect(201);
			await node.http.post("/api/v3/auth/api-keys").set("X-API-Key", created.body.key).send({ name: "child" }).expect(403);
			await node.http.delete(`/api/v3/auth/api-keys/${created.body.id}`).set(user.auth).expect(204);
			const res = await node.http.get("/api/v3/auth/me").set("X-API-Key", created.body.key).expect(401);
			expect(res.headers["www-authenticate"]).toBe(INVALID_TOKEN);
		});

		it("hides another user's key", async () => {
			const owner = await createUser(node.http);
			const other = await createUser(node.http);
			const created = await node.http.post("/api/v3/auth/api-keys").set(owner.auth).send({ name: "mine" }).expect(201);
			await node.http.delete(`/api/v3/auth/api-keys/${created.body.id}`).set(other.auth).expect(404);
		});

		it("refuses a made-up key", async () => {
			await node.http.get("/api/v3/auth/me").set("X-API-Key", `cos_abcdefgh_${"x".repeat(43)}`).expect(401);
		});
	});

	describe("metrics and logs", () => {
		it("counts requests, tokens and failures", async () => {
			await createUser(node.http);
			await node.http.post("/api/v3/auth/login").send({ email: uniqueEmail(), password: "whatever1" }).expect(401);
			const value = (name: string, labels: Record<string, string | number>) => metricValue(node.broker, name, labels);
			expect(value("auth_requests_total", { endpoint: "register", status: 201 })).toBeGreaterThan(0);
			expect(value("auth_requests_total", { endpoint: "login", status: 401 })).toBeGreaterThan(0);
			expect(value("auth_tokens_created_total", { token_type: "access" })).toBeGreaterThan(0);
			expect(value("auth_failures_total", { reason: "invalid_credentials" })).toBeGreaterThan(0);
		});

		it("never writes passwords, tokens or keys to the logs", async () => {
			const email = uniqueEmail("secret");
			const password = "Sup3r-Secret-Passw0rd";
			await node.http.post("/api/v3/auth/register").send({ email, password }).expect(201);
			const user = await login(node.http, email, password);
			const key = await node.http.post("/api/v3/auth/api-keys").set(user.auth).send({ name: "k" }).expect(201);
			await node.http.get("/api/v3/auth/me").set("X-API-Key", key.body.key).set("X-Request-ID", "secret-check").expect(200);
			await node.http.post("/api/v3/auth/login").send({ email, password: "Wr0ng-Secret-Passw0rd" }).expect(401);
			const text = node.logs.text();
			expect(node.logs.lines.some(l => l.request_id === "secret-check")).toBe(true);
			for (const secret of [password, "Wr0ng-Secret-Passw0rd", user.token, user.refresh_token, key.body.key, TEST_SECRET]) {
				expect(text).not.toContain(secret);
			}
		});
	});
});

describe("auth: failed logins throttled per client address", () => {
	let node: TestNode;
	const login = (email: string, password: string, ip: string) =>
		node.http.post("/api/v3/auth/login").set("X-Forwarded-For", ip).send({ email, password });

	beforeAll(async () => {
		// A high per-email limit: only the address can trip here. The gateway takes the address from X-Forwarded-For.
		node = await startTestNode({
			env: { ...AUTH_ENV, API_TRUST_PROXY: "true", SECURITY_LOGIN_MAX_FAILURES_PER_EMAIL: "1000", SECURITY_LOGIN_MAX_FAILURES_PER_IP: "3" }
		});
	});
	afterAll(() => node.stop());

	it("answers 429 with Retry-After once one address fails with different emails, and spares other addresses", async () => {
		const ip = "203.0.113.7";
		await login(uniqueEmail("a"), "wrong-password", ip).expect(401);
		await login(uniqueEmail("b"), "wrong-password", ip).expect(401);
		const third = await login(uniqueEmail("c"), "wrong-password", ip).expect(429);
		expect(third.body.error).toBe("rate_limited");
		expect(Number(third.headers["retry-after"])).toBeGreaterThan(0);
		// The address waits out the window, even with a right password for an account it never tried.
		const user = await createUser(node.http);
		const blocked = await login(user.email, TEST_PASSWORD, ip).expect(429);
		expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
		// Another address signs in to the same account.
		const other = await login(user.email, TEST_PASSWORD, "203.0.113.8").expect(200);
		expect(other.body.access_token).toEqual(expect.any(String));
	});
});
