import type supertest from "supertest";

type Http = ReturnType<typeof supertest>;

let seq = 0;

/** An email no other test (or parallel worker) uses. */
export function uniqueEmail(tag = "user"): string {
	return `${tag}-${process.pid}-${Date.now().toString(36)}-${++seq}@example.com`;
}

export const TEST_PASSWORD = "correct-horse-battery";
export const TEST_ADMIN = { email: "admin@cognitionos.test", password: "admin-password-123" };
export const TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789";

/** Settings every auth-aware test node uses: a known signing key, a configured admin, cheap bcrypt. */
export const AUTH_ENV = {
	SECURITY_SECRET_KEY: TEST_SECRET,
	SECURITY_ADMIN_EMAIL: TEST_ADMIN.email,
	SECURITY_ADMIN_PASSWORD: TEST_ADMIN.password,
	SECURITY_BCRYPT_ROUNDS: "4"
};

export interface TestUser {
	user_id: string;
	email: string;
	password: string;
	token: string;
	refresh_token: string;
	auth: { Authorization: string };
}

export async function login(http: Http, email: string, password: string): Promise<TestUser> {
	const res = await http.post("/api/v3/auth/login").send({ email, password });
	if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
	const me = await http.get("/api/v3/auth/me").set("Authorization", `Bearer ${res.body.access_token}`);
	return {
		user_id: me.body.user_id,
		email,
		password,
		token: res.body.access_token,
		refresh_token: res.body.refresh_token,
		auth: { Authorization: `Bearer ${res.body.access_token}` }
	};
}

export function loginAdmin(http: Http): Promise<TestUser> {
	return login(http, TEST_ADMIN.email, TEST_ADMIN.password);
}

/** Registers and signs in a new user; with `role` other than user, an admin grants it. */
export async function createUser(http: Http, opts: { role?: "user" | "viewer" | "admin"; tag?: string } = {}): Promise<TestUser> {
	const email = uniqueEmail(opts.tag ?? opts.role ?? "user");
	const reg = await http.post("/api/v3/auth/register").send({ email, password: TEST_PASSWORD });
	if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
	if (opts.role && opts.role !== "user") {
		const admin = await loginAdmin(http);
		const res = await http.patch(`/api/v3/auth/users/${reg.body.user_id}`).set(admin.auth).send({ roles: [opts.role] });
		if (res.status !== 200) throw new Error(`role change failed: ${res.status} ${JSON.stringify(res.body)}`);
	}
	return login(http, email, TEST_PASSWORD);
}
