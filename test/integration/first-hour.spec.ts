/**
 * What a newcomer meets in the first hour with the server itself: the start-up line that
 * says how to get in, every metric family declared from start-up, and a YAML body sent
 * without its Content-Type answered with what to send.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { PRODUCT_METRICS, DB_POOL_METRICS } from "../../mixins/metrics";
import { STEP_TYPE_NAMES } from "../../lib/steps";
import type { Browser } from "playwright-core";
import { startTestNode, type TestNode } from "../support/broker";
import { describeWithChromium, launchChromium } from "../support/browser";
import { createUser, type TestUser } from "../support/factories";
import { startNodeProcess } from "../support/node-process";
import { promtool, promtoolAvailable } from "../support/promtool";
import { runRepl } from "../support/repl";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";

const withPromtool = promtoolAvailable() ? it : it.skip;
const HELLO = readFileSync(path.resolve(__dirname, "../../examples/hello.yaml"), "utf8");

describe("a fresh embedded server", () => {
	let node: TestNode;
	let user: TestUser;
	let metrics: string;

	beforeAll(async () => {
		node = await startTestNode();
		// The first request of all: nothing has run, nobody has signed in.
		metrics = (await node.http.get("/metrics").expect(200)).text;
		user = await createUser(node.http, { tag: "first-hour" });
	});
	afterAll(() => node.stop());

	it("declares every metric family from start-up, with zero series where the labels are known", () => {
		// SQLite has no pool: the pool gauges belong to PostgreSQL nodes only.
		const declared = PRODUCT_METRICS.filter(m => !DB_POOL_METRICS.includes(m));
		const missing = declared.filter(m => !metrics.includes(`# HELP ${m.name} `) || !new RegExp(`^# TYPE ${m.name} (counter|gauge|histogram)$`, "m").test(metrics));
		expect(missing.map(m => m.name)).toEqual([]);
		for (const reason of ["missing_credentials", "invalid_token", "forbidden", "invalid_credentials", "throttled", "token_reuse"]) expect(metrics).toContain(`auth_failures_total{reason="${reason}"} 0`);
		expect(metrics).toContain('websocket_connections{transport="socketio"} 0');
		expect(metrics).toContain('websocket_messages_dropped_total{transport="websocket",reason="slow_client"} 0');
		expect(metrics).toContain('webhook_deliveries_total{status="failed"} 0');
		for (const type of STEP_TYPE_NAMES) expect(metrics).toContain(`workflow_steps_executed_total{step_type="${type}",status="failed"} 0`);
		expect(metrics).toMatch(/^workflow_lease_recoveries_total 0$/m);
	});

	withPromtool("passes promtool check metrics before anything has run", () => {
		const check = promtool(["check", "metrics"], metrics);
		expect(check).toMatchObject({ code: 0 });
	});

	it("answers a YAML workflow sent without its Content-Type with what to send", async () => {
		for (const contentType of [undefined, "application/x-www-form-urlencoded", "text/plain"]) {
			const req = node.http.post("/api/v3/workflows").set(user.auth);
			const res = await (contentType ? req.set("Content-Type", contentType) : req.unset("Content-Type")).send(Buffer.from(HELLO));
			expect([contentType, res.status, res.body.error]).toEqual([contentType, 415, "unsupported_media_type"]);
			expect(res.body.message).toContain("send Content-Type: application/yaml");
		}
		const empty = await node.http.post("/api/v3/workflows").set(user.auth).expect(400);
		expect(empty.body.message).toContain("send Content-Type: application/yaml");
		await node.http.post("/api/v3/workflows").set(user.auth).set("Content-Type", "application/yaml").send(HELLO).expect(201);
	});
});

describe("npm start's log", () => {
	it("says where to open the dashboard and how to get in, as JSON lines when piped", async () => {
		for (const admin of ["", "owner@example.com"]) {
			const dataDir = mkdtempSync(path.join(tmpdir(), "cos-first-hour-"));
			const env: Record<string, string> = { API_PORT: "0", API_HOST: "127.0.0.1", DATA_DIR: dataDir };
			if (admin) Object.assign(env, { SECURITY_ADMIN_EMAIL: admin, SECURITY_ADMIN_PASSWORD: "owner-password-1", SECURITY_BCRYPT_ROUNDS: "4" });
			const proc = await startNodeProcess(env);
			try {
				const line = await proc.waitForLog(l => typeof l.msg === "string" && l.msg.startsWith("Open http://"));
				expect(line.msg).toContain(`Open http://127.0.0.1:${proc.port}/ and `);
				expect(line.msg).toContain(admin ? `sign in as ${admin} (SECURITY_ADMIN_EMAIL)` : "create an account on the sign-up page (no admin is configured");
				expect(line.msg).toContain(`npx cognitionos login --server http://127.0.0.1:${proc.port}`);
			} finally {
				await proc.stop();
				rmSync(dataDir, { recursive: true, force: true });
			}
		}
	});
});

describeWithChromium()("the API documentation pages in a browser", () => {
	let node: TestNode;
	let browser: Browser;

	beforeAll(async () => {
		node = await startTestNode();
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		await node.stop();
	});

	it.each(["/redoc", "/docs"])("%s renders the API and fetches nothing from another origin", async pagePath => {
		const page = await browser.newPage();
		const fetched: string[] = [];
		const blocked: string[] = [];
		const foreign = (url: string) => !url.startsWith(node.url) && !url.startsWith("data:") && !url.startsWith("blob:");
		page.on("response", r => {
			if (foreign(r.url())) fetched.push(r.url());
		});
		page.on("requestfailed", r => {
			if (foreign(r.url())) blocked.push(`${r.url()} ${r.failure()?.errorText}`);
		});
		await page.goto(node.url + pagePath);
		// Both pages show the served document's description once they have read it.
		await page.getByText("Durable runtime for AI workflows").first().waitFor({ timeout: 30000 });
		expect(fetched).toEqual([]);
		// ReDoc's menu asks for a logo on a CDN: the page's policy stops it in the browser.
		for (const b of blocked) expect(b).toMatch(/ (csp|net::ERR_BLOCKED_BY_CSP)$/);
		await page.close();
	});
});

describe("the operator REPL, embedded (npm run repl)", () => {
	const ADMIN = { email: "owner@example.com", password: "owner-password-1" };

	it("says at once, before booting anything, that no operator is set", async () => {
		const res = await runRepl({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "cos-repl-")), API_PORT: "0" }, []);
		expect(res.code).toBe(78);
		expect(res.stderr).toContain("Set REPL_OPERATOR_EMAIL (or SECURITY_ADMIN_EMAIL)");
		expect(res.stderr).not.toContain("Moleculer");
	});

	it("says at once that the port is taken (npm start is running)", async () => {
		const taken = createServer();
		await new Promise<void>(resolve => taken.listen(0, "127.0.0.1", resolve));
		try {
			const port = (taken.address() as AddressInfo).port;
			const res = await runRepl({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "cos-repl-")), API_HOST: "127.0.0.1", API_PORT: String(port), SECURITY_ADMIN_EMAIL: ADMIN.email, SECURITY_ADMIN_PASSWORD: ADMIN.password }, []);
			expect(res.code).toBe(75);
			expect(res.stderr).toContain(`Port ${port} (API_PORT) is in use: is \`npm start\` running?`);
			expect(res.stderr).not.toContain("Moleculer");
		} finally {
			taken.close();
		}
	});

	it("answers `call workflow.list` with what it needs instead of a TypeError, and shows owners as emails", async () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), "cos-repl-"));
		const env = { DATA_DIR: dataDir, API_HOST: "127.0.0.1", API_PORT: "0", SECURITY_ADMIN_EMAIL: ADMIN.email, SECURITY_ADMIN_PASSWORD: ADMIN.password, SECURITY_BCRYPT_ROUNDS: "4" };
		// A user's workflow in the data directory the REPL then opens.
		const node = await startTestNode({ dataDir, env });
		const user = await createUser(node.http, { tag: "repl-owner" });
		await node.http.post("/api/v3/workflows").set(user.auth).set("Content-Type", "application/yaml").send(HELLO).expect(201);
		await node.stop();
		const res = await runRepl(env, ["call workflow.list", "workflows"]);
		expect(res.stdout + res.stderr).not.toContain("TypeError");
		expect(res.stdout + res.stderr).toContain("workflow.list acts for a user and was called without one");
		expect(res.stdout).toMatch(new RegExp(`hello\\s+1\\.0\\.0\\s+active\\s+2\\s+-\\s+${user.email.replace(/[.+]/g, "\\$&")}`));
		rmSync(dataDir, { recursive: true, force: true });
	});
});
