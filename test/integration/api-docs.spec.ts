import { startTestNode, type TestNode } from "../support/broker";
import { AUTH_ENV } from "../support/factories";

/** What a page loads: src and href attributes. */
function references(html: string): string[] {
	return [...html.matchAll(/\b(?:src|href|spec-url)="([^"]+)"/g)].map(m => m[1]);
}

describe("API docs pages", () => {
	let node: TestNode;

	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
	});
	afterAll(() => node.stop());

	it.each([
		["/docs", "swagger-ui-bundle.js"],
		["/redoc", "redoc.standalone.js"]
	])("%s loads only files this server serves, no CDN", async (page, bundle) => {
		const res = await node.http.get(page).expect(200);
		expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
		const refs = references(res.text);
		expect(refs.some(r => r.endsWith(bundle))).toBe(true);
		for (const ref of refs) {
			expect(ref).toMatch(/^\/[^/]/);
			const asset = await node.http.get(ref).expect(200);
			expect(asset.headers["content-type"]).toMatch(/^(application\/javascript|text\/css|image\/png|application\/json)/);
		}
	});

	it("serves the npm packages' bundles, compressed and cacheable", async () => {
		const res = await node.http.get("/docs/assets/swagger-ui-bundle.js").set("Accept-Encoding", "gzip").expect(200);
		expect(res.headers["content-encoding"]).toBe("gzip");
		expect(res.headers["cache-control"]).toContain("max-age");
		expect(res.text).toContain("SwaggerUIBundle");
	});

	it("serves nothing but the listed files under /docs/assets", async () => {
		for (const name of ["package.json", "..%2Fpackage.json", "index.html"]) {
			const res = await node.http.get(`/docs/assets/${name}`);
			expect(res.status).toBe(404);
			expect(res.body).toMatchObject({ error: "not_found", trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
		}
	});

	it("documents every operation with its security and the error format", async () => {
		const doc = (await node.http.get("/openapi.json").expect(200)).body;
		expect(doc.openapi).toBe("3.1.0");
		expect(doc.components.schemas.Error.required).toEqual(["error", "message", "trace_id"]);
		expect(doc.paths["/api/v3/auth/register"].post.security).toEqual([]);
		expect(doc.paths["/api/v3/auth/me"].get.security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
		expect(doc.paths["/api/v3/auth/users"].get["x-cognitionos-auth"]).toBe("admin");
		expect(doc.paths["/health"].get.security).toEqual([]);
		// Request schemas are the validator's rules.
		const register = doc.paths["/api/v3/auth/register"].post.requestBody.content["application/json"].schema;
		expect(register).toMatchObject({ required: ["email", "password"], properties: { email: { type: "string", maxLength: 320 }, full_name: { type: ["string", "null"] } } });
		const listUsers = doc.paths["/api/v3/auth/users"].get.parameters;
		expect(listUsers).toContainEqual(expect.objectContaining({ name: "page_size", in: "query", required: false, schema: { type: "integer", exclusiveMinimum: 0, maximum: 100 } }));
	});
});
