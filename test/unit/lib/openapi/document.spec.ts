import { buildOpenApiDocument, openApiPath, type RouteOperation } from "../../../../lib/openapi/document";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const INFO = { title: "T", version: "1.2.3" };

function operation(doc: Json, path: string, method: string): Json {
	return doc.paths[path][method];
}

describe("the OpenAPI document from the route table", () => {
	const routes: RouteOperation[] = [
		{
			method: "GET",
			path: "/api/v3/things/:id/:version",
			action: "things.get",
			auth: "read",
			params: { id: { type: "string", max: 36 }, version: { type: "number", integer: true, convert: true }, expand: "boolean|optional" },
			openapi: {
				summary: "Get a thing",
				responses: { 200: { description: "The thing", schema: { title: "Thing", type: "object", properties: { id: { type: "string" } } } }, 404: "No such thing" },
				example: { id: "abc", version: 2 }
			}
		},
		{
			method: "POST",
			path: "/api/v3/things",
			action: "things.create",
			auth: "write",
			params: { name: { type: "string", min: 1 }, tags: { type: "array", items: "string", optional: true } },
			openapi: {
				summary: "Create a thing",
				responses: { 201: { description: "Created", schema: { title: "Thing", type: "object", properties: { id: { type: "string" } } } } },
				example: { name: "n" },
				requestBodies: { "application/yaml": { schema: { type: "string" }, example: "name: n\n" } }
			}
		},
		{ method: "POST", path: "/api/v3/things/:id/archive", action: "things.archive", auth: "admin", params: { id: "string" }, openapi: { summary: "Archive", responses: { 204: { description: "Archived", schema: null } } } },
		{ method: "GET", path: "/health", action: "api.health", auth: "public" }
	];
	const doc = buildOpenApiDocument(INFO, routes) as Json;

	it("writes paths the OpenAPI way", () => {
		expect(openApiPath("/api/v3/users/:id")).toBe("/api/v3/users/{id}");
		expect(Object.keys(doc.paths).sort()).toEqual(["/api/v3/things", "/api/v3/things/{id}/{version}", "/api/v3/things/{id}/archive", "/health"].sort());
		expect(doc.openapi).toBe("3.1.0");
		expect(doc.info).toEqual(INFO);
	});

	it("takes path and query parameters from the validator's rules, with examples", () => {
		const get = operation(doc, "/api/v3/things/{id}/{version}", "get");
		expect(get.operationId).toBe("things.get");
		expect(get.parameters).toEqual([
			{ name: "id", in: "path", required: true, schema: { type: "string", maxLength: 36 }, example: "abc" },
			{ name: "version", in: "path", required: true, schema: { type: "integer" }, example: 2 },
			{ name: "expand", in: "query", required: false, schema: { type: "boolean" } }
		]);
		expect(get.requestBody).toBeUndefined();
	});

	it("takes the JSON body from the rules, and extra media types from the annotation", () => {
		const create = operation(doc, "/api/v3/things", "post");
		expect(create.requestBody.required).toBe(true);
		expect(create.requestBody.content["application/json"]).toEqual({
			schema: { type: "object", properties: { name: { type: "string", minLength: 1 }, tags: { type: "array", items: { type: "string" } } }, required: ["name"] },
			example: { name: "n" }
		});
		expect(create.requestBody.content["application/yaml"]).toEqual({ schema: { type: "string" }, example: "name: n\n" });
	});

	it("states each operation's auth as a security requirement", () => {
		expect(operation(doc, "/health", "get").security).toEqual([]);
		expect(operation(doc, "/api/v3/things", "post").security).toEqual([{ bearerAuth: [] }, { apiKeyAuth: [] }]);
		expect(operation(doc, "/api/v3/things/{id}/archive", "post")["x-cognitionos-auth"]).toBe("admin");
		expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
	});

	it("declares the answers: annotated ones, then 400/401/403/422 where they apply, 503 everywhere, and a default in the error format", () => {
		const get = operation(doc, "/api/v3/things/{id}/{version}", "get");
		expect(Object.keys(get.responses)).toEqual(["200", "401", "403", "404", "422", "503", "default"]);
		expect(get.responses["503"].headers["Retry-After"]).toBeDefined();
		expect(get.responses["404"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
		expect(get.responses["401"].headers["WWW-Authenticate"]).toBeDefined();
		expect(Object.keys(operation(doc, "/api/v3/things", "post").responses)).toEqual(["201", "400", "401", "403", "422", "503", "default"]);
		expect(Object.keys(operation(doc, "/health", "get").responses)).toEqual(["200", "503", "default"]);
		const archived = operation(doc, "/api/v3/things/{id}/archive", "post").responses["204"];
		expect(archived.content).toBeUndefined();
		expect(doc.components.schemas.Error.required).toEqual(["error", "message", "trace_id"]);
	});

	it("moves titled schemas into components", () => {
		expect(operation(doc, "/api/v3/things/{id}/{version}", "get").responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Thing" });
		expect(doc.components.schemas.Thing).toEqual({ title: "Thing", type: "object", properties: { id: { type: "string" } } });
	});
});
