import { embeddedHarness, execute, finished, getExecution, postWorkflow, stepOf, waitForExecution, type EngineHarness } from "../support/engine-harness";
import { describeWith } from "../support/env";
import { createUser } from "../support/factories";
import { createTestDatabase } from "../support/postgres";

/** Forking a run from a step (replay), and bulk operations by filter: embedded (SQLite) and on PostgreSQL. */
function defineForkSuite(title: string, env: () => Promise<{ env: Record<string, string>; drop?: () => Promise<void> }>): void {
	describe(title, () => {
		let h: EngineHarness;
		let drop: (() => Promise<void>) | undefined;

		beforeAll(async () => {
			const setup = await env();
			drop = setup.drop;
			h = await embeddedHarness(setup.env);
		});
		afterAll(async () => {
			await h?.stop();
			await drop?.();
		});

		it("forks a failed 3-step run from its last step without calling the first two steps' target again", async () => {
			await postWorkflow(h, {
				workflow_id: "forked",
				version: "1.0.0",
				inputs: [{ name: "fail", type: "integer", default: 1 }],
				steps: [
					{ id: "a", type: "http_request", params: { url: `${h.target.url}/ok?value=first` } },
					{ id: "b", type: "http_request", params: { url: `${h.target.url}/ok?value=\${{ steps.a.output.body.value }}-second` }, depends_on: ["a"] },
					{ id: "c", type: "http_request", params: { url: `${h.target.url}/flaky?fail=\${{ inputs.fail }}` }, depends_on: ["b"] }
				]
			});
			const sourceId = await execute(h, "forked");
			const source = await waitForExecution(h, sourceId, finished);
			expect(source.status).toBe("failed");
			expect(stepOf(source, "c").status).toBe("failed");

			const res = await h.http.post(`/api/v3/workflows/executions/${sourceId}/fork`).set(h.user.auth).send({ from_step: "c", inputs: { fail: 0 } });
			expect(res.status).toBe(202);
			expect(res.body.forked_from).toBe(sourceId);
			const fork = await waitForExecution(h, res.body.execution_id, finished);
			expect(fork.status).toBe("completed");
			// a and b were not run again: their target saw no call of the fork, and their outputs are the source's.
			expect(h.target.calls.get(`${fork.execution_id}:a:1`)).toBeUndefined();
			expect(h.target.calls.get(`${fork.execution_id}:b:1`)).toBeUndefined();
			expect(h.target.calls.get(`${fork.execution_id}:c:1`)).toBe(1);
			expect(stepOf(fork, "a").output).toEqual(stepOf(source, "a").output);
			expect(stepOf(fork, "b").output).toMatchObject({ body: { value: "first-second" } });
			expect(stepOf(fork, "a").attempts).toBe(0);
			expect(stepOf(fork, "c").output).toMatchObject({ status: 200 });
			expect((await getExecution(h, fork.execution_id)).progress).toBe(100);
			// The source is untouched.
			expect((await getExecution(h, sourceId)).status).toBe("failed");

			// From the middle: b and c run again, a does not.
			const middle = await h.http.post(`/api/v3/workflows/executions/${sourceId}/fork`).set(h.user.auth).send({ from_step: "b", inputs: { fail: 0 } });
			const again = await waitForExecution(h, middle.body.execution_id, finished);
			expect(again.status).toBe("completed");
			expect(h.target.calls.get(`${again.execution_id}:a:1`)).toBeUndefined();
			expect(h.target.calls.get(`${again.execution_id}:b:1`)).toBe(1);
		});

		it("refuses a fork naming no step of the version, of a run not ended, or of another user's run", async () => {
			await postWorkflow(h, { workflow_id: "fork-checks", version: "1.0.0", steps: [{ id: "gate", type: "approval" }] });
			const id = await execute(h, "fork-checks");
			await waitForExecution(h, id, e => e.steps[0].waiting_for === "approval");
			const running = await h.http.post(`/api/v3/workflows/executions/${id}/fork`).set(h.user.auth).send({ from_step: "gate" });
			expect(running.status).toBe(409);
			await h.http.post(`/api/v3/workflows/executions/${id}/cancel`).set(h.user.auth).send({});
			const unknown = await h.http.post(`/api/v3/workflows/executions/${id}/fork`).set(h.user.auth).send({ from_step: "nope" });
			expect(unknown.status).toBe(422);
			expect(unknown.body.detail).toEqual([expect.objectContaining({ path: "from_step" })]);
			const missing = await h.http.post(`/api/v3/workflows/executions/${id}/fork`).set(h.user.auth).send({});
			expect(missing.status).toBe(422);
			expect(JSON.stringify(missing.body)).toContain("from_step");
			const other = await createUser(h.http);
			expect((await h.http.post(`/api/v3/workflows/executions/${id}/fork`).set(other.auth).send({ from_step: "gate" })).status).toBe(404);
		});

		it("cancels, retries and forks in bulk by filter, only the caller's runs", async () => {
			await postWorkflow(h, { workflow_id: "bulk", version: "1.0.0", steps: [{ id: "gate", type: "approval" }, { id: "after", type: "transform", params: { expression: "1" }, depends_on: ["gate"] }] });
			const ids = [await execute(h, "bulk"), await execute(h, "bulk"), await execute(h, "bulk")];
			for (const id of ids) await waitForExecution(h, id, e => e.steps[0].waiting_for === "approval");
			// Another user's run of a workflow of the same id is not theirs to cancel.
			const other = await createUser(h.http);
			await h.http.post("/api/v3/workflows").set(other.auth).send({ workflow_id: "bulk", version: "1.0.0", steps: [{ id: "gate", type: "approval" }] });
			const theirs = (await h.http.post("/api/v3/workflows/execute").set(other.auth).send({ workflow_id: "bulk", workflow_version: "1.0.0" })).body.execution_id as string;

			const cancel = await h.http.post("/api/v3/workflows/executions/bulk").set(h.user.auth).send({ action: "cancel", filter: { workflow_id: "bulk", status: "running" } });
			expect(cancel.status).toBe(200);
			expect(cancel.body).toMatchObject({ action: "cancel", matched: 3, succeeded: 3, failed: 0 });
			expect(cancel.body.results.map((r: { execution_id: string }) => r.execution_id).sort()).toEqual([...ids].sort());
			for (const id of ids) expect((await getExecution(h, id)).status).toBe("cancelled");
			expect((await h.http.get(`/api/v3/workflows/executions/${theirs}`).set(other.auth)).body.status).toBe("running");

			// Nothing is running any more: a second cancel selects none.
			const none = await h.http.post("/api/v3/workflows/executions/bulk").set(h.user.auth).send({ action: "cancel", filter: { workflow_id: "bulk", status: "running" } });
			expect(none.body).toMatchObject({ matched: 0, succeeded: 0 });
			const all = await h.http.post("/api/v3/workflows/executions/bulk").set(h.user.auth).send({ action: "cancel", filter: { workflow_id: "bulk" }, limit: 2 });
			expect(all.body).toMatchObject({ matched: 2, succeeded: 0, failed: 2 });
			expect(all.body.results[0].error).toContain("cancelled");

			const forks = await h.http.post("/api/v3/workflows/executions/bulk").set(h.user.auth).send({ action: "fork", filter: { workflow_id: "bulk", status: "cancelled" }, from_step: "gate" });
			expect(forks.body).toMatchObject({ matched: 3, succeeded: 3 });
			for (const r of forks.body.results) expect((await getExecution(h, r.new_execution_id)).status).toBe("running");
			const retried = await h.http.post("/api/v3/workflows/executions/bulk").set(h.user.auth).send({ action: "retry", filter: { workflow_id: "bulk", status: "cancelled" } });
			expect(retried.body).toMatchObject({ matched: 3, succeeded: 3 });

			const badFork = await h.http.post("/api/v3/workflows/executions/bulk").set(h.user.auth).send({ action: "fork", filter: {} });
			expect(badFork.status).toBe(422);
			expect(badFork.body.detail).toEqual([expect.objectContaining({ path: "from_step" })]);
			const badDate = await h.http.post("/api/v3/workflows/executions/bulk").set(h.user.auth).send({ action: "cancel", filter: { created_before: "yesterday" } });
			expect(badDate.status).toBe(422);
			expect(badDate.body.detail).toEqual([expect.objectContaining({ path: "filter.created_before" })]);
		});
	});
}

defineForkSuite("fork and bulk operations (embedded, SQLite)", async () => ({ env: {} }));

describeWith(["postgres"])("on PostgreSQL", () => {
	defineForkSuite("fork and bulk operations (PostgreSQL)", async () => {
		const db = await createTestDatabase();
		return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
	});
});
