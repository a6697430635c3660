import { createHmac } from "node:crypto";
import { webhookUrlProblem } from "../../../../lib/webhooks/send";
import { newWebhookSecret, signWebhook, verifyWebhook } from "../../../../lib/webhooks/signature";

describe("webhook signatures", () => {
	const secret = newWebhookSecret();
	const body = JSON.stringify({ event_type: "WorkflowExecutionCompleted", execution_id: "x" });
	const now = 1_790_000_000;

	it("is HMAC-SHA256 over `<timestamp>.<body>` with the webhook's secret", () => {
		const expected = createHmac("sha256", secret).update(`${now}.${body}`).digest("hex");
		expect(signWebhook(secret, now, body)).toBe(`sha256=${expected}`);
	});

	it("verifies what was signed, and nothing else", () => {
		const signature = signWebhook(secret, now, body);
		expect(verifyWebhook(secret, { signature, timestamp: String(now) }, body, now)).toBe(true);
		expect(verifyWebhook(secret, { signature, timestamp: String(now) }, `${body} `, now)).toBe(false);
		expect(verifyWebhook(newWebhookSecret(), { signature, timestamp: String(now) }, body, now)).toBe(false);
		expect(verifyWebhook(secret, { signature, timestamp: String(now + 1) }, body, now)).toBe(false);
		expect(verifyWebhook(secret, { signature: undefined, timestamp: String(now) }, body, now)).toBe(false);
	});

	it("refuses old timestamps (replays)", () => {
		const signature = signWebhook(secret, now, body);
		expect(verifyWebhook(secret, { signature, timestamp: String(now) }, body, now + 299)).toBe(true);
		expect(verifyWebhook(secret, { signature, timestamp: String(now) }, body, now + 301)).toBe(false);
	});

	it("makes secrets that differ", () => {
		expect(newWebhookSecret()).not.toBe(secret);
		expect(secret).toMatch(/^whsec_[\w-]{32}$/);
	});
});

describe("webhook URLs (the http_request SSRF rule)", () => {
	it.each([
		["https://hooks.example.com/cos", [], null],
		["http://93.184.216.34/x", [], null],
		["http://127.0.0.1:9000/x", [], "127.0.0.1 is a private or local address; list it in STEP_HTTP_ALLOWED_HOSTS to allow it"],
		["http://127.0.0.1:9000/x", ["127.0.0.1"], null],
		["http://10.1.2.3/x", ["*"], null],
		["http://[fd00::1]/x", [], "fd00::1 is a private or local address; list it in STEP_HTTP_ALLOWED_HOSTS to allow it"],
		["http://[::ffff:192.168.0.1]/x", [], "::ffff:c0a8:1 is a private or local address; list it in STEP_HTTP_ALLOWED_HOSTS to allow it"],
		["ftp://example.com/x", [], "must be an http:// or https:// URL"],
		["not a url", [], "must be an http:// or https:// URL"],
		["https://user:pw@example.com/x", [], "must not carry credentials (the signature authenticates deliveries)"]
	])("%s with allowed %j → %s", (url, allowed, problem) => {
		expect(webhookUrlProblem(url, allowed)).toBe(problem);
	});
});
