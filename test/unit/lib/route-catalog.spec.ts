import { restRoutes } from "../../../lib/route-catalog";

describe("restRoutes", () => {
	it("builds the routes moleculer-web's auto-aliases build: base path, method, published actions only", () => {
		const routes = restRoutes([
			{
				name: "execution",
				settings: { rest: "workflows" },
				actions: {
					execute: { rest: "POST /execute" },
					get: { rest: "GET /executions/:id" },
					any: { rest: "/anything" },
					internal: { rest: "GET /internal", visibility: "public" },
					plain: { handler: () => undefined },
					both: { rest: ["GET /a", "GET /b"] }
				}
			},
			{ name: "webhooks", settings: { rest: "webhooks" }, actions: { list: { rest: "GET /" } } },
			{ name: "auth", actions: { me: { rest: "GET /me" } } }
		]);
		expect(routes).toEqual([
			{ method: "POST", path: "workflows/execute", action: "execution.execute", service: "execution" },
			{ method: "GET", path: "workflows/executions/:id", action: "execution.get", service: "execution" },
			{ method: "*", path: "workflows/anything", action: "execution.any", service: "execution" },
			{ method: "GET", path: "workflows/a", action: "execution.both", service: "execution" },
			{ method: "GET", path: "workflows/b", action: "execution.both", service: "execution" },
			{ method: "GET", path: "webhooks", action: "webhooks.list", service: "webhooks" },
			{ method: "GET", path: "auth/me", action: "auth.me", service: "auth" }
		]);
	});
});
