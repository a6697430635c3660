import { AUTH_REQUIREMENTS, type AuthRequirement } from "../../lib/auth/principal";
import { startTestNode, type TestNode } from "../support/broker";
import { AUTH_ENV, createUser, loginAdmin, type TestUser } from "../support/factories";

interface AliasInfo {
	actionName: string;
	fullPath: string;
	methods: string;
	routePath: string;
	action?: { auth?: AuthRequirement };
}

/**
 * Generated from the gateway's own route table: every route of the API, including
 * ones added after this test was written, must refuse anonymous callers and callers
 * whose role lacks the route's declared requirement.
 */
describe("every API route enforces its declared requirement", () => {
	let node: TestNode;
	let routes: AliasInfo[];
	const as: Partial<Record<"viewer" | "user" | "admin", TestUser>> = {};

	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
		const aliases = (await node.broker.call("api.listAliases", { withActionSchema: true })) as AliasInfo[];
		routes = aliases.filter(a => a.routePath === "/api/v3");
		as.viewer = await createUser(node.http, { role: "viewer" });
		as.user = await createUser(node.http, { role: "user" });
		as.admin = await loginAdmin(node.http);
	});
	afterAll(() => node.stop());

	const call = (route: AliasInfo, headers: Record<string, string>) => {
		const method = (route.methods === "*" ? "GET" : route.methods).toLowerCase() as "get" | "post" | "put" | "patch" | "delete";
		const path = route.fullPath.replace(/:([A-Za-z_]+)\??/g, "00000000-0000-4000-8000-000000000000");
		return node.http[method](path).set(headers).send({});
	};

	it("finds the API's routes in the table", () => {
		const names = routes.map(r => r.actionName);
		expect(names).toEqual(expect.arrayContaining(["auth.register", "auth.login", "auth.me", "auth.listUsers"]));
	});

	it("has every route declare its requirement", () => {
		const undeclared = routes.filter(r => !AUTH_REQUIREMENTS.includes(r.action?.auth as AuthRequirement)).map(r => r.actionName);
		expect(undeclared).toEqual([]);
	});

	it("refuses anonymous callers on every non-public route with 401", async () => {
		const open: string[] = [];
		for (const route of routes.filter(r => r.action?.auth !== "public")) {
			const res = await call(route, {});
			if (res.status !== 401 || res.headers["www-authenticate"] !== "Bearer") open.push(`${route.methods} ${route.fullPath} → ${res.status}`);
		}
		expect(open).toEqual([]);
	});

	it("refuses viewers on write and admin routes, and users on admin routes, with 403", async () => {
		const leaks: string[] = [];
		for (const route of routes) {
			const requirement = route.action?.auth ?? "admin";
			const denied: ("viewer" | "user")[] = requirement === "admin" ? ["viewer", "user"] : requirement === "write" ? ["viewer"] : [];
			for (const who of denied) {
				const res = await call(route, as[who]!.auth);
				if (res.status !== 403) leaks.push(`${who}: ${route.methods} ${route.fullPath} → ${res.status}`);
			}
		}
		expect(leaks).toEqual([]);
	});

	it("lets the right role through (the refusals above are about roles, not broken routes)", async () => {
		const refused: string[] = [];
		for (const route of routes.filter(r => r.action?.auth && r.action.auth !== "public")) {
			const res = await call(route, as.admin!.auth);
			if (res.status === 401 || res.status === 403) refused.push(`${route.methods} ${route.fullPath} → ${res.status}`);
		}
		expect(refused).toEqual([]);
	});
});
