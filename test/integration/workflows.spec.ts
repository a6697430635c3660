import { readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { startTestNode, type TestNode } from "../support/broker";
import { AUTH_ENV, createUser, loginAdmin, type TestUser } from "../support/factories";
import { workflowDefinition } from "../support/workflows";

const EXAMPLE_YAML = readFileSync(path.resolve(__dirname, "../fixtures/workflows/deploy-web-app.yaml"), "utf8");

describe("workflow definitions API", () => {
	let node: TestNode;
	let user: TestUser;

	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
		user = await createUser(node.http);
	});
	afterAll(() => node.stop());

	it("stores a summary-style JSON definition and returns the normalized model", async () => {
		const res = await node.http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({
				workflow_id: "research-report",
				version: "1.0.0",
				name: "Research report",
				description: "Agents research a topic",
				tags: ["agents", "demo"],
				steps: [
					{ step_id: "research", name: "Research", agent_capability: "web_research", inputs: { topic: "durable execution" }, timeout_seconds: 60 },
					{ step_id: "summarize", name: "Summarize", agent_capability: "summarization", inputs: { text: "${{ steps.research.output.text }}" }, depends_on: ["research"], retry_config: { max_retries: 2 } }
				]
			})
			.expect(201);
		expect(res.headers.location).toBe("/api/v3/workflows/research-report/1.0.0");
		expect(res.body).toMatchObject({ workflow_id: "research-report", version: "1.0.0", status: "active", owner_id: user.user_id, tags: ["agents", "demo"] });
		expect(res.body.steps[0]).toMatchObject({ id: "research", type: "ai_generate", timeout: "1m" });
		expect(res.body.steps[1]).toMatchObject({ id: "summarize", depends_on: ["research"], retry: 2 });
		const got = await node.http.get("/api/v3/workflows/research-report/1.0.0").set(user.auth).expect(200);
		expect(got.body).toEqual(res.body);
	});

	it("refuses the example YAML, naming its unsupported step types", async () => {
		const res = await node.http.post("/api/v3/workflows").set(user.auth).set("Content-Type", "application/yaml").send(EXAMPLE_YAML).expect(422);
		for (const type of ["git_clone", "execute_python", "docker_build", "docker_run", "kubernetes_apply", "send_slack"]) expect(res.body.message).toContain(type);
		expect(res.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ path: "steps[0].type" })]));
	});

	it("takes YAML, and gives it back as YAML that re-imports to the same model", async () => {
		const yaml = [
			"workflow:",
			'  id: "deploy-web-app"',
			'  version: "1.0.0"',
			'  name: "Deploy Web Application"',
			"  inputs:",
			"    - name: repo_url",
			"      type: string",
			"      required: true",
			"    - name: environment",
			"      type: enum",
			"      values: [dev, staging, prod]",
			"      default: dev",
			"    - name: run_tests",
			"      type: boolean",
			"      default: true",
			"  outputs:",
			"    - name: deployment_url",
			"      type: string",
			'      value: "https://app-${{ inputs.environment }}.example.com"',
			"  steps:",
			"    - id: build",
			"      type: transform",
			"      params:",
			"        expression: \"'built ' & inputs.repo_url\"",
			"      timeout: 120s",
			"      retry: 2",
			"    - id: health_check",
			"      type: http_request",
			"      depends_on: [build]",
			"      params:",
			"        url: https://app-${{ inputs.environment }}.example.com/health",
			"        method: GET",
			"        expected_status: 200",
			"      retry: 5",
			"      retry_delay: 10s",
			"      approval_required: ${{ inputs.environment }} == 'prod'",
			""
		].join("\n");
		const created = await node.http.post("/api/v3/workflows").set(user.auth).set("Content-Type", "text/yaml").send(yaml);
		expect(created.status).toBe(201);
		expect(created.body.inputs.map((i: { name: string }) => i.name)).toEqual(["repo_url", "environment", "run_tests"]);
		const asYaml = await node.http.get("/api/v3/workflows/deploy-web-app/1.0.0?format=yaml").set(user.auth).expect(200);
		expect(asYaml.headers["content-type"]).toContain("application/yaml");
		expect(YAML.parse(asYaml.text).workflow.id).toBe("deploy-web-app");
		// Re-posting the printed YAML is the same definition: idempotent.
		const again = await node.http.post("/api/v3/workflows").set(user.auth).set("Content-Type", "application/yaml").send(asYaml.text).expect(200);
		expect(again.body).toEqual(created.body);
	});

	it("answers malformed YAML and JSON with 400 naming the line", async () => {
		const yaml = await node.http.post("/api/v3/workflows").set(user.auth).set("Content-Type", "application/yaml").send("workflow:\n  id: x\n   version: [\n").expect(400);
		expect(yaml.body.message).toMatch(/line \d+/);
		const json = await node.http.post("/api/v3/workflows").set(user.auth).set("Content-Type", "application/json").send('{"workflow_id": "x",\n "steps": [}').expect(400);
		expect(json.body.error).toBe("invalid_body");
		expect(json.body.message).toMatch(/line \d+/);
		expect(json.body.message).toBe("Malformed JSON at line 2, column 12: Unexpected token '}'");
		expect(json.body.detail).toEqual([{ path: "body", message: "line 2, column 12: Unexpected token '}'" }]);
	});

	it("is idempotent for an identical re-post and refuses different content under one version with 409", async () => {
		const def = workflowDefinition("repost");
		const first = await node.http.post("/api/v3/workflows").set(user.auth).send(def).expect(201);
		const again = await node.http.post("/api/v3/workflows").set(user.auth).send(def).expect(200);
		expect(again.body.id).toBe(first.body.id);
		const changed = { ...def, steps: [{ id: "only", type: "transform", params: { expression: "2" } }] };
		const res = await node.http.post("/api/v3/workflows").set(user.auth).send(changed).expect(409);
		expect(res.body.message).toContain("different content");
		// Another owner may use the same id and version: namespaces are per owner.
		const other = await createUser(node.http);
		await node.http.post("/api/v3/workflows").set(other.auth).send(changed).expect(201);
	});

	it("reports every validation problem at once with its path", async () => {
		const res = await node.http
			.post("/api/v3/workflows")
			.set(user.auth)
			.send({
				workflow_id: "bad id!",
				version: "one",
				steps: [
					{ id: "a", type: "transform", params: { expression: "1" }, depends_on: ["c"] },
					{ id: "b", type: "http_request", params: {}, depends_on: ["a"] },
					{ id: "c", type: "transform", params: { expression: "1" }, depends_on: ["b"] }
				]
			})
			.expect(422);
		const paths = res.body.detail.map((d: { path: string }) => d.path);
		expect(paths).toEqual(expect.arrayContaining(["workflow_id", "version", "steps[1].params.url"]));
		const cycle = res.body.detail.find((d: { message: string }) => d.message.includes("→"));
		expect(cycle.message).toMatch(/([abc]) → [abc] → [abc] → \1/);
	});

	it("moves through the lifecycle, refusing moves it does not allow", async () => {
		const def = { ...workflowDefinition("life"), status: "draft" };
		const created = await node.http.post("/api/v3/workflows").set(user.auth).send(def).expect(201);
		expect(created.body.status).toBe("draft");
		await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: def.workflow_id, workflow_version: "1.0.0" }).expect(409);
		const move = (status: string) => node.http.post(`/api/v3/workflows/${def.workflow_id}/1.0.0/status`).set(user.auth).send({ status });
		expect((await move("active")).body.status).toBe("active");
		// Reads are cached; a status change must show at once.
		expect((await node.http.get(`/api/v3/workflows/${def.workflow_id}/1.0.0`).set(user.auth)).body.status).toBe("active");
		expect((await move("deprecated")).body.status).toBe("deprecated");
		expect((await node.http.get(`/api/v3/workflows/${def.workflow_id}/1.0.0`).set(user.auth)).body.status).toBe("deprecated");
		expect((await move("active")).status).toBe(200);
		expect((await move("archived")).body.status).toBe("archived");
		const stuck = await move("active");
		expect(stuck.status).toBe(409);
		expect(stuck.body.message).toContain("archived is final");
		const bad = await move("retired");
		expect(bad.status).toBe(422);
	});

	it("lists the caller's workflows with paging and filters", async () => {
		const lister = await createUser(node.http);
		for (let i = 0; i < 5; i++) {
			await node.http
				.post("/api/v3/workflows")
				.set(lister.auth)
				.send({ ...workflowDefinition("list", `list-${i}`), name: i % 2 ? `Odd report ${i}` : `Even digest ${i}`, tags: i % 2 ? ["odd"] : ["even"] })
				.expect(201);
		}
		const page1 = await node.http.get("/api/v3/workflows?page=1&page_size=2").set(lister.auth).expect(200);
		expect(page1.body).toMatchObject({ total: 5, page: 1, page_size: 2 });
		expect(page1.body.workflows).toHaveLength(2);
		const page3 = await node.http.get("/api/v3/workflows?page=3&page_size=2").set(lister.auth).expect(200);
		expect(page3.body.workflows).toHaveLength(1);
		const odd = await node.http.get("/api/v3/workflows?tag=odd").set(lister.auth).expect(200);
		expect(odd.body.total).toBe(2);
		const search = await node.http.get("/api/v3/workflows?q=digest").set(lister.auth).expect(200);
		expect(search.body.total).toBe(3);
		await node.http.get("/api/v3/workflows?page_size=101").set(lister.auth).expect(422);
		await node.http.post("/api/v3/workflows/list-0/1.0.0/status").set(lister.auth).send({ status: "deprecated" }).expect(200);
		const deprecated = await node.http.get("/api/v3/workflows?status=deprecated").set(lister.auth).expect(200);
		expect(deprecated.body.workflows.map((w: { workflow_id: string }) => w.workflow_id)).toEqual(["list-0"]);
		const versions = await node.http.get("/api/v3/workflows/list-1").set(lister.auth).expect(200);
		expect(versions.body.versions).toHaveLength(1);
	});

	it("hides other users' workflows (404), and shows admins everyone's", async () => {
		const def = workflowDefinition("private");
		await node.http.post("/api/v3/workflows").set(user.auth).send(def).expect(201);
		const other = await createUser(node.http);
		await node.http.get(`/api/v3/workflows/${def.workflow_id}/1.0.0`).set(other.auth).expect(404);
		await node.http.get(`/api/v3/workflows/${def.workflow_id}`).set(other.auth).expect(404);
		const theirs = await node.http.get("/api/v3/workflows").set(other.auth).expect(200);
		expect(theirs.body.workflows.map((w: { workflow_id: string }) => w.workflow_id)).not.toContain(def.workflow_id);
		const admin = await loginAdmin(node.http);
		await node.http.get(`/api/v3/workflows/${def.workflow_id}/1.0.0?owner_id=${user.user_id}`).set(admin.auth).expect(200);
	});

	it("refuses viewers, who are read-only", async () => {
		const viewer = await createUser(node.http, { role: "viewer" });
		await node.http.post("/api/v3/workflows").set(viewer.auth).send(workflowDefinition("viewer")).expect(403);
		await node.http.get("/api/v3/workflows").set(viewer.auth).expect(200);
	});

	it("reserves the ids the API's own paths use", async () => {
		const res = await node.http.post("/api/v3/workflows").set(user.auth).send(workflowDefinition("executions", "executions")).expect(422);
		expect(res.body.detail[0].path).toBe("workflow_id");
	});

	it("records WorkflowCreated and lifecycle events in the outbox", async () => {
		const def = workflowDefinition("events");
		const created = await node.http.post("/api/v3/workflows").set(user.auth).send(def).expect(201);
		await node.http.post(`/api/v3/workflows/${def.workflow_id}/1.0.0/status`).set(user.auth).send({ status: "deprecated" }).expect(200);
		const { runtimeOf } = await import("../../lib/runtime");
		const db = await runtimeOf(node.broker).database();
		const rows = await db.sql.all<{ event_type: string }>("SELECT event_type FROM outbox WHERE aggregate_id = $1 ORDER BY id", [created.body.id]);
		expect(rows.map(r => r.event_type)).toEqual(["WorkflowCreated", "WorkflowDeprecated"]);
	});
});
