import { redact, redactText } from "../../../lib/redact";
import { toPinoArgs } from "../../../lib/logging";

describe("redaction", () => {
	it("masks values under secret keys, at any depth", () => {
		const out = redact({ email: "a@b.c", password: "hunter22", nested: { refresh_token: "abc", api_key: "k", prompt_tokens: 12 } });
		expect(out).toEqual({ email: "a@b.c", password: "[REDACTED]", nested: { refresh_token: "[REDACTED]", api_key: "[REDACTED]", prompt_tokens: 12 } });
	});

	it("masks tokens inside text", () => {
		const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlX2hlcmU";
		expect(redactText(`Authorization: Bearer ${jwt}`)).toBe("Authorization: Bearer [REDACTED]");
		expect(redactText(`GET /ws/connect?token=${jwt}&x=1`)).toBe("GET /ws/connect?token=[REDACTED]&x=1");
		expect(redactText(`jwt ${jwt} here`)).toBe("jwt [REDACTED_JWT] here");
		expect(redactText("postgres://user:pa55@db:5432/x")).toBe("postgres://user:[REDACTED]@db:5432/x");
		expect(redactText("key sk-ant-abcdefghijklmnop")).toBe("key [REDACTED_API_KEY]");
	});

	it("handles cycles and errors", () => {
		const a: Record<string, unknown> = { name: "a" };
		a.self = a;
		expect(redact(a)).toEqual({ name: "a", self: "[Circular]" });
		const err = Object.assign(new Error("failed with Bearer abc.def"), { token: "t" });
		expect(redact(err)).toMatchObject({ type: "Error", message: "failed with Bearer [REDACTED]", token: "[REDACTED]" });
	});

	it("turns Moleculer-style log calls into pino fields and a message", () => {
		const [fields, msg] = toPinoArgs(["Login for", { email: "a@b.c", password: "x" }]);
		expect(msg).toBe("Login for");
		expect(fields).toEqual({ data: { email: "a@b.c", password: "[REDACTED]" } });
		const [f2, m2] = toPinoArgs([{ execution_id: "e1" }, "Step started"]);
		expect(f2).toEqual({ execution_id: "e1" });
		expect(m2).toBe("Step started");
	});
});
