import { randomBytes } from "node:crypto";
import { startTestNode, waitForNodes, type TestNode } from "../support/broker";
import { describeWith, TEST_NATS_URL, TEST_REDIS_URL } from "../support/env";
import { AUTH_ENV, createUser, loginAdmin, TEST_PASSWORD } from "../support/factories";
import { createTestDatabase } from "../support/postgres";

/** Two cluster nodes (NATS, PostgreSQL, Redis): limits and cached user lookups hold across both. */
describeWith(["postgres", "redis", "nats"])("auth across nodes (NATS + PostgreSQL + Redis)", () => {
	let a: TestNode;
	let b: TestNode;
	let db: Awaited<ReturnType<typeof createTestDatabase>>;

	beforeAll(async () => {
		db = await createTestDatabase();
		const env = {
			...AUTH_ENV,
			DATABASE_URL: db.url,
			REDIS_URL: TEST_REDIS_URL,
			TRANSPORTER: TEST_NATS_URL,
			NAMESPACE: `t${randomBytes(4).toString("hex")}`,
			SECURITY_LOGIN_MAX_FAILURES_PER_EMAIL: "3"
		};
		a = await startTestNode({ env });
		b = await startTestNode({ env });
		await waitForNodes([a.broker, b.broker], 2);
	});
	afterAll(async () => {
		await a?.stop();
		await b?.stop();
		await db?.drop();
	});

	it("counts failed logins on every node against one limit", async () => {
		const user = await createUser(a.http);
		await a.http.post("/api/v3/auth/login").send({ email: user.email, password: "wrong-one" }).expect(401);
		await b.http.post("/api/v3/auth/login").send({ email: user.email, password: "wrong-two" }).expect(401);
		const third = await a.http.post("/api/v3/auth/login").send({ email: user.email, password: "wrong-three" }).expect(429);
		expect(Number(third.headers["retry-after"])).toBeGreaterThan(0);
		await b.http.post("/api/v3/auth/login").send({ email: user.email, password: TEST_PASSWORD }).expect(429);
	});

	it("stops a deactivated user's token on the other node at once (shared cache invalidated)", async () => {
		const user = await createUser(a.http);
		await b.http.get("/api/v3/auth/me").set(user.auth).expect(200); // now cached
		const admin = await loginAdmin(a.http);
		await a.http.patch(`/api/v3/auth/users/${user.user_id}`).set(admin.auth).send({ is_active: false }).expect(200);
		await b.http.get("/api/v3/auth/me").set(user.auth).expect(401);
	});

	it("migrated and bootstrapped the admin once for both nodes", async () => {
		const admin = await loginAdmin(b.http);
		const res = await b.http.get("/api/v3/auth/users?q=admin@cognitionos.test").set(admin.auth).expect(200);
		expect(res.body.total).toBe(1);
	});
});
