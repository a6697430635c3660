import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { describeWithChromium, launchChromium } from "../support/browser";
import { startTestNode, type TestNode } from "../support/broker";
import { AUTH_ENV, createUser, type TestUser } from "../support/factories";

async function runOnce(node: TestNode, user: TestUser, workflowId: string): Promise<void> {
	await node.http.post("/api/v3/workflows").set(user.auth).send({ workflow_id: workflowId, version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] }).expect(201);
	const run = await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0" }).expect(202);
	for (;;) {
		const e = await node.http.get(`/api/v3/workflows/executions/${run.body.execution_id}`).set(user.auth);
		if (e.body.status === "completed") return;
		await new Promise(r => setTimeout(r, 25));
	}
}

/**
 * Issue 15: `/metrics` showed every tenant's workflow ids as labels, the SQLite file was
 * created 0644 (webhook secrets inside), and /ws/test, /docs and /redoc sent no CSP or
 * X-Frame-Options.
 */
describe("what a node exposes (embedded)", () => {
	let node: TestNode;
	let user: TestUser;

	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
		user = await createUser(node.http);
	});
	afterAll(() => node.stop());

	it("keeps /metrics open but free of user-chosen label values: a workflow id never shows", async () => {
		await runOnce(node, user, "tenant-secret-project");
		const text = (await node.http.get("/metrics").expect(200)).text;
		expect(text).toMatch(/workflow_executions_total\{[^}]*workflow_id="all"[^}]*status="completed"/);
		expect(text).not.toContain("tenant-secret-project");
	});

	it("creates the data directory 0700 and the database 0600", () => {
		const storage = node.config.database.storage!;
		expect(statSync(storage).mode & 0o777).toBe(0o600);
		for (const extra of ["-wal", "-shm"]) {
			try {
				expect(statSync(`${storage}${extra}`).mode & 0o777).toBe(0o600);
			} catch (err) {
				if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
			}
		}
		expect(path.dirname(storage)).toBe(path.resolve(node.dataDir));
	});

	it.each(["/ws/test", "/docs", "/redoc", "/"])("sends %s with a Content-Security-Policy and frame options", async page => {
		const res = await node.http.get(page);
		expect(res.status).toBe(200);
		expect(res.headers["content-type"]).toMatch(/text\/html/);
		const csp = String(res.headers["content-security-policy"]);
		expect(csp).toMatch(/default-src 'self'/);
		expect(csp).toMatch(/frame-ancestors 'none'/);
		expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
		expect(res.headers["x-frame-options"]).toBe("DENY");
	});
});

describe("the data directory a node creates itself (embedded)", () => {
	it("is 0700", async () => {
		const parent = mkdtempSync(path.join(tmpdir(), "cos-modes-"));
		const dataDir = path.join(parent, "fresh", "data");
		const node = await startTestNode({ env: AUTH_ENV, dataDir });
		try {
			expect(statSync(dataDir).mode & 0o777).toBe(0o700);
			expect(statSync(path.join(dataDir, "cognitionos.sqlite")).mode & 0o777).toBe(0o600);
		} finally {
			await node.stop();
			rmSync(parent, { recursive: true, force: true });
		}
	});
});

describe("workflow id labels, when an operator opts in (OBSERVABILITY_METRICS_WORKFLOW_LABELS=1)", () => {
	let node: TestNode;
	let user: TestUser;

	beforeAll(async () => {
		node = await startTestNode({ env: { ...AUTH_ENV, OBSERVABILITY_METRICS_WORKFLOW_LABELS: "1" } });
		user = await createUser(node.http);
	});
	afterAll(() => node.stop());

	it("names the first workflows seen, up to the cap, and counts the rest as other", async () => {
		await runOnce(node, user, "first-one");
		await runOnce(node, user, "second-one");
		const text = (await node.http.get("/metrics").expect(200)).text;
		expect(text).toMatch(/workflow_executions_total\{[^}]*workflow_id="first-one"/);
		expect(text).toMatch(/workflow_executions_total\{[^}]*workflow_id="other"/);
		expect(text).not.toContain("second-one");
	});
});

describeWithChromium()("the documentation pages under their CSP, in a browser", () => {
	let node: TestNode;
	let browser: Browser;

	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
		browser = await launchChromium();
	}, 60000);
	afterAll(async () => {
		await browser?.close();
		await node?.stop();
	});

	it.each([
		["/docs", ".swagger-ui .info .title"],
		["/redoc", "h1"]
	])("renders %s with none of its scripts or styles refused by the CSP", async (page, selector) => {
		const tab = await browser.newPage();
		const violations: string[] = [];
		tab.on("console", m => {
			if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
		});
		await tab.goto(`${node.url}${page}`);
		await tab.locator(selector).first().waitFor();
		expect(await tab.locator(selector).first().textContent()).toContain("CognitionOS API");
		// Only a load from elsewhere may be refused (ReDoc's logo from its CDN, which the page hides when it fails): that is the policy working.
		expect(violations.filter(v => !/Loading the image 'https:\/\/cdn\.redoc\.ly\//.test(v))).toEqual([]);
		await tab.close();
	});
});
