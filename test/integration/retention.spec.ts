import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { embeddedHarness, execute, finished, postWorkflow, waitForExecution, type EngineHarness } from "../support/engine-harness";
import type { TestNode } from "../support/broker";
import { describeWith } from "../support/env";
import { loginAdmin } from "../support/factories";
import { createTestDatabase } from "../support/postgres";

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > until) throw new Error("the condition did not hold in time");
		await new Promise(r => setTimeout(r, 50));
	}
}

/** Archived lines of every closed archive file under `dir`. */
function archived(dir: string): { execution: { id: string }; steps: { step_id: string }[] }[] {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return [];
	}
	return names
		.filter(n => n.endsWith(".jsonl.gz"))
		.flatMap(n => gunzipSync(readFileSync(path.join(dir, n))).toString("utf8").trim().split("\n").map(l => JSON.parse(l)));
}

function defineRetentionSuite(title: string, setup: () => Promise<{ env: Record<string, string>; drop?: () => Promise<void> }>): void {
	describe(title, () => {
		let h: EngineHarness & { readonly node: TestNode };
		let drop: (() => Promise<void>) | undefined;
		let archiveDir: string;

		beforeAll(async () => {
			const s = await setup();
			drop = s.drop;
			h = await embeddedHarness({ EXECUTION_PRUNE_INTERVAL: "200ms", ...s.env });
			archiveDir = path.join(h.node.dataDir, "archive");
		});
		afterAll(async () => {
			await h?.stop();
			await drop?.();
		});

		it("refuses a retention that is not a duration, and a prune without one", async () => {
			const bad = await h.http.post("/api/v3/workflows").set(h.user.auth).send({ workflow_id: "bad-retention", version: "1.0.0", retention: "soon", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
			expect(bad.status).toBe(422);
			expect(bad.body.detail).toEqual([expect.objectContaining({ path: "retention" })]);
			const admin = await loginAdmin(h.http);
			const noDuration = await h.http.post("/api/v3/admin/prune").set(admin.auth).send({ older_than: "a while" });
			expect(noDuration.status).toBe(422);
			expect(noDuration.body.detail).toEqual([expect.objectContaining({ path: "older_than" })]);
			expect((await h.http.post("/api/v3/admin/prune").set(h.user.auth).send({ older_than: "1d" })).status).toBe(403);
		});

		it("prunes on request: archives the run with its steps and sub-runs, and the pruned run answers 404", async () => {
			await postWorkflow(h, { workflow_id: "kept-child", version: "1.0.0", steps: [{ id: "inner", type: "transform", params: { expression: "42" } }] });
			await postWorkflow(h, {
				workflow_id: "prunable",
				version: "1.0.0",
				steps: [
					{ id: "a", type: "http_request", params: { url: `${h.target.url}/ok?value=1` } },
					{ id: "child", type: "sub_workflow", params: { workflow_id: "kept-child" }, depends_on: ["a"] }
				]
			});
			await postWorkflow(h, { workflow_id: "forever", version: "1.0.0", retention: "forever", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
			const run = await waitForExecution(h, await execute(h, "prunable"), finished);
			expect(run.status).toBe("completed");
			const childId = (run.steps.find(s => s.step_id === "child") as unknown as { child_execution_id: string }).child_execution_id;
			const kept = await waitForExecution(h, await execute(h, "forever"), finished);
			expect((await h.http.get(`/api/v3/workflows/executions/${childId}`).set(h.user.auth)).status).toBe(200);

			const admin = await loginAdmin(h.http);
			// The outbox follows: what was published is pruned with the runs.
			await waitFor(async () => Number((await h.sql<{ n: string }>("SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL"))[0].n) === 0);
			const before = Date.now();
			const res = await h.http.post("/api/v3/admin/prune").set(admin.auth).send({ older_than: "0s" });
			expect(res.body.outbox).toBeGreaterThan(0);
			expect(Number((await h.sql<{ n: string }>("SELECT COUNT(*) AS n FROM outbox WHERE published_at < $1", [before]))[0].n)).toBe(0);
			expect(res.status).toBe(200);
			expect(res.body.executions).toBeGreaterThanOrEqual(2);
			expect(res.body.archives.length).toBeGreaterThanOrEqual(1);
			for (const name of res.body.archives) expect(name).toMatch(/\.jsonl\.gz$/);

			expect((await h.http.get(`/api/v3/workflows/executions/${run.execution_id}`).set(h.user.auth)).status).toBe(404);
			expect((await h.http.get(`/api/v3/workflows/executions/${run.execution_id}/steps/a`).set(h.user.auth)).status).toBe(404);
			expect((await h.http.get(`/api/v3/workflows/executions/${childId}`).set(h.user.auth)).status).toBe(404);
			expect(await h.sql("SELECT step_id FROM step_runs WHERE execution_id = $1", [run.execution_id])).toEqual([]);
			// The workflow says forever: an admin's prune keeps it.
			expect((await h.http.get(`/api/v3/workflows/executions/${kept.execution_id}`).set(h.user.auth)).status).toBe(200);

			const lines = archived(archiveDir);
			const line = lines.find(l => l.execution.id === run.execution_id)!;
			expect(line.steps.map(s => s.step_id)).toEqual(["a", "child"]);
			expect(lines.some(l => l.execution.id === childId)).toBe(true);
			expect(readdirSync(archiveDir).filter(n => n.endsWith(".partial"))).toEqual([]);
		});

		it("prunes runs past their workflow's retention on its own, from the elected node", async () => {
			await postWorkflow(h, { workflow_id: "short-lived", version: "1.0.0", retention: "1s", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
			const id = (await waitForExecution(h, await execute(h, "short-lived"), finished)).execution_id;
			await waitFor(async () => (await h.http.get(`/api/v3/workflows/executions/${id}`).set(h.user.auth)).status === 404);
			await waitFor(async () => archived(archiveDir).some(l => l.execution.id === id));
		});
	});
}

defineRetentionSuite("retention (embedded, SQLite)", async () => ({ env: {} }));

describeWith(["postgres"])("on PostgreSQL", () => {
	defineRetentionSuite("retention (PostgreSQL)", async () => {
		const db = await createTestDatabase();
		return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
	});
});
