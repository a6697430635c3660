import type { Response } from "supertest";
import { startTestNode, type TestNode } from "../support/broker";
import type { Database } from "../../lib/db/database";
import { runtimeOf } from "../../lib/runtime";
import { CONTRACT_ENV, CONTRACT_FIXTURES, type RequestOverrides } from "../support/contract-fixtures";
import { createUser, loginAdmin, type TestUser } from "../support/factories";
import { fillPath, listOperations, SpecValidator, wrongValue, type Json, type Operation } from "../support/openapi";

interface Call {
	label: string;
	method: string;
	url: string;
	as?: TestUser;
	body?: unknown;
	/** Raw text sent as is with this content type (malformed JSON, YAML). */
	raw?: { contentType: string; text: string };
}

/**
 * The API answers as /openapi.json says, for every operation in it, so the document cannot
 * drift from the code: each operation is called with a valid request (from the spec's
 * examples, plus live values from test/support/contract-fixtures.ts) and with invalid ones
 * made from its schemas, and every answer's status, headers and body are checked against
 * the document with ajv. Operations added later are covered without touching this file.
 */
describe("the OpenAPI document is the API's contract", () => {
	let node: TestNode;
	let doc: Json;
	let spec: SpecValidator;
	let operations: Operation[];
	let admin: TestUser;
	let db: Database;

	beforeAll(async () => {
		node = await startTestNode({ env: CONTRACT_ENV });
		db = await runtimeOf(node.broker).database();
		const res = await node.http.get("/openapi.json").expect(200);
		expect(res.headers["content-type"]).toContain("application/json");
		doc = res.body as Json;
		spec = new SpecValidator(doc);
		operations = listOperations(doc);
		admin = await loginAdmin(node.http);
	});
	afterAll(() => node.stop());

	function send(call: Call): Promise<Response> {
		let req = node.http[call.method as "get"](call.url);
		if (call.as) req = req.set(call.as.auth);
		if (call.raw) return req.set("Content-Type", call.raw.contentType).send(call.raw.text);
		return call.body === undefined ? req : req.send(call.body as object);
	}

	/** Problems with one answer: a status the operation does not declare, a missing header, a body off its schema. */
	function checkAnswer(operation: Operation, call: Call, res: Response): string[] {
		const where = `${operation.method.toUpperCase()} ${operation.path} (${call.label}) → ${res.status}`;
		const responses = operation.op.responses as Record<string, Json>;
		const declared = responses[String(res.status)];
		if (!declared) return [`${where}: status not declared in the document (declared: ${Object.keys(responses).join(", ")})`];
		const problems: string[] = [];
		if (!res.headers["x-request-id"]) problems.push(`${where}: no X-Request-ID header`);
		const headers = (declared.headers ?? {}) as Record<string, Json>;
		if (headers["WWW-Authenticate"] && !res.headers["www-authenticate"]) problems.push(`${where}: no WWW-Authenticate header`);
		const content = declared.content as Record<string, { schema: Json }> | undefined;
		if (!content) {
			if (res.text) problems.push(`${where}: the document says no body, got ${res.text.slice(0, 100)}`);
			return problems;
		}
		const type = String(res.headers["content-type"] ?? "").split(";")[0];
		const media = content[type];
		if (!media) return [...problems, `${where}: content type ${type} not declared (declared: ${Object.keys(content).join(", ")})`];
		const bad = spec.errors(media.schema, res.body);
		if (bad) problems.push(`${where}: body does not match the document: ${bad}; body ${JSON.stringify(res.body).slice(0, 300)}`);
		return problems;
	}

	function callerFor(operation: Operation, overrides: RequestOverrides, user: () => Promise<TestUser>): Promise<TestUser | undefined> {
		if (overrides.as) return Promise.resolve(overrides.as);
		if (operation.auth === "public") return Promise.resolve(undefined);
		return operation.auth === "admin" ? Promise.resolve(admin) : user();
	}

	/** The valid requests of an operation (one per request content type), or why none can be made. */
	async function validCalls(operation: Operation): Promise<{ calls: Call[]; missing: string[]; pathValues: Record<string, string>; query: URLSearchParams }> {
		const fixture = CONTRACT_FIXTURES[operation.id];
		const overrides = fixture ? await fixture({ http: node.http, db, user: () => createUser(node.http), admin }) : {};
		const missing: string[] = [];
		const pathValues: Record<string, string> = {};
		const query = new URLSearchParams();
		for (const p of operation.parameters) {
			const name = String(p.name);
			if (p.in === "path") {
				const value = overrides.path?.[name] ?? (p.example as string | undefined);
				if (value === undefined) missing.push(`path parameter "${name}" has no example`);
				else pathValues[name] = String(value);
			} else if (p.in === "query") {
				const value = overrides.query?.[name] ?? p.example;
				if (value !== undefined) query.set(name, String(value));
				else if (p.required) missing.push(`required query parameter "${name}" has no example`);
			}
		}
		const as = await callerFor(operation, overrides, () => createUser(node.http));
		const url = fillPath(operation.path, pathValues) + (query.size ? `?${query}` : "");
		const body = operation.op.requestBody as { required?: boolean; content: Record<string, { example?: unknown; schema: Json }> } | undefined;
		if (!body) return { calls: [{ label: "valid", method: operation.method, url, as }], missing, pathValues, query };
		const calls: Call[] = [];
		for (const [type, media] of Object.entries(body.content)) {
			const example = type === "application/json" ? (overrides.body ?? media.example) : media.example;
			if (example === undefined) {
				if (body.required || type !== "application/json") missing.push(`request body ${type} has no example`);
				continue;
			}
			const bad = spec.errors(media.schema, example);
			if (bad) missing.push(`the ${type} example does not match the request schema: ${bad}`);
			calls.push(
				type === "application/json"
					? { label: "valid", method: operation.method, url, as, body: example }
					: { label: `valid ${type}`, method: operation.method, url, as, raw: { contentType: type, text: String(example) } }
			);
		}
		if (!body.required && calls.length === 0) calls.push({ label: "valid, no body", method: operation.method, url, as });
		return { calls, missing, pathValues, query };
	}

	it("lists every route of the gateway", async () => {
		const aliases = (await node.broker.call("api.listAliases")) as { actionName?: string; methods: string; fullPath: string }[];
		const documented = new Set(operations.map(o => `${o.method.toUpperCase()} ${o.path}`));
		const routes = aliases.filter(a => a.actionName).map(a => `${a.methods} ${a.fullPath.replace(/:([A-Za-z_]\w*)/g, "{$1}")}`);
		expect(routes.filter(r => !documented.has(r))).toEqual([]);
		expect(operations.length).toBeGreaterThanOrEqual(routes.length);
	});

	it("compiles: every schema in the document is valid JSON Schema 2020-12", () => {
		const problems: string[] = [];
		for (const operation of operations) {
			for (const [status, answer] of Object.entries(operation.op.responses as Record<string, Json>)) {
				for (const [type, media] of Object.entries((answer.content ?? {}) as Record<string, { schema: Json }>)) {
					try {
						spec.compile(media.schema);
					} catch (err) {
						problems.push(`${operation.id} ${status} ${type}: ${(err as Error).message}`);
					}
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it("answers a valid request to every operation with a documented 2xx whose body matches", async () => {
		const problems: string[] = [];
		for (const operation of operations) {
			const { calls, missing } = await validCalls(operation);
			const where = `${operation.method.toUpperCase()} ${operation.path} (${operation.id})`;
			if (missing.length) {
				problems.push(`${where}: no way to build a valid request: ${missing.join("; ")}. Give the action's openapi.example these values, or add a fixture for "${operation.id}" in test/support/contract-fixtures.ts`);
				continue;
			}
			for (const call of calls) {
				const res = await send(call);
				if (res.status < 200 || res.status > 299)
					problems.push(`${where} (${call.label}): expected a 2xx, got ${res.status} ${JSON.stringify(res.body)}. If the example names something that does not exist, add a fixture in test/support/contract-fixtures.ts`);
				problems.push(...checkAnswer(operation, call, res));
			}
		}
		expect(problems).toEqual([]);
	});

	it("answers invalid requests to every operation with the documented 4xx in the error format", async () => {
		const problems: string[] = [];
		for (const operation of operations) {
			const { calls, pathValues, query } = await validCalls(operation);
			const valid = calls.find(c => c.label === "valid" || c.label === "valid, no body") ?? calls[0];
			if (!valid) continue; // Reported by the test of valid requests.
			const expect4xx = (call: Call, status: number, field?: string) =>
				send(call).then(res => {
					if (res.status !== status) problems.push(`${operation.method.toUpperCase()} ${operation.path} (${call.label}): expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
					else if (field && !(res.body.detail as { path: string }[] | undefined)?.some(d => d.path === field || d.path.startsWith(`${field}.`) || d.path.startsWith(`${field}[`)))
						problems.push(`${operation.method.toUpperCase()} ${operation.path} (${call.label}): the 422 does not name "${field}": ${JSON.stringify(res.body)}`);
					problems.push(...checkAnswer(operation, call, res));
				});

			if (operation.auth !== "public") await expect4xx({ ...valid, label: "no credentials", as: undefined }, 401);

			// Query and path parameters of the wrong kind.
			for (const p of operation.parameters) {
				const bad = wrongValue(p.schema as Json, true);
				if (bad === undefined || (p.in !== "query" && p.in !== "path")) continue;
				const badPath = p.in === "path" ? { ...pathValues, [String(p.name)]: String(bad) } : pathValues;
				const badQuery = new URLSearchParams(query);
				if (p.in === "query") badQuery.set(String(p.name), String(bad));
				const url = fillPath(operation.path, badPath) + (badQuery.size ? `?${badQuery}` : "");
				await expect4xx({ ...valid, label: `${p.in} ${p.name}=${String(bad).slice(0, 20)}`, url }, 422, String(p.name));
			}

			// JSON bodies: each required field left out, each field of the wrong kind, and a body that is not JSON.
			const json = (operation.op.requestBody as { content: Record<string, { schema: Json }> } | undefined)?.content["application/json"];
			if (json && valid.body && typeof valid.body === "object") {
				const schema = json.schema;
				for (const name of (schema.required as string[] | undefined) ?? []) {
					const body = { ...(valid.body as Json) };
					delete body[name];
					await expect4xx({ ...valid, label: `without ${name}`, body }, 422, name);
				}
				for (const [name, propSchema] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
					const bad = wrongValue(propSchema);
					if (bad === undefined) continue;
					await expect4xx({ ...valid, label: `${name}: ${JSON.stringify(bad).slice(0, 20)}`, body: { ...(valid.body as Json), [name]: bad } }, 422, name);
				}
				await expect4xx({ ...valid, label: "malformed JSON", body: undefined, raw: { contentType: "application/json", text: '{"unfinished": ' } }, 400);
			}
		}
		expect(problems).toEqual([]);
	});
});
