import type { Browser } from "playwright-core";
import { describeWithChromium, launchChromium } from "../support/browser";
import { startTestNode, type TestNode } from "../support/broker";
import { AUTH_ENV, createUser, TEST_PASSWORD, type TestUser } from "../support/factories";
import { workflowDefinition } from "../support/workflows";

/** The /ws/test page in Debian's Chromium: log in, connect, subscribe, start a run, watch it. */
describeWithChromium()("the /ws/test page in a browser", () => {
	let node: TestNode;
	let browser: Browser;
	let user: TestUser;
	let workflowId: string;

	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
		user = await createUser(node.http);
		const definition = workflowDefinition("rt-page");
		workflowId = definition.workflow_id;
		expect((await node.http.post("/api/v3/workflows").set(user.auth).send(definition)).status).toBe(201);
		expect((await node.http.post(`/api/v3/workflows/${workflowId}/1.0.0/status`).set(user.auth).send({ status: "active" })).status).toBe(200);
		browser = await launchChromium();
	}, 60000);

	afterAll(async () => {
		await browser?.close();
		await node?.stop();
	});

	it.each(["websocket", "socketio"])("shows a run's messages over %s", async transport => {
		const page = await browser.newPage();
		const offsite: string[] = [];
		page.on("request", r => {
			if (!r.url().startsWith(node.url)) offsite.push(r.url());
		});
		await page.goto(`${node.url}/ws/test`);
		await page.fill("#email", user.email);
		await page.fill("#password", TEST_PASSWORD);
		await page.click("#login");
		// A page function (run in the browser): the login filled in the token. A function, not a string: the page's CSP allows no eval.
		await page.waitForFunction(() => (document.getElementById("token") as HTMLInputElement).value.length > 20);
		await page.selectOption("#transport", transport);
		await page.click("#connect");
		await page.waitForSelector("#state[data-state=open]");
		await page.waitForSelector("#log li[data-type=connected]");
		await page.fill("#sub-workflow", workflowId);
		await page.click("#subscribe");
		await page.waitForSelector("#log li[data-type=subscribed]");
		await page.fill("#run-workflow", workflowId);
		await page.click("#run");
		const done = page.locator("#log li[data-type=workflow_status]", { hasText: '"status":"completed"' });
		await done.first().waitFor();
		expect(await done.first().textContent()).toContain('"progress":100');
		expect(await page.locator("#progress").evaluate(el => (el as unknown as { value: number }).value)).toBe(100);
		expect(await page.locator("#log li[data-type=event]").count()).toBeGreaterThan(2);
		expect(offsite).toEqual([]);
		await page.close();
	});
});
