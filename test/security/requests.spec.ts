import type { TestUser } from "../support/factories";
import { AUTH_ENV, createUser, loginAdmin, TEST_PASSWORD, uniqueEmail } from "../support/factories";
import { startTestNode, type TestNode } from "../support/broker";
import { embeddedHarness, execute, finished, postWorkflow, stepOf, waitForExecution, type EngineHarness } from "../support/engine-harness";

interface AliasInfo {
	actionName: string;
	fullPath: string;
	methods: string;
	routePath: string;
	action?: { params?: Record<string, unknown> };
}

/**
 * Issue 15's bad inputs and over-broad rights: every one is a 4xx naming the field, never
 * a 5xx; a read-only API key changes nothing; registration is throttled per address.
 */
describe("hostile requests (embedded)", () => {
	let node: TestNode;
	let admin: TestUser;

	beforeAll(async () => {
		// The default registration throttle (20 a minute per address), not the tests' relaxed one.
		node = await startTestNode({ env: { ...AUTH_ENV, SECURITY_REGISTER_MAX_PER_IP: "20" } });
		admin = await loginAdmin(node.http);
	});
	afterAll(() => node.stop());

	it("answers ?page=1e308 on every paged list with a 422 naming page", async () => {
		const aliases = (await node.broker.call("api.listAliases", { withActionSchema: true })) as AliasInfo[];
		const paged = aliases.filter(a => a.routePath === "/api/v3" && a.methods === "GET" && a.action?.params && "page" in a.action.params);
		expect(paged.length).toBeGreaterThan(3);
		const answers: string[] = [];
		for (const route of paged) {
			const path = route.fullPath.replace(/:([A-Za-z_]+)\??/g, "00000000-0000-4000-8000-000000000000");
			const res = await node.http.get(path).query({ page: "1e308" }).set(admin.auth);
			const named = Array.isArray(res.body.detail) && res.body.detail.some((d: { path: string }) => d.path === "page");
			if (res.status !== 422 || !named) answers.push(`${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
		}
		expect(answers).toEqual([]);
	});

	it("refuses a NUL in a login or registration email with a 4xx naming email, and accepts none into the users table", async () => {
		const login = await node.http.post("/api/v3/auth/login").send({ email: "a\u0000@example.com", password: TEST_PASSWORD });
		expect(login.status).toBe(422);
		expect(login.body.detail[0].path).toBe("email");
		const register = await node.http.post("/api/v3/auth/register").send({ email: "b\u0000@example.com", password: TEST_PASSWORD });
		expect(register.status).toBe(422);
		expect(register.body.detail[0].path).toBe("email");
		const users = await node.http.get("/api/v3/auth/users").query({ page_size: 100 }).set(admin.auth).expect(200);
		expect(users.body.users.filter((u: { email: string }) => u.email.includes("\u0000"))).toEqual([]);
	});

	it("answers a body that says gzip or br but is not, with a 4xx", async () => {
		for (const encoding of ["gzip", "br", "deflate"]) {
			const res = await node.http.post("/api/v3/auth/login").set("Content-Type", "application/json").set("Content-Encoding", encoding).send('{"email":"x@example.com"}');
			expect({ encoding, status: res.status, error: res.body.error }).toEqual({ encoding, status: 400, error: "invalid_body" });
		}
	});

	it("refuses a schedule that never fires (0 0 30 2 *) with a 422 naming schedule", async () => {
		const user = await createUser(node.http);
		const res = await node.http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({ workflow_id: "february-30", version: "1.0.0", schedule: "0 0 30 2 *", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
		expect(res.status).toBe(422);
		expect(res.body.detail).toEqual([expect.objectContaining({ path: "schedule", message: expect.stringMatching(/never fires/) })]);
	});

	it("lets a read-scoped API key read, and nothing else: no revoking keys, no marking notifications read", async () => {
		const user = await createUser(node.http);
		const other = await node.http.post("/api/v3/auth/api-keys").set(user.auth).send({ name: "other" }).expect(201);
		const readKey = await node.http.post("/api/v3/auth/api-keys").set(user.auth).send({ name: "reader", scopes: ["read"] }).expect(201);
		const asKey = { "X-API-Key": readKey.body.key as string };
		await node.http.get("/api/v3/auth/api-keys").set(asKey).expect(200);
		await node.http.get("/api/v3/notifications").set(asKey).expect(200);
		const revoke = await node.http.delete(`/api/v3/auth/api-keys/${other.body.id}`).set(asKey);
		expect(revoke.status).toBe(403);
		expect(revoke.body.message).toMatch(/scopes/);
		expect((await node.http.post("/api/v3/notifications/read-all").set(asKey).send({})).status).toBe(403);
		expect((await node.http.post("/api/v3/notifications/00000000-0000-4000-8000-000000000000/read").set(asKey).send({})).status).toBe(403);
		// The key the read key could not revoke still works; the signed-in user can revoke it.
		await node.http.get("/api/v3/auth/me").set({ "X-API-Key": other.body.key as string }).expect(200);
		await node.http.delete(`/api/v3/auth/api-keys/${other.body.id}`).set(user.auth).expect(204);
	});

	it("throttles registration to 20 a minute per address (429 with Retry-After), before any password is hashed", async () => {
		// The users created above took some of this address's 20.
		const statuses: number[] = [];
		for (let i = 0; i < 25; i++) statuses.push((await node.http.post("/api/v3/auth/register").send({ email: uniqueEmail("flood"), password: TEST_PASSWORD })).status);
		const created = statuses.filter(s => s === 201).length;
		expect(created).toBeLessThanOrEqual(20);
		expect(statuses.slice(statuses.indexOf(429))).toEqual(statuses.slice(statuses.indexOf(429)).map(() => 429));
		const refused = await node.http.post("/api/v3/auth/register").send({ email: uniqueEmail("flood"), password: TEST_PASSWORD });
		expect(refused.status).toBe(429);
		expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
	});
});

describe("timers the runtime can wait, and a bounded definition cache (embedded)", () => {
	let h: EngineHarness & { readonly node: TestNode };
	beforeAll(async () => {
		h = await embeddedHarness({ DEFINITION_CACHE_MAX_BYTES: "1mb" });
	});
	afterAll(() => h.stop());

	it("keeps a 25-day step timeout a 25-day timeout (a Node timer past 24.8 days fires after 1 ms)", async () => {
		await postWorkflow(h, { workflow_id: "long-timeout", version: "1.0.0", steps: [{ id: "call", type: "http_request", timeout: "25d", params: { url: `${h.target.url}/slow?ms=300`, timeout: "29d" } }] });
		const run = await waitForExecution(h, await execute(h, "long-timeout"), finished);
		expect(run.status).toBe("completed");
		expect(stepOf(run, "call").attempts).toBe(1);
	});

	it("keeps an approval that waits 30 days waiting", async () => {
		await postWorkflow(h, { workflow_id: "month-approval", version: "1.0.0", steps: [{ id: "gate", type: "approval", timeout: "30d" }] });
		const id = await execute(h, "month-approval");
		await waitForExecution(h, id, e => stepOf(e, "gate").waiting_for === "approval");
		// Through several sweeps, the wait holds (its due time is a month away).
		await new Promise(r => setTimeout(r, 1500));
		const run = await waitForExecution(h, id, () => true);
		expect(run.status).toBe("running");
		expect(stepOf(run, "gate").waiting_for).toBe("approval");
	});

	it("refuses delays and timeouts no timer can wait at upload, naming the field; a templated one fails its step", async () => {
		const absurd = await h.http
			.post("/api/v3/workflows")
			.set(h.user.auth)
			.send({ workflow_id: "absurd-delay", version: "1.0.0", steps: [{ id: "wait", type: "delay", params: { duration: "99999999999999999999d" } }] });
		expect(absurd.status).toBe(422);
		expect(absurd.body.detail).toEqual([expect.objectContaining({ path: "steps[0].params.duration" })]);
		const tooLong = await h.http
			.post("/api/v3/workflows")
			.set(h.user.auth)
			.send({ workflow_id: "long-http", version: "1.0.0", steps: [{ id: "call", type: "http_request", params: { url: "https://example.com", timeout: "400d" } }] });
		expect(tooLong.status).toBe(422);
		expect(tooLong.body.detail).toEqual([expect.objectContaining({ path: "steps[0].params.timeout" })]);

		await postWorkflow(h, { workflow_id: "templated-delay", version: "1.0.0", inputs: [{ name: "d", type: "string" }], steps: [{ id: "wait", type: "delay", params: { duration: "${{ inputs.d }}" } }] });
		const run = await waitForExecution(h, await execute(h, "templated-delay", { d: "99999999999999999999d" }), finished);
		expect(stepOf(run, "wait").error).toEqual(expect.objectContaining({ type: "invalid_params" }));
	});

	it("keeps the execution node's definition cache within DEFINITION_CACHE_MAX_BYTES", async () => {
		// Twelve definitions of about 200 KB each: together well past the 1 MB allowed.
		const padding = "p".repeat(200 * 1024);
		for (let i = 0; i < 12; i++) {
			await postWorkflow(h, { workflow_id: `heavy-${i}`, version: "1.0.0", description: padding, steps: [{ id: "a", type: "transform", params: { expression: `${i}` } }] });
			const run = await waitForExecution(h, await execute(h, `heavy-${i}`), finished);
			expect(run.status).toBe("completed");
		}
		const cache = (h.node.broker.getLocalService("execution") as unknown as { definitions: { totalWeight: number; size: number } }).definitions;
		expect(cache.totalWeight).toBeLessThanOrEqual(1024 * 1024);
		expect(cache.size).toBeLessThan(12);
	});
});
