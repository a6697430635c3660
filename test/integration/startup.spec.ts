import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import supertest from "supertest";
import { SERVER_ENTRY, startNodeProcess, type NodeProcess } from "../support/node-process";
import { AUTH_ENV, TEST_ADMIN, TEST_PASSWORD, uniqueEmail } from "../support/factories";

/** The real server process, as `npm start` runs it. */
describe("starting the embedded server", () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), "cos-start-"));
	const env = { ...AUTH_ENV, DATA_DIR: dataDir, API_PORT: "0", API_HOST: "127.0.0.1" };
	let node: NodeProcess | undefined;

	afterEach(async () => {
		await node?.kill();
		node = undefined;
	});
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

	it("refuses a bad setting, naming it, and exits with EX_CONFIG", () => {
		const run = spawnSync(process.execPath, [SERVER_ENTRY], {
			env: { PATH: process.env.PATH, ENV_FILE: "/dev/null", API_PORT: "eighty", TRANSPORTER: "http://nats" },
			encoding: "utf8",
			timeout: 20000
		});
		expect(run.status).toBe(78);
		expect(run.stderr).toContain('API_PORT must be an integer between 0 and 65535, got "eighty"');
		expect(run.stderr).toContain("TRANSPORTER must be a URL starting with nats:// or tls://");
	});

	it("answers /health, and keeps its data across a restart", async () => {
		node = await startNodeProcess(env);
		const http = supertest(node.url!);
		const health = await http.get("/health").expect(200);
		expect(health.body).toMatchObject({ status: "ok", mode: "embedded", database: "ok" });

		const email = uniqueEmail("restart");
		await http.post("/api/v3/auth/register").send({ email, password: TEST_PASSWORD }).expect(201);
		expect(await node.stop()).toBe(0);

		node = await startNodeProcess(env);
		const again = supertest(node.url!);
		await again.post("/api/v3/auth/login").send({ email, password: TEST_PASSWORD }).expect(200);
		// The configured admin was created once, not once per start.
		const admin = await again.post("/api/v3/auth/login").send(TEST_ADMIN).expect(200);
		const users = await again.get(`/api/v3/auth/users?q=${TEST_ADMIN.email}`).set("Authorization", `Bearer ${admin.body.access_token}`).expect(200);
		expect(users.body.total).toBe(1);
	});

	it("finishes in-flight requests on SIGTERM, refuses new connections, and exits 0", async () => {
		// bcrypt at cost 13 makes a login take a few hundred milliseconds: a request that is surely in flight.
		// Debug level logs each request as it arrives, so SIGTERM is sent only once the login is in flight.
		node = await startNodeProcess({ ...env, SECURITY_BCRYPT_ROUNDS: "13", OBSERVABILITY_LOG_LEVEL: "debug" });
		const http = supertest(node.url!);
		const email = uniqueEmail("drain");
		await http.post("/api/v3/auth/register").send({ email, password: TEST_PASSWORD }).expect(201);

		const inFlight = http.post("/api/v3/auth/login").send({ email, password: TEST_PASSWORD });
		const pending = inFlight.then(r => r);
		await node.waitForLog(l => l.msg === "=> POST /api/v3/auth/login");
		node.proc.kill("SIGTERM");
		await node.waitForLog(l => (l.msg ?? "").startsWith("SIGTERM received"));
		await expect(supertest(node.url!).get("/health/live").timeout(2000)).rejects.toThrow();

		const res = await pending;
		expect(res.status).toBe(200);
		expect(res.body.access_token).toEqual(expect.any(String));
		expect(await node.exited).toBe(0);
	});
});
