import http from "node:http";
import { gunzipSync } from "node:zlib";
import supertest from "supertest";
import { startTestNode, type TestNode } from "../support/broker";
import { describeWith } from "../support/env";
import { AUTH_ENV, createUser, loginAdmin } from "../support/factories";
import { waitFor } from "../support/event-bus-harness";
import { createTestDatabase } from "../support/postgres";
import { promtool, promtoolAvailable } from "../support/promtool";

const withPromtool = promtoolAvailable() ? it : it.skip;

/** Samples of `family` in Prometheus text, as label sets with values. */
function samples(text: string, family: string): { labels: Record<string, string>; value: number }[] {
	const out: { labels: Record<string, string>; value: number }[] = [];
	for (const line of text.split("\n")) {
		const m = new RegExp(`^${family}(?:\\{(.*)\\})? (\\S+)$`).exec(line);
		if (!m) continue;
		const labels = Object.fromEntries([...(m[1] ?? "").matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map(l => [l[1], l[2]]));
		out.push({ labels, value: Number(m[2]) });
	}
	return out;
}

describe("/metrics on the gateway port", () => {
	let node: TestNode;
	let text: string;
	let userId: string;

	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
		const user = await createUser(node.http);
		userId = user.user_id;
		const admin = await loginAdmin(node.http);
		await node.http.get(`/api/v3/auth/users/${user.user_id}`).set(admin.auth).expect(200);
		await node.http.get(`/api/v3/auth/users/${user.user_id}`).expect(401);
		await node.http.get("/api/v3/no-such-route/12345").expect(404);
		await node.http.get("/health").expect(200);
		// The relay publishes the start-up events (the admin's and this user's registration) on its own beat.
		await waitFor(async () => (await node.http.get("/api/v3/events/status").set(admin.auth)).body.outbox?.pending === 0, "the outbox to drain");
		const res = await node.http.get("/metrics").expect(200);
		expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
		text = res.text;
	});
	afterAll(() => node.stop());

	it("counts HTTP requests by method, route template and status, never by raw path", () => {
		const requests = samples(text, "http_requests_total");
		expect(requests).toEqual(
			expect.arrayContaining([
				{ labels: { method: "GET", endpoint: "/api/v3/auth/users/{id}", status: "200" }, value: 1 },
				{ labels: { method: "GET", endpoint: "/api/v3/auth/users/{id}", status: "401" }, value: 1 },
				{ labels: { method: "POST", endpoint: "/api/v3/auth/register", status: "201" }, value: 1 },
				{ labels: { method: "GET", endpoint: "unmatched", status: "404" }, value: 1 },
				{ labels: { method: "GET", endpoint: "/health", status: "200" }, value: 1 }
			])
		);
		expect(text).not.toContain(userId);
		expect(text).not.toContain("no-such-route");
		const durations = samples(text, "http_request_duration_seconds_count");
		expect(durations).toContainEqual({ labels: { method: "GET", endpoint: "/api/v3/auth/users/{id}" }, value: 2 });
		// The scrape itself is in progress while it is written.
		expect(samples(text, "http_requests_in_progress")).toContainEqual({ labels: { method: "GET" }, value: 1 });
	});

	it("counts and times SQL statements by operation and table", () => {
		const queries = samples(text, "db_queries_total");
		expect(queries.find(q => q.labels.operation === "insert" && q.labels.table === "users")?.value).toBeGreaterThanOrEqual(1);
		expect(queries.find(q => q.labels.operation === "select" && q.labels.table === "users")?.value).toBeGreaterThanOrEqual(1);
		expect(samples(text, "db_query_duration_seconds_bucket").some(s => s.labels.le === "+Inf" && s.labels.table === "users")).toBe(true);
		// SQLite has no pool: its gauges are not registered at all.
		expect(text).not.toContain("db_pool_connections");
	});

	it("reports what runs on this node, and Moleculer's own metrics beside the product's", () => {
		expect(samples(text, "cognitionos_service_info")).toEqual([
			{ labels: { version: node.config.version, node_id: node.config.nodeID, mode: "embedded", environment: "test", services: node.config.SERVICES.join(",") }, value: 1 }
		]);
		expect(samples(text, "auth_tokens_created_total")).toContainEqual({ labels: { token_type: "access" }, value: expect.any(Number) });
		expect(text).toContain("# TYPE moleculer_request_total counter");
		// Facts about the host stay off an endpoint on the API port.
		expect(text).not.toMatch(/^(os_user_|os_network_|process_arguments)/m);
	});

	it("exposes the families of the services this node runs", () => {
		// Families appear once they have a value: the relay has published the start-up events before the scrape.
		const present = ["events_published_total", "auth_tokens_created_total"].filter(f => text.includes(`# TYPE ${f} `));
		expect(present).toEqual(["events_published_total", "auth_tokens_created_total"]);
	});

	withPromtool("passes promtool check metrics", () => {
		const check = promtool(["check", "metrics"], text);
		expect(check.output).toBe("");
		expect(check.code).toBe(0);
	});

	it("compresses the answer when asked", async () => {
		// Plain node:http: supertest would decompress it for us.
		const { headers, body } = await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
			http.get(`${node.url}/metrics`, { headers: { "Accept-Encoding": "gzip" } }, res => {
				const chunks: Buffer[] = [];
				res.on("data", (c: Buffer) => chunks.push(c));
				res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
			}).on("error", reject);
		});
		expect(headers["content-encoding"]).toBe("gzip");
		expect(gunzipSync(body).toString("utf8")).toContain("# TYPE http_requests_total counter");
	});
});

describe("/metrics on a node without the gateway", () => {
	let node: TestNode;

	beforeAll(async () => {
		node = await startTestNode({ env: { ...AUTH_ENV, OBSERVABILITY_METRICS_PORT: "0" }, services: ["auth"] });
	});
	afterAll(() => node.stop());

	it("is served on a port of its own, and passes promtool", async () => {
		const line = node.logs.lines.find(l => typeof l.msg === "string" && l.msg.startsWith("Metrics at http://"));
		expect(line).toBeDefined();
		const res = await supertest(`http://127.0.0.1:${String(line!.port)}`).get("/metrics").expect(200);
		expect(samples(res.text, "cognitionos_service_info")[0].labels.services).toBe("auth");
		if (promtoolAvailable()) expect(promtool(["check", "metrics"], res.text)).toEqual({ code: 0, output: "" });
	});
});

describe("with OBSERVABILITY_ENABLE_METRICS=false", () => {
	let node: TestNode;

	beforeAll(async () => {
		node = await startTestNode({ env: { ...AUTH_ENV, OBSERVABILITY_ENABLE_METRICS: "false" } });
	});
	afterAll(() => node.stop());

	it("answers /metrics with 404 in the API's error format", async () => {
		const res = await node.http.get("/metrics").expect(404);
		expect(res.body).toMatchObject({ error: "not_found", trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
	});
});

describeWith(["postgres"])("/metrics with PostgreSQL", () => {
	let db: Awaited<ReturnType<typeof createTestDatabase>>;
	let node: TestNode;

	beforeAll(async () => {
		db = await createTestDatabase();
		node = await startTestNode({ env: { ...AUTH_ENV, DATABASE_URL: db.url } });
	});
	afterAll(async () => {
		await node?.stop();
		await db?.drop();
	});

	it("reads the pool's gauges at each scrape", async () => {
		await createUser(node.http);
		const text = (await node.http.get("/metrics").expect(200)).text;
		const states = samples(text, "db_pool_connections").map(s => s.labels.state);
		expect(states.sort()).toEqual(["idle", "in_use"]);
		expect(samples(text, "db_pool_max_connections")).toEqual([{ labels: {}, value: node.config.DB_POOL_MAX }]);
		expect(samples(text, "db_pool_waiting_requests")).toHaveLength(1);
		if (promtoolAvailable()) expect(promtool(["check", "metrics"], text)).toEqual({ code: 0, output: "" });
	});
});
