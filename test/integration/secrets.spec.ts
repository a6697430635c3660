import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { embeddedHarness, execute, finished, postWorkflow, stepOf, waitForExecution, type EngineHarness } from "../support/engine-harness";
import { createUser, loginAdmin } from "../support/factories";
import type { TestNode } from "../support/broker";
import { describeWith } from "../support/env";
import { createTestDatabase } from "../support/postgres";

/**
 * Secrets: set through the API, encrypted at rest, resolved only while a step runs, and
 * masked wherever a run would write them. The proof is byte-level: after a run that sent
 * the secret to an HTTP target (which echoed it back), neither the SQLite files nor the
 * captured log lines contain it.
 */
describe("secrets (embedded)", () => {
	let h: EngineHarness & { readonly node: TestNode };
	// Random, and shaped like no token the log redaction already knows (no sk-, no Bearer).
	const value = `tok${randomBytes(12).toString("hex")}`;

	beforeAll(async () => {
		h = await embeddedHarness({ OBSERVABILITY_LOG_LEVEL: "debug" });
	});
	afterAll(() => h?.stop());

	it("stores a secret without ever answering its value", async () => {
		const put = await h.http.put("/api/v3/secrets/API_TOKEN").set(h.user.auth).send({ value });
		expect(put.status).toBe(201);
		expect(put.body).toMatchObject({ name: "API_TOKEN", shared: false });
		expect(JSON.stringify(put.body)).not.toContain(value);
		const again = await h.http.put("/api/v3/secrets/API_TOKEN").set(h.user.auth).send({ value });
		expect(again.status).toBe(200);
		const get = await h.http.get("/api/v3/secrets/API_TOKEN").set(h.user.auth);
		expect(get.status).toBe(200);
		expect(JSON.stringify(get.body)).not.toContain(value);
		const list = await h.http.get("/api/v3/secrets").set(h.user.auth);
		expect(list.body.secrets.map((s: { name: string }) => s.name)).toContain("API_TOKEN");
		// Owner-scoped: another user neither sees nor reads it.
		const other = await createUser(h.http);
		expect((await h.http.get("/api/v3/secrets/API_TOKEN").set(other.auth)).status).toBe(404);
	});

	it("validates names, sizes and who may set shared secrets", async () => {
		const bad = await h.http.put("/api/v3/secrets/not-a-name").set(h.user.auth).send({ value: "x" });
		expect(bad.status).toBe(422);
		expect(JSON.stringify(bad.body)).toContain("name");
		const empty = await h.http.put("/api/v3/secrets/EMPTY").set(h.user.auth).send({});
		expect(empty.status).toBe(422);
		expect(JSON.stringify(empty.body)).toContain("value");
		const large = await h.http.put("/api/v3/secrets/LARGE").set(h.user.auth).send({ value: "x".repeat(64 * 1024 + 1) });
		expect(large.status).toBe(422);
		expect(large.body.detail).toEqual([expect.objectContaining({ path: "value" })]);
		expect((await h.http.put("/api/v3/secrets/SHARED_ONE?shared=true").set(h.user.auth).send({ value: "shared-value" })).status).toBe(403);
		const admin = await loginAdmin(h.http);
		expect((await h.http.put("/api/v3/secrets/SHARED_ONE?shared=true").set(admin.auth).send({ value: "shared-value" })).status).toBe(201);
		const listed = await h.http.get("/api/v3/secrets").set(h.user.auth);
		expect(listed.body.secrets).toContainEqual(expect.objectContaining({ name: "SHARED_ONE", shared: true }));
		expect((await h.http.delete("/api/v3/secrets/SHARED_ONE?shared=true").set(admin.auth)).status).toBe(204);
	});

	it("refuses secrets outside step params at upload, and warns of ones that do not exist", async () => {
		const inCondition = await h.http
			.post("/api/v3/workflows")
			.set(h.user.auth)
			.send({ workflow_id: "secret-cond", version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" }, condition: "${{ secrets.API_TOKEN }} == 'x'" }] });
		expect(inCondition.status).toBe(422);
		expect(JSON.stringify(inCondition.body.detail)).toContain("steps[0].condition");
		const missing = await h.http
			.post("/api/v3/workflows")
			.set(h.user.auth)
			.send({ workflow_id: "secret-missing", version: "1.0.0", steps: [{ id: "call", type: "http_request", params: { url: `${h.target.url}/headers`, headers: { "x-token": "${{ secrets.NOT_SET }}" } } }] });
		expect(missing.status).toBe(201);
		expect(missing.body.warnings).toEqual([{ path: "steps[0].params", message: expect.stringContaining("NOT_SET") }]);
		const e = await waitForExecution(h, await execute(h, "secret-missing"), finished);
		expect(e.status).toBe("failed");
		expect(stepOf(e, "call").error).toMatchObject({ type: "secret_missing", message: expect.stringContaining("NOT_SET") });
	});

	it("sends the secret to the target, and no stored or logged byte contains it", async () => {
		await postWorkflow(h, {
			workflow_id: "secret-use",
			version: "1.0.0",
			steps: [
				{ id: "call", type: "http_request", params: { url: `${h.target.url}/headers`, headers: { "x-api-token": "${{ secrets.API_TOKEN }}", authorization: "Token ${{ secrets.API_TOKEN }}" } } },
				{ id: "echo", type: "http_request", params: { method: "POST", url: `${h.target.url}/echo`, body: { token: "${{ secrets.API_TOKEN }}", seen: "${{ steps.call.output.body.headers }}" } }, depends_on: ["call"] },
				{ id: "copy", type: "transform", params: { expression: "steps.echo.output.body" }, depends_on: ["echo"] },
				{ id: "fail", type: "http_request", params: { url: `${h.target.url}/nothing/\${{ secrets.API_TOKEN }}` }, depends_on: ["copy"] }
			]
		});
		const id = await execute(h, "secret-use");
		const e = await waitForExecution(h, id, finished);
		// The target got the real value.
		const seen = h.target.headers.get(`${id}:call:1`)!;
		expect(seen["x-api-token"]).toBe(value);
		expect(seen.authorization).toBe(`Token ${value}`);
		// What the run shows has it masked: the echoed headers, the echoed body, the error naming the URL.
		expect(stepOf(e, "call").output).toMatchObject({ body: { headers: { "x-api-token": "***", authorization: "Token ***" } } });
		expect(stepOf(e, "copy").output).toMatchObject({ token: "***" });
		expect(e.status).toBe("failed");
		expect(stepOf(e, "fail").error!.message).toContain("/nothing/***");
		expect(JSON.stringify(e)).not.toContain(value);
		const events = await h.http.get(`/api/v3/workflows/executions/${id}`).set(h.user.auth);
		expect(JSON.stringify(events.body)).not.toContain(value);

		// Byte level: the database files (WAL included) and every captured log line.
		const logs = h.node.logs.text();
		const dataDir = h.node.dataDir;
		await h.restartWorkers();
		const files = readdirSync(dataDir).filter(f => f.startsWith("cognitionos.sqlite"));
		expect(files).toContain("cognitionos.sqlite");
		for (const file of files) expect(readFileSync(path.join(dataDir, file)).includes(Buffer.from(value))).toBe(false);
		expect(logs.length).toBeGreaterThan(0);
		expect(logs).not.toContain(value);
		expect(h.node.logs.text()).not.toContain(value);
		// The value is there, encrypted: the row exists and a run after the restart still reads it.
		const [row] = await h.sql<{ value: string; key_id: string }>("SELECT value, key_id FROM secrets WHERE name = 'API_TOKEN'");
		expect(row.value.startsWith(`v1:${row.key_id}:`)).toBe(true);
		const again = await waitForExecution(h, await execute(h, "secret-use"), finished);
		expect(stepOf(again, "call").status).toBe("completed");
	});
});

describeWith(["postgres"])("secrets (PostgreSQL)", () => {
	let h: EngineHarness;
	let db: { url: string; drop(): Promise<void> };
	const value = `pg${randomBytes(12).toString("hex")}`;

	beforeAll(async () => {
		db = await createTestDatabase();
		h = await embeddedHarness({ DATABASE_URL: db.url, SECRETS_ENCRYPTION_KEY: randomBytes(32).toString("hex") });
	});
	afterAll(async () => {
		await h?.stop();
		await db?.drop();
	});

	it("resolves the owner's secret before a shared one of the same name, and masks it", async () => {
		const admin = await loginAdmin(h.http);
		expect((await h.http.put("/api/v3/secrets/TOKEN?shared=true").set(admin.auth).send({ value: "shared-token-value" })).status).toBe(201);
		expect((await h.http.put("/api/v3/secrets/TOKEN").set(h.user.auth).send({ value })).status).toBe(201);
		await postWorkflow(h, { workflow_id: "secret-pg", version: "1.0.0", steps: [{ id: "call", type: "http_request", params: { url: `${h.target.url}/headers`, headers: { "x-token": "${{ secrets.TOKEN }}" } } }] });
		const id = await execute(h, "secret-pg");
		const e = await waitForExecution(h, id, finished);
		expect(e.status).toBe("completed");
		expect(h.target.headers.get(`${id}:call:1`)!["x-token"]).toBe(value);
		expect(stepOf(e, "call").output).toMatchObject({ body: { headers: { "x-token": "***" } } });
		const stored = await h.sql<{ n: string }>("SELECT COUNT(*) AS n FROM step_runs WHERE execution_id = $1 AND output::text LIKE $2", [id, `%${value}%`]);
		expect(Number(stored[0].n)).toBe(0);
	});
});
