/**
 * The dashboard as a newcomer meets it, in Debian's Chromium: signing up, the pages the
 * API already had (notifications, usage and cost, webhooks), a waiting delay's countdown,
 * no favicon 404, graph labels inside their boxes, and a phone-sized screen that never
 * scrolls sideways. Screenshots go to test-results/dashboard/.
 */
import type { Browser, Page } from "playwright-core";
import { startTestNode, type TestNode } from "../support/broker";
import { describeWithChromium, launchChromium, screenshot } from "../support/browser";

// Waits in the browser are for things the server does (a run ending); they fail the test when they run out.
const RUN_TIMEOUT_MS = 30_000;
const PHONE = { width: 375, height: 740 };

const SLOW = `workflow:
  id: long-named-pipeline
  version: "1.0.0"
  steps:
    - id: prepare_every_customer_invoice_for_the_quarter
      name: Prepare every customer invoice for the quarter
      type: transform
      params:
        expression: "1"
    - id: wait_for_the_bank_settlement_window
      type: delay
      depends_on: [prepare_every_customer_invoice_for_the_quarter]
      condition: \${{ steps.prepare_every_customer_invoice_for_the_quarter.output }} == 1
      params:
        duration: 10m
`;

describeWithChromium()("the dashboard for a newcomer", () => {
	let node: TestNode;
	let browser: Browser;
	let page: Page;
	const email = `newcomer-${process.pid}@example.com`;
	const missing: string[] = [];

	beforeAll(async () => {
		node = await startTestNode();
		browser = await launchChromium();
		page = await browser.newPage();
		page.on("response", r => {
			if (r.status() === 404) missing.push(r.url());
		});
	});
	afterAll(async () => {
		await browser?.close();
		await node.stop();
	});

	const api = () => page.evaluate(() => JSON.parse(sessionStorage.getItem("cognitionos.tokens") ?? "null") as { access_token: string } | null);

	it("signs up from the sign-in page and is signed in at once; the icon is served", async () => {
		await page.goto(`${node.url}/`);
		await page.getByRole("link", { name: "Create an account" }).click();
		await page.getByRole("heading", { name: "Create an account" }).waitFor();
		await page.getByLabel("Email").fill(email);
		await page.getByLabel("Password").fill("newcomer-password-1");
		await page.getByRole("button", { name: "Create the account" }).click();
		await page.getByText(email).waitFor();
		await page.getByRole("heading", { name: "Workflows" }).waitFor();
		await screenshot(page, "first-hour-01-signed-up");
		const icon = await node.http.get("/favicon.ico").expect(200);
		expect(icon.headers["content-type"]).toBe("image/svg+xml");
	});

	it("counts a waiting delay down, draws long labels inside their boxes, and notifies when a run ends", async () => {
		const { access_token } = (await api())!;
		const auth = { Authorization: `Bearer ${access_token}` };
		await node.http.post("/api/v3/workflows").set(auth).set("Content-Type", "application/yaml").send(SLOW).expect(201);
		const run = await node.http.post("/api/v3/workflows/execute").set(auth).send({ workflow_id: "long-named-pipeline", workflow_version: "1.0.0" }).expect(202);
		await page.goto(`${node.url}/#/executions/${run.body.execution_id}`);
		const countdown = page.locator('[data-step-id="wait_for_the_bank_settlement_window"] .countdown');
		await countdown.getByText(/^Resumes in (9|10) min \d\d s$/).waitFor({ timeout: RUN_TIMEOUT_MS });
		const before = await countdown.textContent();
		// The countdown moves by itself, with no message from the server.
		await page.waitForFunction(was => document.querySelector('[data-step-id="wait_for_the_bank_settlement_window"] .countdown')?.textContent !== was, before, { timeout: RUN_TIMEOUT_MS });
		const overflowing = await page.evaluate(() =>
			[...document.querySelectorAll(".dag .node")].flatMap(node => {
				const box = (node.querySelector("rect") as SVGRectElement).getBBox();
				return [...node.querySelectorAll("text")]
					.filter(t => t.textContent)
					.filter(t => {
						const b = (t as SVGTextElement).getBBox();
						return b.x < box.x || b.x + b.width > box.x + box.width || b.y < box.y || b.y + b.height > box.y + box.height;
					})
					.map(t => `${node.getAttribute("data-step-id")}: ${t.textContent}`);
			})
		);
		expect(overflowing).toEqual([]);
		await screenshot(page, "first-hour-02-countdown");
		await node.http.post(`/api/v3/workflows/executions/${run.body.execution_id}/cancel`).set(auth).expect(200);
		const quick = await node.http.post("/api/v3/workflows").set(auth).send({ workflow_id: "quick", version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
		expect(quick.status).toBe(201);
		await node.http.post("/api/v3/workflows/execute").set(auth).send({ workflow_id: "quick", workflow_version: "1.0.0" }).expect(202);
		await page.goto(`${node.url}/#/notifications`);
		await page.getByText("quick 1.0.0 completed", { exact: false }).first().waitFor({ timeout: RUN_TIMEOUT_MS });
		await page.getByRole("button", { name: "Mark all read" }).click();
		await page.getByText("0 unread").waitFor({ timeout: RUN_TIMEOUT_MS });
		await screenshot(page, "first-hour-03-notifications");
	});

	it("shows usage and cost, and manages webhooks with the secret shown once", async () => {
		await page.goto(`${node.url}/#/usage`);
		const total = page.locator("table.data tfoot tr").first();
		await total.waitFor();
		expect(Number((await total.locator("td").first().textContent()) ?? 0)).toBeGreaterThanOrEqual(2);
		await screenshot(page, "first-hour-04-usage");
		await page.goto(`${node.url}/#/webhooks`);
		await page.getByLabel("Workflow id").fill("quick");
		await page.getByLabel("URL").fill("https://hooks.example.com/cognitionos");
		await page.getByRole("button", { name: "Create" }).click();
		const secret = await page.locator("code.secret").textContent();
		expect(secret).toMatch(/\S{16,}/);
		await page.getByRole("button", { name: "Disable the webhook to https://hooks.example.com/cognitionos" }).click();
		await page.locator("[data-webhook-id] .badge").getByText("disabled").waitFor();
		await screenshot(page, "first-hour-05-webhooks");
	});

	it("fits a phone-sized screen: no page scrolls sideways", async () => {
		await page.setViewportSize(PHONE);
		const wide: string[] = [];
		for (const hash of ["#/workflows", "#/executions", "#/usage", "#/webhooks", "#/notifications", "#/workflows/long-named-pipeline/1.0.0"]) {
			await page.goto(`${node.url}/${hash}`);
			await page.locator("main h1").first().waitFor();
			await page.locator("main .loading").first().waitFor({ state: "detached" });
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			if (width > PHONE.width) wide.push(`${hash}: ${width}px`);
			await screenshot(page, `first-hour-06-phone-${hash.replace(/\W+/g, "-")}`);
		}
		expect(wide).toEqual([]);
		expect(missing).toEqual([]);
	});
});
