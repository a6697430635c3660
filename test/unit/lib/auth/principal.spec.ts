import { canAccess, satisfies, type Principal } from "../../../../lib/auth/principal";

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
});
