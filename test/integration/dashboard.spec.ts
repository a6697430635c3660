/**
 * The web dashboard in Debian's Chromium, driven by playwright-core against a real
 * gateway: sign in with the keyboard, upload a workflow (and see a validation error on
 * its line), run it and watch every node turn green without a reload, approve a waiting
 * step, see a failure's error, and the admin pages. Screenshots land in
 * test-results/dashboard/ (gitignored) for a reviewer.
 */
import { randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { appendToOutbox, domainEvent } from "../../lib/events/outbox";
import { runtimeOf } from "../../lib/runtime";
import { startTestNode, type TestNode } from "../support/broker";
import { describeWithChromium, graphNodeContrast, launchChromium, lowContrast, screenshot, unnamedControls } from "../support/browser";
import { FakeLlmServer, type RecordedRequest } from "../support/fake-llm-server";
import { AUTH_ENV, createUser, loginAdmin, TEST_ADMIN, type TestUser } from "../support/factories";

// Waits in the browser are for things the server does (a run finishing); they fail the test when they run out.
const RUN_TIMEOUT_MS = 30_000;

/** Keeps every Content-Security-Policy violation of the context's pages, for `cspViolations`. */
async function recordCspViolations(context: BrowserContext): Promise<void> {
	await context.addInitScript(() =>
		document.addEventListener("securitypolicyviolation", e => {
			const w = window as unknown as { cspViolations?: string[] };
			(w.cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
		})
	);
}

/** The violations the page's policy reported since it loaded. */
function cspViolations(page: Page): Promise<string[]> {
	return page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
}

const INVALID_YAML = `workflow:
  id: broken-pipeline
  version: "1.0.0"
  steps:
    - id: fetch
      type: transform
      params:
        expression: "1"
    - id: deploy
      type: git_clone
      depends_on: [fetch]
    - id: report
      type: transform
      depends_on: [nowhere]
      params:
        expression: "2"
`;

const AGENT_HELPER_YAML = `workflow:
  id: lookup-helper
  version: "1.0.0"
  description: Looks a word up
  inputs:
    - name: word
      type: string
      required: true
  outputs:
    - name: answer
      value: \${{ steps.find.output }}
  steps:
    - id: find
      type: transform
      params:
        expression: "'found ' & inputs.word"
`;

const AGENT_YAML = `workflow:
  id: desk-agent
  version: "1.0.0"
  steps:
    - id: ask
      type: agent
      params:
        prompt: Please lookup the word tea
        stream: true
        tools:
          - name: lookup
            workflow_id: lookup-helper
            version: "1.0.0"
            approval_required: true
`;

const REPORT_YAML = `workflow:
  id: weekly-report
  version: "1.0.0"
  name: Weekly report
  description: Gathers numbers, summarises them, and publishes
  inputs:
    - name: team
      type: string
      required: true
    - name: region
      type: enum
      values: [emea, apac, amer]
      default: emea
    - name: weeks
      type: integer
      default: 2
  steps:
    - id: gather
      type: transform
      params:
        expression: "{'team': inputs.team, 'weeks': inputs.weeks}"
    - id: pause
      type: delay
      depends_on: [gather]
      params:
        duration: 5s
    - id: totals
      type: transform
      depends_on: [pause]
      params:
        expression: "steps.gather.output.weeks * 10"
    - id: summary
      type: ai_generate
      depends_on: [gather]
      params:
        prompt: "Summarise the week of team \${{ inputs.team }} in \${{ inputs.region }}"
        stream: true
    - id: publish
      type: transform
      depends_on: [totals, summary]
      condition: \${{ inputs.weeks }} > 0
      params:
        expression: "'published ' & $string(steps.totals.output)"
`;

const APPROVAL_YAML = `workflow:
  id: release-gate
  version: "1.0.0"
  steps:
    - id: build
      type: transform
      params:
        expression: "'built'"
    - id: sign_off
      type: approval
      depends_on: [build]
      params:
        message: Ship it?
    - id: ship
      type: transform
      depends_on: [sign_off]
      params:
        expression: "'shipped'"
`;

const FAILING_YAML = `workflow:
  id: stock-check
  version: "1.0.0"
  steps:
    - id: count
      type: transform
      params:
        expression: "0"
    - id: check
      type: transform
      depends_on: [count]
      params:
        expression: "steps.count.output = 0 ? $error('Inventory is empty') : 'ok'"
    - id: order
      type: transform
      depends_on: [check]
      params:
        expression: "'ordered'"
`;

describe("dashboard routes on the gateway", () => {
	let node: TestNode;
	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
	});
	afterAll(() => node?.stop());

	it("serves the page at / and its built files under /dashboard/, nothing else", async () => {
		const page = await node.http.get("/").expect(200);
		expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
		expect(page.text).toContain('<script type="module" src="/dashboard/app.js"></script>');
		const script = await node.http.get("/dashboard/app.js").set("Accept-Encoding", "gzip").expect(200);
		expect(script.headers["content-type"]).toBe("application/javascript; charset=utf-8");
		expect(script.headers["content-encoding"]).toBe("gzip");
		await node.http.get("/dashboard/app.css").expect("Content-Type", "text/css; charset=utf-8").expect(200);
		for (const url of ["/dashboard/nope.js", "/dashboard/index.html", "/dashboard/..%2Fpackage.json", "/dashboard/%2E%2E%2F%2E%2E%2Fpackage.json"]) {
			const res = await node.http.get(url);
			expect({ url, status: res.status, error: res.body.error }).toEqual({ url, status: 404, error: "not_found" });
		}
	});

	it("leaves the docs, probes, metrics and API where they were", async () => {
		await node.http.get("/docs").expect(200).expect(/swagger-ui/);
		await node.http.get("/redoc").expect(200);
		await node.http.get("/openapi.json").expect(200).expect("Content-Type", /json/);
		await node.http.get("/metrics").expect(200).expect(/http_requests_total/);
		await node.http.get("/health/live").expect(200);
		await node.http.get("/api/v3/auth/me").expect(401);
		await node.http.get("/ws/test").expect(200).expect("Content-Type", /html/);
		await node.http.get("/socket.io/?EIO=4&transport=polling").expect(200);
		// The page has no place in the API's document.
		const doc = await node.http.get("/openapi.json");
		expect(Object.keys(doc.body.paths).filter(p => !p.startsWith("/api/v3/") && !p.startsWith("/health"))).toEqual([]);
	});
});

describeWithChromium()("web dashboard in Chromium", () => {
	let node: TestNode;
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;
	const pageErrors: string[] = [];

	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
		browser = await launchChromium();
		context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
		// Offline: the page may reach its own origin only (no CDN); anything else fails the test below.
		const foreign: string[] = [];
		await context.route(/.*/, route => {
			const url = new URL(route.request().url());
			if (url.origin === node.url) return route.continue();
			foreign.push(url.href);
			return route.abort();
		});
		(context as unknown as { foreign: string[] }).foreign = foreign;
		// The page's Content-Security-Policy must never have to block anything the dashboard does.
		await recordCspViolations(context);
		page = await context.newPage();
		page.setDefaultTimeout(RUN_TIMEOUT_MS);
		page.on("pageerror", err => pageErrors.push(err.message));
	});

	afterAll(async () => {
		await browser?.close();
		await node?.stop();
	});

	afterEach(async () => {
		expect(pageErrors).toEqual([]);
		expect((context as unknown as { foreign: string[] }).foreign).toEqual([]);
		expect(await cspViolations(page)).toEqual([]);
	});

	async function upload(yaml: string): Promise<void> {
		await page.goto(`${node.url}/#/workflows/new`);
		await page.getByLabel("Definition", { exact: true }).fill(yaml);
		await page.getByRole("button", { name: "Upload" }).click();
	}

	async function startRun(workflowId: string): Promise<string> {
		await page.goto(`${node.url}/#/workflows/${workflowId}/1.0.0`);
		await page.getByRole("button", { name: "Start run" }).click();
		await page.waitForURL(/#\/executions\/[0-9a-f-]{36}$/);
		return page.url().split("/").pop()!;
	}

	it("serves the page at / with its own files only, and signs in with the keyboard", async () => {
		const res = await page.goto(`${node.url}/`);
		expect(res?.status()).toBe(200);
		expect(res?.headers()["content-security-policy"]).toContain("default-src 'self'");
		await page.getByRole("heading", { name: "Sign in to CognitionOS" }).waitFor();
		expect(await unnamedControls(page)).toEqual([]);
		// The email field has focus; before it, the skip link comes first in the page.
		expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("email");
		await page.keyboard.press("Shift+Tab");
		await page.keyboard.press("Shift+Tab");
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
		await page.keyboard.press("Tab");
		await page.keyboard.press("Tab");
		// Type, Tab to the password, Enter submits.
		await page.keyboard.type(TEST_ADMIN.email);
		await page.keyboard.press("Tab");
		await page.keyboard.type("not-the-password");
		await page.keyboard.press("Enter");
		await page.getByRole("alert").filter({ hasText: "Could not sign in" }).waitFor();
		await screenshot(page, "01-sign-in-refused");
		await page.getByLabel("Password").fill(TEST_ADMIN.password);
		await page.keyboard.press("Enter");
		await page.getByRole("heading", { name: "Workflows" }).waitFor();
		await page.getByText(`${TEST_ADMIN.email} (admin)`).waitFor();
		// A new page puts focus on its heading, where keyboard and screen reader users start.
		expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
		expect(await unnamedControls(page)).toEqual([]);
		await screenshot(page, "02-workflows-empty");
	});

	it("shows a validation error on the line it names", async () => {
		await upload(INVALID_YAML);
		const problems = page.getByRole("list", { name: "Problems by line" });
		await problems.waitFor();
		// `type: git_clone` is line 10 and `depends_on: [nowhere]` line 14 of the text above.
		const typeProblem = problems.locator("li", { hasText: "steps[1].type" });
		await expect(typeProblem.getAttribute("data-line")).resolves.toBe("10");
		await expect(typeProblem.textContent()).resolves.toMatch(/^Line 10: steps\[1\]\.type unsupported step type "git_clone"/);
		const dependsProblem = problems.locator("li", { hasText: "steps[2].depends_on" });
		await expect(dependsProblem.getAttribute("data-line")).resolves.toBe("14");
		// Choosing the problem selects its line in the editor.
		await typeProblem.getByRole("button").click();
		const selected = await page.getByLabel("Definition", { exact: true }).evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
		expect(selected).toBe("      type: git_clone");
		expect(await page.locator(".gutter").textContent()).toMatch(/^✖ +10$/m);
		expect(await unnamedControls(page)).toEqual([]);
		await screenshot(page, "03-upload-validation-error");
	});

	it("uploads a workflow and draws its DAG with types and conditions", async () => {
		await upload(REPORT_YAML);
		await page.waitForURL(/#\/workflows\/weekly-report\/1\.0\.0$/);
		await page.getByRole("heading", { name: /Weekly report/ }).waitFor();
		const nodes = page.locator(".dag .node");
		expect(await nodes.count()).toBe(5);
		expect(await page.locator(".dag .edge").count()).toBe(5);
		expect(await page.locator('.dag .node[data-step-id="summary"] .node-type').textContent()).toBe("ai_generate");
		expect(await page.locator('.dag .node[data-step-id="publish"] .node-condition').textContent()).toContain("if ${{ inputs.weeks }} > 0");
		// The generated run form: a required text input, an enum as a select, an integer as a number field.
		expect(await page.getByLabel("team (required)").getAttribute("required")).not.toBeNull();
		expect(await page.getByLabel("region").evaluate((el: HTMLSelectElement) => [...el.options].map(o => o.value))).toEqual(["emea", "apac", "amer"]);
		expect(await page.getByLabel("weeks").getAttribute("type")).toBe("number");
		await page.locator("details summary", { hasText: "Definition (YAML)" }).click();
		await page.getByLabel("Definition as YAML").getByText("id: weekly-report").waitFor();
		expect(await unnamedControls(page)).toEqual([]);
		await screenshot(page, "04-workflow-graph");
	});

	it("starts a run and watches every node turn green without a reload", async () => {
		await page.goto(`${node.url}/#/workflows/weekly-report/1.0.0`);
		await page.getByLabel("team (required)").fill("platform");
		await page.getByLabel("region").selectOption("apac");
		// A marker that a reload would wipe: the run page must update in place.
		await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
		await page.getByRole("button", { name: "Start run" }).click();
		await page.waitForURL(/#\/executions\/[0-9a-f-]{36}$/);
		// The page sees the run under way (the delay step waits 5 s), then finished.
		await page.locator('.dag .node[data-step-id="pause"][data-status="running"]').waitFor();
		expect(await page.locator('.dag .node[data-step-id="publish"]').getAttribute("data-status")).toBe("pending");
		await screenshot(page, "05-run-in-progress");
		await page.waitForFunction(() => {
			const nodes = [...document.querySelectorAll(".dag .node")];
			return nodes.length === 5 && nodes.every(n => n.getAttribute("data-status") === "completed");
		});
		await page.locator("#run-status").getByText("completed").waitFor();
		expect(await page.locator("#run-progress").evaluate((el: HTMLProgressElement) => el.value)).toBe(100);
		expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
		const summary = page.locator('article[data-step-id="summary"]');
		// Updates came over socket.io, and the LLM's text streamed in token by token (tokens travel on the socket only).
		expect(await page.locator("#transport").textContent()).toBe("Live");
		const output = JSON.parse((await summary.locator("pre.code").textContent())!);
		await summary.locator("pre.stream").getByText(output.text, { exact: true }).waitFor();
		// Each step's output; the LLM step's tokens and cost.
		expect(await summary.locator("dd").nth(1).textContent()).toMatch(/^\d+ \(\d+ in, \d+ out\)$/);
		expect(await page.locator('article[data-step-id="totals"] pre.code').textContent()).toBe("20");
		for (const { status, ratio } of await graphNodeContrast(page)) expect({ status, ok: ratio >= 4.5 }).toEqual({ status, ok: true });
		expect(await lowContrast(page, ".badge, button, a, th, td, dt, dd, h1, h2, h3, .muted")).toEqual([]);
		expect(await unnamedControls(page)).toEqual([]);
		await screenshot(page, "06-run-completed");

		await page.goto(`${node.url}/#/executions?status=completed`);
		await page.locator("tbody tr").first().waitFor();
		expect(await page.locator("tbody tr").count()).toBe(1);
		await screenshot(page, "07-executions");
	});

	it("approves a waiting step from the page", async () => {
		await upload(APPROVAL_YAML);
		await page.waitForURL(/#\/workflows\/release-gate\/1\.0\.0$/);
		const executionId = await startRun("release-gate");
		await page.locator('.dag .node[data-step-id="sign_off"][data-status="running"]').waitFor();
		await page.locator('.dag .node[data-step-id="sign_off"] .node-status').getByText("running · approval").waitFor();
		await screenshot(page, "08-waiting-for-approval");

		// The approvals page lists it too.
		await page.goto(`${node.url}/#/approvals`);
		await page.getByRole("button", { name: "Approve sign_off of release-gate" }).waitFor();
		await screenshot(page, "09-approvals");

		await page.goto(`${node.url}/#/executions/${executionId}`);
		await page.locator("#transport").getByText("Live").waitFor();
		await page.getByRole("button", { name: "Approve sign_off" }).click();
		await page.waitForFunction(() => [...document.querySelectorAll(".dag .node")].every(n => n.getAttribute("data-status") === "completed"));
		await page.locator("#run-status").getByText("completed").waitFor();
		await screenshot(page, "10-approved-completed");
	});

	it("shows an agent's transcript live: turns, tool calls, results, cost, and an approval on a tool call", async () => {
		// The tool's workflow comes through the API; the agent's through the page.
		await node.http.post("/api/v3/workflows").set((await loginAdmin(node.http)).auth).set("Content-Type", "application/yaml").send(AGENT_HELPER_YAML).expect(201);
		await upload(AGENT_YAML);
		await page.waitForURL(/#\/workflows\/desk-agent\/1\.0\.0$/);
		await startRun("desk-agent");
		await page.locator("#transport").getByText("Live").waitFor();
		const transcript = page.locator('[data-transcript="ask"]');
		// The first turn asks for the tool, which waits for a person.
		await transcript.locator('.t-turn[data-turn="1"]').getByText("calls lookup").waitFor();
		await transcript.getByText("waits for approval").waitFor();
		await screenshot(page, "12-agent-waiting-for-tool-approval");
		await page.getByRole("button", { name: "Approve ask" }).click();
		// Without a reload: the tool's result, the second turn, the cost.
		await transcript.locator(".t-tool strong").getByText("lookup", { exact: true }).waitFor();
		await transcript.locator('.t-turn[data-turn="2"]').waitFor();
		await transcript.locator("h4").getByText(/Transcript · 2 turns · \$/).waitFor();
		await transcript.locator(".t-tool pre").getByText("found").waitFor();
		await page.locator("#run-status").getByText("completed").waitFor();
		await screenshot(page, "13-agent-transcript");
	});

	it("shows a failure's error on the run, its step and its node", async () => {
		await upload(FAILING_YAML);
		await page.waitForURL(/#\/workflows\/stock-check\/1\.0\.0$/);
		await startRun("stock-check");
		await page.locator("#run-status").getByText("failed").waitFor();
		await page.locator('.dag .node[data-step-id="check"][data-status="failed"]').waitFor();
		expect(await page.locator('.dag .node[data-step-id="count"]').getAttribute("data-status")).toBe("completed");
		expect(await page.locator("#run-error").textContent()).toMatch(/Failed at step check: transform_error: .*Inventory is empty/);
		expect(await page.locator('article[data-step-id="check"] .step-error').textContent()).toContain("Inventory is empty");
		// A failed run can be retried from the page.
		await page.getByRole("button", { name: /^Retry stock-check/ }).waitFor();
		await screenshot(page, "11-run-failed");
	});

	it("cancels a run from the executions list", async () => {
		const executionId = await startRun("release-gate");
		await page.locator('.dag .node[data-step-id="sign_off"][data-status="running"]').waitFor();
		await page.goto(`${node.url}/#/executions?workflow_id=release-gate&status=running`);
		await page.getByRole("button", { name: `Cancel release-gate ${executionId.slice(0, 8)}` }).click();
		// The page says when the cancel request has been answered; only then leave the list.
		await page.getByRole("status").getByText("Cancelled").waitFor();
		await page.goto(`${node.url}/#/executions/${executionId}`);
		await page.locator("#run-status").getByText("cancelled").waitFor();
		await page.locator('.dag .node[data-step-id="sign_off"][data-status="cancelled"]').waitFor();
		await page.getByRole("button", { name: /^Retry release-gate/ }).waitFor();
	});

	it("polls a run to its end when no socket can connect", async () => {
		const tokens = (await node.http.post("/api/v3/auth/login").send(TEST_ADMIN).expect(200)).body;
		const run = await node.http.post("/api/v3/workflows/execute").set("Authorization", `Bearer ${tokens.access_token}`).send({ workflow_id: "release-gate", workflow_version: "1.0.0" }).expect(202);
		const offline = await browser.newContext({ viewport: { width: 1366, height: 800 } });
		try {
			// No WebSocket in this page, and socket.io's long-polling refused: only the REST API answers.
			await offline.addInitScript(t => {
				sessionStorage.setItem("cognitionos.tokens", t);
				Object.defineProperty(window, "WebSocket", { value: undefined });
			}, JSON.stringify(tokens));
			await offline.route(/\/socket\.io\//, route => route.abort());
			const polling = await offline.newPage();
			polling.setDefaultTimeout(RUN_TIMEOUT_MS);
			await polling.goto(`${node.url}/#/executions/${run.body.execution_id}`);
			await polling.getByRole("button", { name: "Approve sign_off" }).click();
			await polling.waitForFunction(() => [...document.querySelectorAll(".dag .node")].every(n => n.getAttribute("data-status") === "completed"));
			expect(await polling.locator("#transport").textContent()).toBe("Polling");
		} finally {
			await offline.close();
		}
	});

	it("has the admin pages: users and roles, API keys, dead letters, audit log", async () => {
		await page.goto(`${node.url}/#/admin/users`);
		await page.locator(`tr[data-user="${TEST_ADMIN.email}"]`).waitFor();
		expect(await page.getByLabel(`admin role of ${TEST_ADMIN.email}`).isChecked()).toBe(true);
		// Make a registered user a viewer only; the change is stored.
		const someone = await createUser(node.http, { tag: "dash" });
		await page.reload();
		await page.getByLabel(`viewer role of ${someone.email}`).check();
		await page.getByLabel(`user role of ${someone.email}`).uncheck();
		await page.getByRole("button", { name: `Save ${someone.email}` }).click();
		await page.getByRole("status").getByText(`Saved ${someone.email}`).waitFor();
		const stored = await node.http.get(`/api/v3/auth/users/${someone.user_id}`).set((await loginAdmin(node.http)).auth).expect(200);
		expect(stored.body.roles).toEqual(["viewer"]);
		expect(await unnamedControls(page)).toEqual([]);
		await screenshot(page, "12-admin-users");

		await page.goto(`${node.url}/#/admin/api-keys`);
		await page.getByLabel("Name").fill("ci pipeline");
		await page.getByLabel("read").check();
		await page.getByRole("button", { name: "Create key" }).click();
		const secret = await page.locator("code.secret").textContent();
		expect(secret).toMatch(/^cos_/);
		await page.getByRole("button", { name: "Revoke ci pipeline" }).waitFor();
		expect(await unnamedControls(page)).toEqual([]);
		await screenshot(page, "13-admin-api-keys");

		// A real dead letter: a step event without its owner, which the statistics handler refuses for good.
		const poison = domainEvent("StepExecutionCompleted", { type: "execution", id: randomUUID() }, { step_id: "poison" });
		await (await runtimeOf(node.broker).database()).sqlTransaction(tx => appendToOutbox(tx, [poison]));
		await page.goto(`${node.url}/#/admin/dead-letters`);
		const discard = page.getByRole("button", { name: "Discard StepExecutionCompleted for step-statistics" });
		// The relay and the handler take their time: look again until the letter is there.
		for (let tries = 0; !(await discard.isVisible()); tries++) {
			if (tries > 100) throw new Error("The dead letter never showed on the page");
			await page.getByRole("button", { name: "Filter" }).click();
			await page.waitForTimeout(100);
		}
		expect(await page.locator("tbody").textContent()).toContain("malformed_event");
		expect(await unnamedControls(page)).toEqual([]);
		await screenshot(page, "14-admin-dead-letters");
		await discard.click();
		await page.getByText("No dead letters with status dead.").waitFor();

		await page.goto(`${node.url}/#/admin/audit`);
		await page.locator("tbody tr").first().waitFor();
		expect(await page.locator("tbody").textContent()).toContain(TEST_ADMIN.email);
		expect(await unnamedControls(page)).toEqual([]);
		await screenshot(page, "15-admin-audit");
	});

	it("trades the refresh token for new tokens when the API refuses the access token", async () => {
		const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem("cognitionos.tokens")!));
		await page.evaluate(t => sessionStorage.setItem("cognitionos.tokens", JSON.stringify({ ...t, access_token: "not-a-valid-token" })), stored);
		await page.goto(`${node.url}/#/workflows`);
		await page.reload();
		await page.getByRole("heading", { name: "Workflows" }).waitFor();
		await page.getByRole("link", { name: "Weekly report" }).waitFor();
		const renewed = await page.evaluate(() => JSON.parse(sessionStorage.getItem("cognitionos.tokens")!));
		expect(renewed.access_token).not.toBe("not-a-valid-token");
		expect(renewed.refresh_token).not.toBe(stored.refresh_token);
	});

	it("signs out", async () => {
		await page.getByRole("button", { name: "Sign out" }).click();
		await page.getByRole("heading", { name: "Sign in to CognitionOS" }).waitFor();
		expect(await page.evaluate(() => sessionStorage.getItem("cognitionos.tokens"))).toBeNull();
	});
});

// Model output is hostile input: the page must show it as text and never run it.
const HOSTILE_ANSWER = `<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> Durable runs **survive** crashes.`;

const TRANSCRIPT_HELPER = {
	workflow_id: "glossary",
	version: "1.0.0",
	inputs: [{ name: "word", type: "string", required: true }],
	outputs: [{ name: "meaning", value: "${{ steps.find.output }}" }],
	steps: [{ id: "find", type: "transform", params: { expression: "'found ' & inputs.word" } }]
};

const TRANSCRIPT_WORKFLOW = {
	workflow_id: "captured-desk",
	version: "1.0.0",
	steps: [
		{ id: "summary", type: "ai_generate", params: { prompt: "Summarize durability.", system: "Be brief.", model: "gpt-5.4", max_tokens: 100 } },
		{
			id: "ask",
			type: "agent",
			depends_on: ["summary"],
			params: { model: "gpt-5.4", prompt: "What does tea mean?", tools: [{ name: "lookup", description: "Looks a word up", workflow_id: "glossary", version: "1.0.0" }] }
		},
		{ id: "broken", type: "ai_generate", depends_on: ["ask"], params: { prompt: "Please FAIL now.", model: "gpt-5.4" } }
	]
};

/** The fake vendor's answers, decided by what was asked, whatever the order the steps ask in. */
function transcriptAnswers(request: RecordedRequest) {
	const messages = JSON.stringify(request.body.messages);
	if (messages.includes("FAIL")) return { status: 400, message: "the model refused this prompt" };
	if (messages.includes("Price this")) return { text: "Priced.", usage: { prompt: 1000, completion: 500 } };
	if (messages.includes("Summarize")) return { text: HOSTILE_ANSWER, usage: { prompt: 12, completion: 5 } };
	if (messages.includes("What does tea mean?") && !messages.includes('"role":"tool"')) return { toolCalls: [{ id: "c1", name: "lookup", arguments: { word: "tea" } }], usage: { prompt: 20, completion: 8 } };
	return { text: "Tea means a drink.", usage: { prompt: 30, completion: 4 } };
}

describeWithChromium()("dashboard views of LLM transcripts, evals and cost in Chromium", () => {
	const fake = new FakeLlmServer();
	let node: TestNode;
	let browser: Browser;
	let context: BrowserContext;
	let page: Page;
	let user: TestUser;
	const pageErrors: string[] = [];

	beforeAll(async () => {
		await fake.start();
		fake.respond = transcriptAnswers;
		node = await startTestNode({
			env: {
				...AUTH_ENV,
				LLM_OPENAI_API_KEY: "sk-test-openai-key-0001",
				LLM_OPENAI_BASE_URL: fake.baseURL("openai"),
				LLM_PROVIDER_ORDER: "openai",
				LLM_RETRY_MAX_ATTEMPTS: "1",
				LLM_CAPTURE: "on",
				EVAL_TICK_INTERVAL: "50ms"
			}
		});
		user = await createUser(node.http, { tag: "views" });
		browser = await launchChromium();
		context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
		await context.route(/.*/, route => (new URL(route.request().url()).origin === node.url ? route.continue() : route.abort()));
		// Signed in as the user: the tokens the page keeps in session storage.
		await context.addInitScript(t => sessionStorage.setItem("cognitionos.tokens", t), JSON.stringify({ access_token: user.token, refresh_token: user.refresh_token, expires_in: 900 }));
		// The bars are sized through the CSSOM: the page's Content-Security-Policy blocks nothing they do.
		await recordCspViolations(context);
		page = await context.newPage();
		page.setDefaultTimeout(RUN_TIMEOUT_MS);
		page.on("pageerror", err => pageErrors.push(err.message));
	});

	afterAll(async () => {
		await browser?.close();
		await node?.stop();
		await fake.stop();
	});

	afterEach(async () => {
		expect(pageErrors).toEqual([]);
		expect(await cspViolations(page)).toEqual([]);
	});

	async function ended(executionId: string): Promise<Record<string, unknown>> {
		const deadline = Date.now() + RUN_TIMEOUT_MS;
		for (;;) {
			const run = await node.http.get(`/api/v3/workflows/executions/${executionId}`).set(user.auth).expect(200);
			if (["completed", "failed", "cancelled"].includes(run.body.status)) return run.body;
			if (Date.now() > deadline) throw new Error(`the run did not end: ${JSON.stringify(run.body)}`);
			await new Promise(r => setTimeout(r, 50));
		}
	}

	it("shows a run's model calls as text: messages, answer, tool calls, usage, cost, latency, provider and model, error", async () => {
		await node.http.post("/api/v3/workflows").set(user.auth).send(TRANSCRIPT_HELPER).expect(201);
		await node.http.post("/api/v3/workflows").set(user.auth).send(TRANSCRIPT_WORKFLOW).expect(201);
		const started = await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "captured-desk", workflow_version: "1.0.0" }).expect(202);
		const run = await ended(started.body.execution_id);
		expect(run.status).toBe("failed");

		await page.goto(`${node.url}/#/executions/${started.body.execution_id}`);
		const calls = page.locator(".llm-call");
		await page.locator(".llm-count").getByText("4 calls", { exact: false }).waitFor();
		expect(await calls.count()).toBe(4);
		expect(await calls.evaluateAll(els => els.map(el => el.getAttribute("data-step")))).toEqual(["summary", "ask", "ask", "broken"]);

		// The ai_generate call: the system prompt, the user's message, the answer exactly as the model gave it, as text.
		const summary = calls.nth(0);
		expect(await summary.locator(".llm-meta").textContent()).toMatch(/^openai\/gpt-5\.4 · 17 tokens \(12 in, 5 out\) · \$0\.\d+ · \d+ ms · /);
		expect(await summary.locator(".llm-answer").textContent()).toBe(HOSTILE_ANSWER);
		await summary.locator("summary").click();
		expect(await summary.locator(".llm-system pre").textContent()).toBe("Be brief.");
		expect(await summary.locator('.llm-msg[data-role="user"] pre').textContent()).toBe("Summarize durability.");
		expect(await summary.locator(".llm-request summary").textContent()).toContain("model gpt-5.4, max_tokens 100");
		expect(await page.locator(".llm-calls img, .llm-calls script").count()).toBe(0);
		expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

		// The agent's first turn asks for the tool; the second carries the tool's result and answers.
		const [turn1, turn2] = [calls.nth(1), calls.nth(2)];
		expect(await turn1.locator(".llm-response .llm-tool-calls").textContent()).toBe('calls lookup({"word":"tea"})');
		expect(await turn1.locator(".llm-request summary").textContent()).toContain("tools lookup");
		await turn2.locator("summary").click();
		expect(await turn2.locator('.llm-msg[data-role="assistant"] .llm-tool-calls').textContent()).toContain("calls lookup");
		expect(await turn2.locator('.llm-msg[data-role="tool"] .llm-role').textContent()).toBe("tool lookup");
		expect(await turn2.locator('.llm-msg[data-role="tool"] pre').textContent()).toContain("found tea");
		expect(await turn2.locator(".llm-answer").textContent()).toBe("Tea means a drink.");

		// The failed call: its error, no answer.
		const broken = calls.nth(3);
		expect(await broken.locator(".badge").textContent()).toBe("failed");
		expect(await broken.locator(".llm-error").textContent()).toContain("the model refused this prompt");
		expect(await broken.locator(".llm-answer").count()).toBe(0);
		expect(await broken.locator(".llm-meta").textContent()).toMatch(/^no answer · no usage · — · \d+ ms/);
		expect(await unnamedControls(page)).toEqual([]);
		expect(await lowContrast(page, ".llm-calls .badge, .llm-calls .muted, .llm-calls h3, .llm-role")).toEqual([]);
		await screenshot(page, "20-llm-transcript");
	});

	it("pages through a run's model calls", async () => {
		const many = {
			workflow_id: "captured-many",
			version: "1.0.0",
			steps: Array.from({ length: 12 }, (_, i) => ({ id: `s${String(i + 1).padStart(2, "0")}`, type: "ai_generate", depends_on: i ? [`s${String(i).padStart(2, "0")}`] : [], params: { prompt: `Summarize part ${i + 1}.`, model: "gpt-5.4" } }))
		};
		await node.http.post("/api/v3/workflows").set(user.auth).send(many).expect(201);
		const started = await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "captured-many", workflow_version: "1.0.0" }).expect(202);
		expect((await ended(started.body.execution_id)).status).toBe("completed");
		await page.goto(`${node.url}/#/executions/${started.body.execution_id}`);
		const nav = page.getByRole("navigation", { name: "Model call pages" });
		await nav.getByText("Page 1 of 2").waitFor();
		expect(await page.locator(".llm-call").count()).toBe(10);
		await page.getByRole("button", { name: "Next model calls" }).click();
		await nav.getByText("Page 2 of 2").waitFor();
		expect(await page.locator(".llm-call").evaluateAll(els => els.map(el => el.getAttribute("data-step")))).toEqual(["s11", "s12"]);
		expect(await page.locator(".llm-call h3").first().textContent()).toMatch(/^11\. s11/);
	});

	it("lists evals, shows one's per-item scores and aggregates, and compares two versions side by side", async () => {
		const greeter = (version: string, expression: string) => ({
			workflow_id: "greeter",
			version,
			inputs: [{ name: "who", type: "string", required: true }],
			outputs: [{ name: "greeting", value: "${{ steps.greet.output }}" }],
			steps: [{ id: "greet", type: "transform", params: { expression } }]
		});
		await node.http.post("/api/v3/workflows").set(user.auth).send(greeter("1.0.0", "'Hello, ' & inputs.who")).expect(201);
		await node.http.post("/api/v3/workflows").set(user.auth).send(greeter("2.0.0", "'Hello, ' & inputs.who & '!'")).expect(201);
		const items = [
			{ inputs: { who: "Ada" }, expected: { greeting: "Hello, Ada" } },
			{ inputs: { who: "Bob" }, expected: { greeting: "Hello, Bob" } },
			{ inputs: { who: "<b>Cy</b>" }, expected: { greeting: "Hello, <b>Cy</b>!" } }
		];
		const dataset = await node.http.post("/api/v3/datasets").set(user.auth).send({ name: "greetings", items }).expect(201);
		const start = async (version: string): Promise<string> =>
			(await node.http.post("/api/v3/evals").set(user.auth).send({ workflow_id: "greeter", workflow_version: version, dataset_id: dataset.body.id, scorers: [{ type: "exact" }, { type: "contains", path: "greeting" }] }).expect(201)).body.id;
		const v1 = await start("1.0.0");
		const v2 = await start("2.0.0");

		// The list: both evals, newest first; each page of an eval follows it to its end.
		await page.goto(`${node.url}/#/evals`);
		await page.locator(`tr[data-eval="${v1}"]`).waitFor();
		expect(await page.locator("tbody tr").evaluateAll(rows => rows.map(r => r.getAttribute("data-eval")))).toEqual([v2, v1]);
		await page.goto(`${node.url}/#/evals/${v1}`);
		await page.locator("#eval-status").getByText("completed").waitFor();
		expect(await page.locator("#eval-progress").textContent()).toBe("3 of 3 items scored");
		const aggregate = (scorer: string) => page.locator(`.aggregates tr[data-scorer="${scorer}"] td.num`).textContent();
		expect(await aggregate("exact")).toBe("0.67");
		expect(await aggregate("contains")).toBe("0.67");
		expect(await page.getByRole("img", { name: "exact: 0.67" }).count()).toBe(1);
		const cy = page.locator('.eval-items tr[data-position="2"]');
		expect(await cy.locator("td").nth(0).textContent()).toBe('{"who":"<b>Cy</b>"}');
		expect(await cy.locator("td.outputs").textContent()).toBe('{"greeting":"Hello, <b>Cy</b>"}');
		expect(await cy.locator('td[data-scorer="exact"]').textContent()).toBe("0.00");
		expect(await page.locator('.eval-items tr[data-position="0"] td[data-scorer="exact"]').textContent()).toBe("1.00");
		expect(await page.locator(".eval-items b").count()).toBe(0);
		expect(await unnamedControls(page)).toEqual([]);
		await screenshot(page, "21-eval");

		// Pick both from the list (the older as a), then compare.
		await page.goto(`${node.url}/#/evals?workflow_id=greeter&status=completed`);
		const deadline = Date.now() + RUN_TIMEOUT_MS;
		while ((await node.http.get(`/api/v3/evals/${v2}`).set(user.auth).expect(200)).body.status === "running") {
			if (Date.now() > deadline) throw new Error("the eval of 2.0.0 did not end");
			await new Promise(r => setTimeout(r, 50));
		}
		await page.reload();
		await page.locator(`tr[data-eval="${v2}"]`).getByText("3 / 3").waitFor();
		expect(await page.locator(`tr[data-eval="${v1}"] .chip`).allTextContents()).toEqual(["exact 0.67", "contains 0.67"]);
		const compare = page.getByRole("button", { name: "Compare the two picked" });
		expect(await compare.isDisabled()).toBe(true);
		await page.getByLabel(`Pick greeter 1.0.0 (${v1.slice(0, 8)})`).check();
		await page.getByLabel(`Pick greeter 2.0.0 (${v2.slice(0, 8)})`).check();
		expect(await unnamedControls(page)).toEqual([]);
		await compare.click();
		await page.waitForURL(new RegExp(`#/evals/compare\\?a=${v1}&b=${v2}$`));
		await page.getByRole("heading", { name: "Compare evals" }).waitFor();
		const side = (scorer: string, which: string) => page.locator(`.comparison tr[data-scorer="${scorer}"] td[data-side="${which}"]`).textContent();
		expect([await side("exact", "a"), await side("exact", "b"), await side("exact", "delta")]).toEqual(["0.67", "0.33", "−0.33"]);
		expect([await side("contains", "a"), await side("contains", "b"), await side("contains", "delta")]).toEqual(["0.67", "1.00", "+0.33"]);
		expect(await page.locator('.comparison tr[data-scorer="contains"] td.delta').getAttribute("class")).toContain("better");
		const row = page.locator('.comparison-items tr[data-position="2"]');
		expect(await row.locator('td.outputs[data-side="a"]').textContent()).toBe('{"greeting":"Hello, <b>Cy</b>"}');
		expect(await row.locator('td.outputs[data-side="b"]').textContent()).toBe('{"greeting":"Hello, <b>Cy</b>!"}');
		expect(await row.locator('td[data-side="a"][data-scorer="exact"]').textContent()).toBe("0.00");
		expect(await row.locator('td[data-side="b"][data-scorer="exact"]').textContent()).toBe("1.00");
		expect(await page.locator(".comparison-items td.outputs.differs").count()).toBe(6);
		expect(await lowContrast(page, ".comparison th, .comparison td, .comparison-items td, .muted")).toEqual([]);
		await screenshot(page, "22-eval-compare");
	});

	// Needs GET /api/v3/costs (branch costs).
	it("shows model spend grouped by model, workflow, user and day, with a total that matches the API's", async () => {
		await node.http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({ workflow_id: "costly", version: "1.0.0", steps: [{ id: "price", type: "ai_generate", params: { prompt: "Price this.", model: "gpt-5.4-mini" } }] })
			.expect(201);
		const started = await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "costly", workflow_version: "1.0.0" }).expect(202);
		expect((await ended(started.body.execution_id)).status).toBe("completed");
		const today = new Date().toISOString().slice(0, 10);

		await page.goto(`${node.url}/#/costs?group_by=model`);
		// gpt-5.4-mini at $0.75 and $4.50 per million tokens: 1000 in and 500 out cost $0.003.
		const mini = page.locator('table.costs tbody tr[data-key="gpt-5.4-mini"]');
		await mini.waitFor();
		expect(await mini.locator("td.num").allTextContents()).toEqual(["1", "1,000", "500", "$0.003000"]);
		expect(await page.getByRole("img", { name: "gpt-5.4-mini: $0.003000" }).count()).toBe(1);
		const api = (await node.http.get(`/api/v3/costs?group_by=model&from=${today}&to=${today}`).set(user.auth).expect(200)).body;
		expect(await page.locator("table.costs tbody tr").evaluateAll(rows => rows.map(r => r.getAttribute("data-key")))).toEqual(api.rows.map((r: { key: string }) => r.key));
		expect(await page.locator('table.costs tfoot tr[data-key="total"] td.num').allTextContents()).toEqual([
			api.total.calls.toLocaleString("en-US"),
			api.total.input_tokens.toLocaleString("en-US"),
			api.total.output_tokens.toLocaleString("en-US"),
			// The page's dollars: six decimals under a cent, four from there.
			`$${api.total.cost_usd.toFixed(api.total.cost_usd < 0.01 && api.total.cost_usd > 0 ? 6 : 4)}`
		]);
		expect(await unnamedControls(page)).toEqual([]);
		await screenshot(page, "23-costs-by-model");

		// The selector: by workflow, then by user and by day for today only.
		await page.getByLabel("Group by").selectOption("workflow");
		await page.getByRole("button", { name: "Show" }).click();
		await page.waitForURL(/group_by=workflow/);
		await page.locator('table.costs[data-group-by="workflow"] tbody tr[data-key="costly"]').waitFor();
		expect(await page.locator('table.costs tbody tr[data-key="costly"] td.num').allTextContents()).toEqual(["1", "1,000", "500", "$0.003000"]);
		await page.getByLabel("Group by").selectOption("user");
		await page.getByLabel("From (UTC day)").fill(today);
		await page.getByLabel("To (UTC day)").fill(today);
		await page.getByRole("button", { name: "Show" }).click();
		await page.locator(`table.costs[data-group-by="user"] tbody tr[data-key="${user.user_id}"]`).waitFor();
		expect(await page.locator("table.costs tbody tr").count()).toBe(1);
		await page.getByLabel("Group by").selectOption("day");
		await page.getByRole("button", { name: "Show" }).click();
		await page.locator(`table.costs[data-group-by="day"] tbody tr[data-key="${today}"]`).waitFor();
		expect(await page.locator("table.costs caption").textContent()).toBe(`Model spend of you by day, ${today} to ${today} (UTC)`);
		expect(await lowContrast(page, "table.costs th, table.costs td")).toEqual([]);
		await screenshot(page, "24-costs-by-day");
	});
});
