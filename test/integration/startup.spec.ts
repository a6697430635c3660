import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import supertest from "supertest";
import { SERVER_ENTRY, startNodeProcess, type NodeProcess } from "../support/node-process";
import { AUTH_ENV, TEST_ADMIN, TEST_PASSWORD, uniqueEmail } from "../support/factories";
import { freePort } from "../support/ports";

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

	it("answers 503 while it starts, never 404 for a route that exists or 200 from /health before its routes are built", async () => {
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		const seen: { path: string; status: number; body: { status?: string; error?: string } }[] = [];
		let polling = true;
		// Asked from before the process exists until it has started: the port opens somewhere in between.
		const poll = (async () => {
			while (polling) {
				for (const [path, init] of [
					["/health", {}],
					["/api/v3/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "nobody@example.com", password: "wrong-password" }) }]
				] as const) {
					try {
						const res = await fetch(base + path, { ...init, signal: AbortSignal.timeout(2000) });
						seen.push({ path, status: res.status, body: (await res.json()) as { status?: string; error?: string } });
					} catch {
						// Not listening yet.
					}
				}
				await new Promise(r => setTimeout(r, 2));
			}
		})();
		node = await startNodeProcess({ ...env, API_PORT: String(port) });
		await supertest(node.url!).get("/health").expect(200);
		polling = false;
		await poll;
		expect(seen.filter(s => s.status === 404)).toEqual([]);
		for (const answer of seen.filter(s => s.path === "/health" && s.status !== 200)) expect(answer).toMatchObject({ status: 503, body: { status: "starting" } });
		for (const answer of seen.filter(s => s.path !== "/health" && s.status >= 500)) expect(answer).toMatchObject({ status: 503, body: { error: "service_unavailable" } });
		// What the login route answers once the node is up.
		expect(seen.filter(s => s.path !== "/health").at(-1)).toMatchObject({ status: 401 });
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
