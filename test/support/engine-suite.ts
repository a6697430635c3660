import { createUser, loginAdmin } from "./factories";
import { execute, finished, getExecution, postWorkflow, stepOf, waitForExecution, type EngineHarness } from "./engine-harness";

/**
 * The engine's behaviour, written once and run in embedded mode (test/integration) and
 * in cluster mode over NATS and PostgreSQL with several node processes (test/cluster).
 */
export function defineEngineSuite(title: string, setup: () => Promise<EngineHarness>): void {
	describe(title, () => {
		let h: EngineHarness;
		let seq = 0;
		/** A fresh workflow id per test, so suites never share definitions. */
		const id = (name: string) => `${name}-${++seq}`;

		beforeAll(async () => {
			h = await setup();
		});
		afterAll(() => h?.stop());

		it("runs a linear chain, each step reading its predecessor", async () => {
			const wf = id("chain");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [{ name: "n", type: "integer", required: true }],
				steps: [
					{ id: "a", type: "transform", params: { expression: "inputs.n + 1" } },
					{ id: "b", type: "transform", params: { expression: "steps.a.output * 10" }, depends_on: ["a"] },
					{ id: "c", type: "http_request", params: { url: `${h.target.url}/ok?value=\${{ steps.b.output }}` }, depends_on: ["b"] }
				]
			});
			const e = await waitForExecution(h, await execute(h, wf, { n: "4" }), finished);
			expect(e.status).toBe("completed");
			expect(e.progress).toBe(100);
			expect(stepOf(e, "a").output).toBe(5);
			expect(stepOf(e, "b").output).toBe(50);
			expect(e.outputs).toEqual({ c: { status: 200, headers: expect.any(Object), body: { value: "50" } } });
			const [a, b, c] = ["a", "b", "c"].map(s => stepOf(e, s));
			expect(Date.parse(b.started_at!)).toBeGreaterThanOrEqual(Date.parse(a.completed_at!));
			expect(Date.parse(c.started_at!)).toBeGreaterThanOrEqual(Date.parse(b.completed_at!));
		});

		it("fans out and joins a diamond, running the branches in parallel", async () => {
			const wf = id("diamond");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{ id: "start", type: "transform", params: { expression: "3" } },
					{ id: "left", type: "http_request", params: { url: `${h.target.url}/slow?ms=300` }, depends_on: ["start"] },
					{ id: "right", type: "http_request", params: { url: `${h.target.url}/slow?ms=300` }, depends_on: ["start"] },
					{ id: "join", type: "transform", params: { expression: "steps.left.output.body.slept + steps.right.output.body.slept + steps.start.output" }, depends_on: ["left", "right"] }
				]
			});
			const e = await waitForExecution(h, await execute(h, wf), finished);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "join").output).toBe(603);
			const left = stepOf(e, "left");
			const right = stepOf(e, "right");
			// Each branch started before the other ended: they ran at the same time.
			expect(Date.parse(left.started_at!)).toBeLessThan(Date.parse(right.completed_at!));
			expect(Date.parse(right.started_at!)).toBeLessThan(Date.parse(left.completed_at!));
			expect(Date.parse(stepOf(e, "join").started_at!)).toBeGreaterThanOrEqual(Math.max(Date.parse(left.completed_at!), Date.parse(right.completed_at!)));
		});

		it("skips a step whose condition is false; its dependents run and see null", async () => {
			const wf = id("skip");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [
					{ name: "run_tests", type: "boolean", default: true },
					{ name: "environment", type: "enum", values: ["dev", "prod"], default: "dev" }
				],
				steps: [
					{ id: "tests", type: "transform", params: { expression: "'ran'" }, condition: "${{ inputs.run_tests }} == true" },
					{ id: "prod_only", type: "transform", params: { expression: "'deployed'" }, condition: "${{inputs.environment}} == 'prod'" },
					{ id: "report", type: "transform", params: { expression: "{ 'tests': steps.tests.output, 'prod': steps.prod_only.output }" }, depends_on: ["tests", "prod_only"] }
				]
			});
			const e = await waitForExecution(h, await execute(h, wf, { run_tests: "false" }), finished);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "tests").status).toBe("skipped");
			expect(stepOf(e, "prod_only").status).toBe("skipped");
			expect(stepOf(e, "report").output).toEqual({ tests: null, prod: null });
			const skipped = await h.sql<{ payload: unknown }>("SELECT payload FROM outbox WHERE aggregate_id = $1 AND event_type = 'StepExecutionSkipped'", [e.execution_id]);
			expect(skipped.map(r => payloadOf(r).step_id).sort()).toEqual(["prod_only", "tests"]);
			const ran = await waitForExecution(h, await execute(h, wf, { environment: "prod" }), finished);
			expect(stepOf(ran, "report").output).toEqual({ tests: "ran", prod: "deployed" });
		});

		it("retries a failing step until it succeeds, sending one idempotency key per attempt", async () => {
			const wf = id("retry");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [{ id: "call", type: "http_request", params: { url: `${h.target.url}/flaky?fail=2` }, retry: 3, retry_delay: "100ms" }]
			});
			const execId = await execute(h, wf);
			const e = await waitForExecution(h, execId, finished);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "call").attempts).toBe(3);
			expect(stepOf(e, "call").output).toMatchObject({ status: 200, body: { attempt: 3 } });
			for (const attempt of [1, 2, 3]) expect(h.target.calls.get(`${execId}:call:${attempt}`)).toBe(1);
			const events = await h.sql<{ event_type: string }>("SELECT event_type FROM outbox WHERE aggregate_id = $1 AND event_type = 'StepExecutionRetried'", [execId]);
			expect(events).toHaveLength(2);
		});

		it("fails the execution when retries are exhausted, naming the step and cancelling the rest", async () => {
			const wf = id("exhausted");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{ id: "flaky", type: "http_request", params: { url: `${h.target.url}/flaky?fail=10` }, retry: 1, retry_delay: "50ms" },
					{ id: "slow", type: "http_request", params: { url: `${h.target.url}/slow?ms=3000` } },
					{ id: "after", type: "transform", params: { expression: "1" }, depends_on: ["flaky"] }
				]
			});
			const e = await waitForExecution(h, await execute(h, wf), finished);
			expect(e.status).toBe("failed");
			expect(e.error).toMatchObject({ step_id: "flaky", type: "unexpected_status" });
			expect(e.error!.message).toContain("Step flaky failed");
			expect(stepOf(e, "flaky")).toMatchObject({ status: "failed", attempts: 2 });
			expect(stepOf(e, "after").status).toBe("cancelled");
			expect(stepOf(e, "slow").status).toBe("cancelled");
			const failedRows = await h.sql<{ payload: unknown }>("SELECT payload FROM outbox WHERE aggregate_id = $1 AND event_type = 'StepExecutionFailed'", [e.execution_id]);
			expect(failedRows.map(payloadOf)).toEqual([expect.objectContaining({ step_id: "flaky", attempt: 2 })]);
		});

		it("times out a step that runs too long", async () => {
			const wf = id("timeout");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [{ id: "sleepy", type: "http_request", params: { url: `${h.target.url}/slow?ms=5000` }, timeout: "300ms" }]
			});
			const execId = await execute(h, wf);
			const e = await waitForExecution(h, execId, finished);
			expect(e.status).toBe("failed");
			expect(stepOf(e, "sleepy").error).toMatchObject({ type: "timeout" });
			// The timed-out attempt's request was cut off, not left running to its end.
			await waitFor(() => h.target.abortedKeys.has(`${execId}:sleepy:1`));
			expect(h.target.calls.get(`${execId}:sleepy:1`)).toBe(1);
		});

		it("refuses an http_request to a private or loopback address that is not allow-listed, once, without retrying", async () => {
			const wf = id("ssrf");
			const port = new URL(h.target.url).port;
			// The harness allow-lists 127.0.0.1 only: localhost resolves to loopback, 10.255.255.1 is private.
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [{ name: "url", type: "string", required: true }],
				steps: [{ id: "call", type: "http_request", params: { url: "${{ inputs.url }}" }, retry: 3, retry_delay: "50ms" }]
			});
			for (const url of [`http://localhost:${port}/ok?value=x`, "http://10.255.255.1/", "http://[::1]:1/"]) {
				const execId = await execute(h, wf, { url });
				const e = await waitForExecution(h, execId, finished);
				expect(e.status).toBe("failed");
				expect(stepOf(e, "call")).toMatchObject({ status: "failed", attempts: 1, error: { type: "ssrf_refused" } });
				expect(stepOf(e, "call").error!.message).toContain("STEP_HTTP_ALLOWED_HOSTS");
				expect([...h.target.calls.keys()].some(k => k.startsWith(execId))).toBe(false);
			}
		});

		it("cancels a running execution and aborts its running step", async () => {
			const wf = id("cancel");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{ id: "long", type: "http_request", params: { url: `${h.target.url}/slow?ms=10000` } },
					{ id: "never", type: "transform", params: { expression: "1" }, depends_on: ["long"] }
				]
			});
			const abortedBefore = h.target.aborted;
			const execId = await execute(h, wf);
			await waitForExecution(h, execId, e => stepOf(e, "long").status === "running");
			// Running is recorded before the request goes out: cancel once the target has it.
			await waitFor(() => [...h.target.calls.keys()].some(k => k.startsWith(`${execId}:long`)));
			const res = await h.http.post(`/api/v3/workflows/executions/${execId}/cancel`).set(h.user.auth).send({});
			expect(res.status).toBe(200);
			expect(res.body.status).toBe("cancelled");
			const e = await getExecution(h, execId);
			expect(e.steps.map(s => s.status)).toEqual(["cancelled", "cancelled"]);
			await waitFor(() => h.target.aborted > abortedBefore);
			await h.http.post(`/api/v3/workflows/executions/${execId}/cancel`).set(h.user.auth).send({}).expect(409);
		});

		it("waits for an approval, then continues when approved", async () => {
			const wf = id("approve");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{ id: "gate", type: "approval", params: { message: "Ship it?" } },
					{ id: "ship", type: "transform", params: { expression: "steps.gate.output.approved" }, depends_on: ["gate"] }
				]
			});
			const execId = await execute(h, wf);
			const waiting = await waitForExecution(h, execId, e => stepOf(e, "gate").waiting_for === "approval");
			expect(waiting.status).toBe("running");
			const other = await createUser(h.http);
			await h.http.post(`/api/v3/workflows/executions/${execId}/steps/gate/approve`).set(other.auth).send({}).expect(404);
			await h.http.post(`/api/v3/workflows/executions/${execId}/steps/ship/approve`).set(h.user.auth).send({}).expect(409);
			await h.http.post(`/api/v3/workflows/executions/${execId}/steps/gate/approve`).set(h.user.auth).send({ comment: "go" }).expect(200);
			const e = await waitForExecution(h, execId, finished);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "gate").output).toMatchObject({ approved: true, approved_by: h.user.email, comment: "go" });
			expect(stepOf(e, "ship").output).toBe(true);
			const approvals = await h.sql<{ event_type: string; payload: unknown }>(
				"SELECT event_type, payload FROM outbox WHERE aggregate_id = $1 AND event_type IN ('ApprovalRequested', 'ApprovalDecided') ORDER BY id",
				[execId]
			);
			expect(approvals.map(r => [r.event_type, payloadOf(r)])).toEqual([
				["ApprovalRequested", expect.objectContaining({ step_id: "gate" })],
				["ApprovalDecided", expect.objectContaining({ step_id: "gate", decision: "approved", comment: "go" })]
			]);
		});

		it("fails the execution when an approval is rejected", async () => {
			const wf = id("reject");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [{ name: "environment", type: "string", default: "prod" }],
				steps: [{ id: "deploy", type: "transform", params: { expression: "'deployed'" }, approval_required: "${{ inputs.environment }} == 'prod'" }]
			});
			const execId = await execute(h, wf);
			await waitForExecution(h, execId, e => stepOf(e, "deploy").waiting_for === "approval");
			await h.http.post(`/api/v3/workflows/executions/${execId}/steps/deploy/reject`).set(h.user.auth).send({ comment: "not today" }).expect(200);
			const e = await waitForExecution(h, execId, finished);
			expect(e.status).toBe("failed");
			expect(stepOf(e, "deploy").error).toMatchObject({ type: "rejected" });
			expect(stepOf(e, "deploy").error!.message).toContain("not today");
			const decided = await h.sql<{ payload: unknown }>("SELECT payload FROM outbox WHERE aggregate_id = $1 AND event_type = 'ApprovalDecided'", [execId]);
			expect(decided.map(payloadOf)).toEqual([expect.objectContaining({ step_id: "deploy", decision: "rejected", comment: "not today" })]);
			const requested = await h.sql("SELECT id FROM outbox WHERE aggregate_id = $1 AND event_type = 'ApprovalRequested'", [execId]);
			expect(requested).toHaveLength(1);
			// The same gate in dev does not ask.
			const dev = await waitForExecution(h, await execute(h, wf, { environment: "dev" }), finished);
			expect(stepOf(dev, "deploy").output).toBe("deployed");
		});

		it.each([
			["an approval step's timeout", { id: "wait", type: "approval", params: { message: "Ship it?" }, timeout: "600ms" }],
			["an approval step's approval_timeout", { id: "wait", type: "approval", approval_timeout: "600ms" }],
			["a gate's approval_timeout", { id: "wait", type: "transform", params: { expression: "'ran'" }, approval_required: true, approval_timeout: "600ms" }]
		])("fails a wait for approval when %s lapses", async (_name, step) => {
			const wf = id("approval-timeout");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [step, { id: "after", type: "transform", params: { expression: "1" }, depends_on: ["wait"] }]
			});
			const execId = await execute(h, wf);
			// The wait lasts 600 ms: a loaded machine's polls may see only its end.
			const e = await waitForExecution(h, execId, finished);
			expect(e.status).toBe("failed");
			expect(stepOf(e, "wait")).toMatchObject({ status: "failed", output: null, error: { type: "approval_timeout" } });
			expect(stepOf(e, "after").status).toBe("cancelled");
			expect(e.error).toMatchObject({ step_id: "wait", type: "approval_timeout" });
			const decided = await h.sql<{ payload: unknown }>("SELECT payload FROM outbox WHERE aggregate_id = $1 AND event_type = 'ApprovalDecided'", [execId]);
			expect(decided.map(payloadOf)).toEqual([expect.objectContaining({ step_id: "wait", decision: "timed_out", decided_by: null })]);
			// Too late to decide now.
			await h.http.post(`/api/v3/workflows/executions/${execId}/steps/wait/approve`).set(h.user.auth).send({}).expect(409);
		});

		it("keeps a gate without approval_timeout waiting", async () => {
			const wf = id("gate-waits");
			await postWorkflow(h, { workflow_id: wf, version: "1.0.0", steps: [{ id: "wait", type: "transform", params: { expression: "'ran'" }, approval_required: true, timeout: "300ms" }] });
			const execId = await execute(h, wf);
			await waitForExecution(h, execId, e => stepOf(e, "wait").waiting_for === "approval");
			// Its timeout is for running, once approved: the wait outlives it.
			await new Promise(r => setTimeout(r, 1000));
			expect(stepOf(await getExecution(h, execId), "wait")).toMatchObject({ status: "running", waiting_for: "approval" });
			await h.http.post(`/api/v3/workflows/executions/${execId}/steps/wait/approve`).set(h.user.auth).send({}).expect(200);
			const e = await waitForExecution(h, execId, finished);
			expect(e.outputs).toEqual({ wait: "ran" });
		});

		it("keeps a delay's timer across a restart of the nodes that run steps", async () => {
			const wf = id("delay");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{ id: "wait", type: "delay", params: { duration: "2s" } },
					{ id: "after", type: "transform", params: { expression: "steps.wait.output.waited_ms" }, depends_on: ["wait"] }
				]
			});
			const execId = await execute(h, wf);
			await waitForExecution(h, execId, e => stepOf(e, "wait").waiting_for === "timer");
			await h.restartWorkers();
			const e = await waitForExecution(h, execId, finished, 30000);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "after").output as number).toBeGreaterThanOrEqual(2000);
		});

		it("runs a sub-workflow and waits for its outputs", async () => {
			const child = id("child");
			const parent = id("parent");
			await postWorkflow(h, {
				workflow_id: child,
				version: "1.0.0",
				inputs: [{ name: "x", type: "integer", required: true }],
				outputs: [{ name: "doubled", value: "${{ steps.double.output }}" }],
				steps: [{ id: "double", type: "transform", params: { expression: "inputs.x * 2" } }]
			});
			await postWorkflow(h, {
				workflow_id: parent,
				version: "1.0.0",
				steps: [
					{ id: "sub", type: "sub_workflow", params: { workflow_id: child, inputs: { x: 21 } } },
					{ id: "use", type: "transform", params: { expression: "steps.sub.output.outputs.doubled + 0" }, depends_on: ["sub"] }
				]
			});
			const e = await waitForExecution(h, await execute(h, parent), finished);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "use").output).toBe(42);
			const childId = (stepOf(e, "sub").output as { execution_id: string }).execution_id;
			const c = await getExecution(h, childId);
			expect(c).toMatchObject({ status: "completed", trigger: "sub_workflow", outputs: { doubled: 42 } });
		});

		it("maps a step over 100 items", async () => {
			const wf = id("map");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{ id: "items", type: "transform", params: { expression: "[1..100]" } },
					{
						id: "each",
						type: "map",
						params: { items: "${{ steps.items.output }}", concurrency: 10, step: { type: "transform", params: { expression: "item * 2" } } },
						depends_on: ["items"]
					}
				]
			});
			const e = await waitForExecution(h, await execute(h, wf), finished);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "each").output).toEqual(Array.from({ length: 100 }, (_, i) => (i + 1) * 2));
		});

		it("runs at most `concurrency` map items at once", async () => {
			const wf = id("map-limit");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{
						id: "each",
						type: "map",
						params: { items: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], concurrency: 3, step: { type: "http_request", params: { url: `${h.target.url}/slow?ms=150&group=${wf}` } } }
					}
				]
			});
			const execId = await execute(h, wf);
			const e = await waitForExecution(h, execId, finished);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "each").output).toHaveLength(10);
			for (let i = 0; i < 10; i++) expect(h.target.calls.get(`${execId}:each:1:${i}`)).toBe(1);
			// Ten items of 150 ms each with three slots: more than one ran at once, never more than three.
			expect(h.target.maxInFlight(wf)).toBeGreaterThan(1);
			expect(h.target.maxInFlight(wf)).toBeLessThanOrEqual(3);
		});

		it("returns the same execution for a retried request with one Idempotency-Key", async () => {
			const wf = id("idem");
			await postWorkflow(h, { workflow_id: wf, version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
			const key = `key-${wf}-${Date.now()}`;
			const [first, second] = await Promise.all([execute(h, wf, {}, { "Idempotency-Key": key }), execute(h, wf, {}, { "Idempotency-Key": key })]);
			expect(second).toBe(first);
			expect(await execute(h, wf, {}, { "Idempotency-Key": key })).toBe(first);
			const other = await h.http.post("/api/v3/workflows/execute").set(h.user.auth).set("Idempotency-Key", key).send({ workflow_id: wf, workflow_version: "1.0.0", inputs: { z: 1 } });
			expect([409, 422]).toContain(other.status);
			const rows = await h.sql("SELECT id FROM executions WHERE idempotency_key = $1", [key]);
			expect(rows).toHaveLength(1);
		});

		it("triggers a scheduled workflow once per tick", async () => {
			const wf = id("cron");
			await postWorkflow(h, { workflow_id: wf, version: "1.0.0", schedule: "*/5 * * * *", steps: [{ id: "tick", type: "transform", params: { expression: "'tock'" } }] });
			const [schedule] = await h.sql<{ workflow_ref: string; next_run_at: string }>(
				"SELECT s.workflow_ref, s.next_run_at FROM workflow_schedules s JOIN workflows w ON w.id = s.workflow_ref WHERE w.workflow_id = $1",
				[wf]
			);
			expect(Number(schedule.next_run_at) % 300_000).toBe(0);
			// Move the tick into the past: the sweeper finds it due now.
			const tick = Date.now() - 1000;
			await h.sql("UPDATE workflow_schedules SET next_run_at = $2 WHERE workflow_ref = $1 RETURNING workflow_ref", [schedule.workflow_ref, tick]);
			await waitFor(async () => (await h.sql("SELECT id FROM executions WHERE workflow_ref = $1", [schedule.workflow_ref])).length > 0);
			const runs = await h.sql<{ id: string; trigger: string; idempotency_key: string }>("SELECT id, trigger, idempotency_key FROM executions WHERE workflow_ref = $1", [schedule.workflow_ref]);
			expect(runs).toHaveLength(1);
			expect(runs[0]).toMatchObject({ trigger: "schedule", idempotency_key: `schedule:${schedule.workflow_ref}:${tick}` });
			const e = await waitForExecution(h, runs[0].id, finished);
			expect(e.outputs).toEqual({ tick: "tock" });
			// The sweeper moves the schedule to its next tick after the run started, and the run may finish first (a loaded machine).
			await waitFor(async () => {
				const [after] = await h.sql<{ next_run_at: string }>("SELECT next_run_at FROM workflow_schedules WHERE workflow_ref = $1", [schedule.workflow_ref]);
				return Number(after.next_run_at) > Date.now();
			});
			await new Promise(r => setTimeout(r, 600));
			expect(await h.sql("SELECT id FROM executions WHERE workflow_ref = $1", [schedule.workflow_ref])).toHaveLength(1);
		});

		it("starts no scheduled run of a deactivated owner: the schedule moves on to its next tick", async () => {
			const owner = await createUser(h.http);
			const wf = id("cron-inactive");
			await h.http
				.post("/api/v3/workflows")
				.set(owner.auth)
				.send({ workflow_id: wf, version: "1.0.0", schedule: "*/5 * * * *", steps: [{ id: "tick", type: "transform", params: { expression: "'tock'" } }] })
				.expect(201);
			const admin = await loginAdmin(h.http);
			await h.http.patch(`/api/v3/auth/users/${owner.user_id}`).set(admin.auth).send({ is_active: false }).expect(200);
			const [schedule] = await h.sql<{ workflow_ref: string }>("SELECT s.workflow_ref FROM workflow_schedules s JOIN workflows w ON w.id = s.workflow_ref WHERE w.workflow_id = $1", [wf]);
			await h.sql("UPDATE workflow_schedules SET next_run_at = $2 WHERE workflow_ref = $1 RETURNING workflow_ref", [schedule.workflow_ref, Date.now() - 1000]);
			// The sweeper took the tick (it moved on) and started nothing for it.
			await waitFor(async () => {
				const [after] = await h.sql<{ next_run_at: string }>("SELECT next_run_at FROM workflow_schedules WHERE workflow_ref = $1", [schedule.workflow_ref]);
				return Number(after.next_run_at) > Date.now();
			});
			expect(await h.sql("SELECT id FROM executions WHERE workflow_ref = $1", [schedule.workflow_ref])).toHaveLength(0);
		});

		it("retries a failed execution from its failed step", async () => {
			const wf = id("rerun");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{ id: "first", type: "transform", params: { expression: "'kept'" } },
					{ id: "flaky", type: "http_request", params: { url: `${h.target.url}/flaky?fail=1` }, depends_on: ["first"] },
					{ id: "last", type: "transform", params: { expression: "steps.flaky.output.body.attempt" }, depends_on: ["flaky"] }
				]
			});
			const execId = await execute(h, wf);
			expect((await waitForExecution(h, execId, finished)).status).toBe("failed");
			const res = await h.http.post(`/api/v3/workflows/executions/${execId}/retry`).set(h.user.auth).send({}).expect(202);
			expect(res.body.status).toBe("running");
			const e = await waitForExecution(h, execId, finished);
			expect(e.status).toBe("completed");
			expect(stepOf(e, "last").output).toBe(2);
			expect(stepOf(e, "first").output).toBe("kept");
		});

		it("lists executions filtered by workflow and status, a page at a time", async () => {
			const wf = id("listed");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [{ name: "ok", type: "boolean", required: true }],
				steps: [{ id: "a", type: "transform", params: { expression: "inputs.ok ? 'fine' : $error('asked to fail')" } }]
			});
			const completed: string[] = [];
			const failed: string[] = [];
			for (const ok of [true, false, true, true, false]) {
				const execId = await execute(h, wf, { ok });
				expect((await waitForExecution(h, execId, finished)).status).toBe(ok ? "completed" : "failed");
				(ok ? completed : failed).push(execId);
			}
			const list = async (query: string) => (await h.http.get(`/api/v3/workflows/executions?workflow_id=${wf}&${query}`).set(h.user.auth).expect(200)).body;
			const ids = (page: { executions: { execution_id: string }[] }) => page.executions.map(x => x.execution_id);

			const first = await list("status=completed&page=1&page_size=2");
			expect(first).toMatchObject({ total: 3, page: 1, page_size: 2 });
			expect(first.executions).toHaveLength(2);
			const second = await list("status=completed&page=2&page_size=2");
			expect(second).toMatchObject({ total: 3, page: 2, page_size: 2 });
			expect(second.executions).toHaveLength(1);
			// Newest first; the two pages together are the completed runs, each once.
			expect([...ids(first), ...ids(second)]).toEqual([...completed].reverse());
			expect((await list("status=completed&page=3&page_size=2")).executions).toEqual([]);

			const failedPage = await list("status=failed");
			expect(failedPage).toMatchObject({ total: 2, page: 1, page_size: 20 });
			expect(ids(failedPage)).toEqual([...failed].reverse());
			expect(failedPage.executions.every((x: { status: string }) => x.status === "failed")).toBe(true);
			expect((await list("status=cancelled")).total).toBe(0);
			expect((await list("page_size=100")).total).toBe(5);
			const bad = await h.http.get("/api/v3/workflows/executions?status=exploded").set(h.user.auth).expect(422);
			expect(bad.body.detail).toEqual([expect.objectContaining({ path: "status" })]);
		});

		it("keeps executions to their owner, and checks inputs and status before running", async () => {
			const wf = id("owned");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [{ name: "count", type: "integer", required: true }],
				steps: [{ id: "a", type: "transform", params: { expression: "inputs.count" } }]
			});
			const bad = await h.http.post("/api/v3/workflows/execute").set(h.user.auth).send({ workflow_id: wf, workflow_version: "1.0.0", inputs: { count: "five" } }).expect(422);
			expect(bad.body.detail).toEqual([expect.objectContaining({ path: "inputs.count" })]);
			const execId = await execute(h, wf, { count: 3 });
			const other = await createUser(h.http);
			await h.http.get(`/api/v3/workflows/executions/${execId}`).set(other.auth).expect(404);
			const mine = await h.http.get(`/api/v3/workflows/executions?workflow_id=${wf}`).set(h.user.auth).expect(200);
			expect(mine.body.executions.map((x: { execution_id: string }) => x.execution_id)).toContain(execId);
			const theirs = await h.http.get(`/api/v3/workflows/executions?workflow_id=${wf}`).set(other.auth).expect(200);
			expect(theirs.body.total).toBe(0);
			await h.http.post("/api/v3/workflows/execute").set(other.auth).send({ workflow_id: wf, workflow_version: "1.0.0", inputs: { count: 1 } }).expect(404);
			await h.http.post(`/api/v3/workflows/${wf}/1.0.0/status`).set(h.user.auth).send({ status: "deprecated" }).expect(200);
			await h.http.post("/api/v3/workflows/execute").set(h.user.auth).send({ workflow_id: wf, workflow_version: "1.0.0", inputs: { count: 1 } }).expect(409);
		});
	});
}

/** An outbox row's payload: JSON text on SQLite, an object on PostgreSQL. */
function payloadOf(row: { payload: unknown }): Record<string, unknown> {
	return (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>;
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > until) throw new Error("condition not met in time");
		await new Promise(r => setTimeout(r, 50));
	}
}
