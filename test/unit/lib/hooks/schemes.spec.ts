import { createHmac } from "node:crypto";
import { hookData, hookEventId, verifyHook } from "../../../../lib/hooks/receive";
import type { HookRequest } from "../../../../lib/hooks/scheme";
import { SCHEMES } from "../../../../lib/hooks/schemes";
import type { HookRecord } from "../../../../lib/hooks/store";
import { signWebhook } from "../../../../lib/webhooks/signature";

const request = (headers: Record<string, string>, body: string, now: number, json: unknown = null): HookRequest => ({ headers, body: Buffer.from(body), json, now });
const FIVE_MINUTES = 300_000;

describe("inbound webhook schemes", () => {
	it("github: the example in GitHub's documentation verifies; another secret or body does not", () => {
		// docs.github.com, "Validating webhook deliveries": secret, payload and signature as published.
		const req = request({ "x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "x-github-delivery": "d-1" }, "Hello, World!", 0);
		expect(SCHEMES.github.verify("It's a Secret to Everybody", req, FIVE_MINUTES)).toBe(true);
		expect(SCHEMES.github.verify("It's a Secret to Everybody!", req, FIVE_MINUTES)).toBe(false);
		expect(SCHEMES.github.verify("It's a Secret to Everybody", { ...req, body: Buffer.from("Hello, World?") }, FIVE_MINUTES)).toBe(false);
		expect(SCHEMES.github.verify("It's a Secret to Everybody", request({}, "Hello, World!", 0), FIVE_MINUTES)).toBe(false);
		expect(SCHEMES.github.deliveryId(req)).toBe("d-1");
	});

	it("standard-webhooks: the specification's example verifies within the tolerance only", () => {
		// The Standard Webhooks specification's example message, secret and signature.
		const headers = { "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330", "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" };
		const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
		const at = 1614265330_000;
		expect(SCHEMES["standard-webhooks"].verify(secret, request(headers, '{"test": 2432232314}', at + 1000), FIVE_MINUTES)).toBe(true);
		// Several signatures while a secret rolls: any one that matches is enough.
		expect(SCHEMES["standard-webhooks"].verify(secret, request({ ...headers, "webhook-signature": `v1,bm90IGl0 ${headers["webhook-signature"]}` }, '{"test": 2432232314}', at), FIVE_MINUTES)).toBe(true);
		expect(SCHEMES["standard-webhooks"].verify(secret, request(headers, '{"test": 2432232314}', at + FIVE_MINUTES + 1000), FIVE_MINUTES)).toBe(false);
		expect(SCHEMES["standard-webhooks"].verify(secret, request(headers, '{"test": 2432232315}', at), FIVE_MINUTES)).toBe(false);
		expect(SCHEMES["standard-webhooks"].secretProblem("not-whsec")).toMatch(/whsec_/);
		expect(SCHEMES["standard-webhooks"].secretProblem(SCHEMES["standard-webhooks"].newSecret()!)).toBeNull();
	});

	it("stripe: t and v1 over `<t>.<body>`, any of several v1, within the tolerance; the event id is the delivery id", () => {
		const secret = "whsec_test_secret_for_stripe";
		const body = '{"id":"evt_123","type":"invoice.paid"}';
		const t = 1_700_000_000;
		const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
		const req = request({ "stripe-signature": `t=${t},v1=deadbeef,v1=${v1},v0=ignored` }, body, t * 1000, JSON.parse(body));
		expect(SCHEMES.stripe.verify(secret, req, FIVE_MINUTES)).toBe(true);
		expect(SCHEMES.stripe.verify(secret, { ...req, now: (t + 301) * 1000 }, FIVE_MINUTES)).toBe(false);
		expect(SCHEMES.stripe.verify(secret, request({ "stripe-signature": `t=${t + 1},v1=${v1}` }, body, t * 1000), FIVE_MINUTES)).toBe(false);
		expect(SCHEMES.stripe.verify(secret, request({ "stripe-signature": `v1=${v1}` }, body, t * 1000), FIVE_MINUTES)).toBe(false);
		expect(SCHEMES.stripe.deliveryId(req)).toBe("evt_123");
		// Stripe issues the secret: none is made here.
		expect(SCHEMES.stripe.newSecret()).toBeNull();
	});

	it("hmac-sha256: what CognitionOS's own outbound webhooks send verifies", () => {
		const secret = SCHEMES["hmac-sha256"].newSecret()!;
		const body = '{"event_type":"WorkflowExecutionCompleted"}';
		const t = 1_700_000_000;
		const req = request({ "x-cognitionos-signature": signWebhook(secret, t, body), "x-cognitionos-timestamp": String(t), "x-cognitionos-delivery": "del-1" }, body, t * 1000);
		expect(SCHEMES["hmac-sha256"].verify(secret, req, FIVE_MINUTES)).toBe(true);
		expect(SCHEMES["hmac-sha256"].verify(secret, { ...req, now: (t + 3600) * 1000 }, FIVE_MINUTES)).toBe(false);
		expect(SCHEMES["hmac-sha256"].deliveryId(req)).toBe("del-1");
	});

	it("accepts the secret before a rotation until its grace ends, and scopes the delivery id to the hook", () => {
		const hook: HookRecord = {
			id: "hook-1",
			owner_id: "u",
			event: "x",
			verify: "github",
			secret: "new-secret-0123456789",
			previous_secret: "old-secret-0123456789",
			previous_until: 10_000,
			description: null,
			created_at: 0,
			updated_at: 0
		};
		const signed = (secret: string, now: number) =>
			request({ "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update("{}").digest("hex")}`, "x-github-delivery": "abc" }, "{}", now);
		expect(verifyHook(hook, signed("old-secret-0123456789", 9_999), FIVE_MINUTES)).toBe(true);
		expect(verifyHook(hook, signed("old-secret-0123456789", 10_000), FIVE_MINUTES)).toBe(false);
		expect(verifyHook(hook, signed("new-secret-0123456789", 10_000), FIVE_MINUTES)).toBe(true);
		expect(hookEventId(hook, signed("new-secret-0123456789", 0))).toBe("hook-1:abc");
		expect(hookEventId({ ...hook, verify: "none" }, request({}, "{}", 0))).toBeNull();
	});

	it("takes a JSON body as the event's data, another as {raw}, and refuses one that claims JSON and is not", () => {
		expect(hookData(Buffer.from('{"a":1}'), "application/json; charset=utf-8")).toEqual({ data: { a: 1 } });
		expect(hookData(Buffer.from('{"a":1}'), "application/vnd.github+json")).toEqual({ data: { a: 1 } });
		expect(hookData(Buffer.from("a=1&b=2"), "application/x-www-form-urlencoded")).toEqual({ data: { raw: "a=1&b=2" } });
		expect(hookData(Buffer.from("{oops"), "application/json")).toBeNull();
	});
});
