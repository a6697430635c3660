import { canAccess, refusal, satisfies, type Principal } from "../../../../lib/auth/principal";

const p = (roles: Principal["roles"], scopes: Principal["scopes"] = null): Principal => ({ id: "u1", email: "u@x.io", roles, via: "jwt", scopes });

describe("authorization rules", () => {
	it.each([
		[["viewer"], "read", true],
		[["viewer"], "write", false],
		[["user"], "write", true],
		[["user"], "admin", false],
		[["admin"], "admin", true],
		[[], "read", false]
	] as const)("%j meets %s: %s", (roles, requirement, expected) => {
		expect(satisfies(p([...roles]), requirement)).toBe(expected);
	});

	it("lets anyone through public, nobody anonymous through the rest", () => {
		expect(satisfies(undefined, "public")).toBe(true);
		expect(satisfies(undefined, "read")).toBe(false);
	});

	it("narrows an API key to its scopes, never beyond its user's role", () => {
		expect(satisfies(p(["admin"], ["read"]), "read")).toBe(true);
		expect(satisfies(p(["admin"], ["read"]), "write")).toBe(false);
		expect(satisfies(p(["user"], ["admin"]), "admin")).toBe(false);
		expect(satisfies(p(["user"], ["write"]), "read")).toBe(true);
	});

	it("grants ownership to the owner and to admins", () => {
		expect(canAccess(p(["user"]), "u1")).toBe(true);
		expect(canAccess(p(["user"]), "u2")).toBe(false);
		expect(canAccess(p(["admin"]), "u2")).toBe(true);
		expect(canAccess(null, "u1")).toBe(false);
	});

	it("says why a principal is refused, the way the gateway says it", () => {
		expect(refusal(p(["user"]), "write")).toBeNull();
		expect(refusal(p(["user"]), "admin")).toBe("This needs the admin role");
		expect(refusal(p(["viewer"]), "write")).toBe("Your role does not allow this");
		expect(refusal(p(["admin"], ["read"]), "write")).toBe("This API key's scopes do not allow this");
		expect(refusal(undefined, "read")).toBe("This needs a signed-in user");
	});
});
