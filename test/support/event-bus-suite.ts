import { randomUUID } from "node:crypto";
import { appendToOutbox, domainEvent, type DomainEvent } from "../../lib/events/outbox";
import { WEBHOOK_HEADERS } from "../../lib/webhooks/signature";
import { eventually, finishedExecution, postWorkflow, runWorkflow, waitFor, type EventBusHarness } from "./event-bus-harness";
import { createUser, TEST_PASSWORD } from "./factories";
import { metricValue } from "./metrics";

type Row = Record<string, unknown>;

/**
 * The event bus's behaviour, written once and run with in-process delivery (embedded)
 * and through RabbitMQ: the same handlers, the same APIs, only the transport differs.
 */
export function defineEventBusSuite(title: string, setup: () => Promise<EventBusHarness>): void {
	describe(title, () => {
		let h: EventBusHarness;
		let seq = 0;
		const id = (name: string) => `${name}-${++seq}`;
		const count = async (sql: string, bind: unknown[] = []) => Number((await h.db.sql.all<{ n: unknown }>(sql, bind))[0].n);
		const audit = async (query: Record<string, string>) => (await h.http.get("/api/v3/audit").query(query).set(h.admin.auth)).body as { entries: Row[]; total: number };

		beforeAll(async () => {
			h = await setup();
		});
		afterAll(() => h?.stop());

		it("WorkflowCreated: an audit entry naming who, what, when and from where", async () => {
			const wf = id("audited");
			await postWorkflow(h.http, h.user, { workflow_id: wf, version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
			const ref = (await h.db.sql.all<{ id: string }>("SELECT id FROM workflows WHERE workflow_id = $1", [wf]))[0].id;
			const { entries } = await eventually(() => audit({ action: "workflow.created", resource_id: ref }), r => r.total === 1, "the audit entry");
			expect(entries[0]).toMatchObject({
				action: "workflow.created",
				actor: { id: h.user.user_id, email: h.user.email },
				resource: { type: "workflow", id: ref },
				client_ip: expect.stringMatching(/127\.0\.0\.1$/),
				details: { workflow_id: wf, version: "1.0.0", status: "active", step_count: 1 }
			});
			expect(Date.parse(entries[0].occurred_at as string)).toBeGreaterThan(Date.now() - 60_000);
			// Only admins read the audit log.
			expect((await h.http.get("/api/v3/audit").set(h.user.auth)).status).toBe(403);
		});

		it("logins, role changes and API key creation reach the audit log", async () => {
			const someone = await createUser(h.http, { tag: "audited" });
			await h.http.patch(`/api/v3/auth/users/${someone.user_id}`).set(h.admin.auth).send({ roles: ["viewer"] }).expect(200);
			const again = await h.http.post("/api/v3/auth/login").send({ email: someone.email, password: TEST_PASSWORD }).expect(200);
			const key = await h.http.post("/api/v3/auth/api-keys").set("Authorization", `Bearer ${again.body.access_token}`).send({ name: "ci" }).expect(201);

			const { entries } = await eventually(() => audit({ actor_id: someone.user_id }), r => r.entries.some(e => e.action === "auth.api_key_created") && r.entries.filter(e => e.action === "auth.login").length === 2, "the user's audit entries");
			expect(entries.filter(e => e.action === "auth.login")).toHaveLength(2);
			expect(entries.find(e => e.action === "auth.api_key_created")).toMatchObject({ resource: { type: "api_key", id: key.body.id }, details: { name: "ci", prefix: key.body.prefix } });
			expect(entries.find(e => e.action === "auth.registered")).toMatchObject({ resource: { type: "user", id: someone.user_id } });
			const roles = await eventually(() => audit({ action: "auth.user_updated", resource_id: someone.user_id }), r => r.total === 1, "the role change");
			expect(roles.entries[0]).toMatchObject({
				actor: { id: h.admin.user_id, email: h.admin.email },
				details: { email: someone.email, changes: { roles: { from: ["user"], to: ["viewer"] } } },
				client_ip: expect.stringMatching(/127\.0\.0\.1$/)
			});
			// No secret ever reaches the log.
			expect(JSON.stringify(entries)).not.toContain(key.body.key);
		});

		it("WorkflowExecutionStarted: an audit entry and the owner's usage", async () => {
			const wf = id("usage");
			await postWorkflow(h.http, h.user, { workflow_id: wf, version: "1.0.0", steps: [{ id: "think", type: "ai_generate", params: { prompt: "Say hello to the event bus" } }] });
			const before = (await h.http.get("/api/v3/usage").set(h.user.auth)).body;
			const runs = [await runWorkflow(h.http, h.user, wf), await runWorkflow(h.http, h.user, wf)];
			for (const run of runs) expect((await finishedExecution(h.http, h.user, run)).status).toBe("completed");

			for (const run of runs) {
				const { entries } = await eventually(() => audit({ action: "execution.started", resource_id: run }), r => r.total === 1, "the execution's audit entry");
				expect(entries[0]).toMatchObject({ actor: { id: h.user.user_id }, details: { workflow_id: wf, trigger: "api" }, client_ip: expect.stringMatching(/127\.0\.0\.1$/) });
			}
			const usage = await eventually(
				async () => (await h.http.get("/api/v3/usage").set(h.user.auth)).body,
				u => u.totals.executions.started === before.totals.executions.started + 2 && u.totals.executions.completed === before.totals.executions.completed + 2,
				"usage to count both runs"
			);
			const tokens = await h.db.sql.all<{ usage: string }>("SELECT usage FROM executions WHERE id IN ($1, $2)", runs);
			const used = tokens.reduce((sum, r) => sum + (JSON.parse(r.usage) as { total_tokens: number }).total_tokens, 0);
			expect(used).toBeGreaterThan(0);
			expect(usage.totals.tokens.total).toBe(before.totals.tokens.total + used);
			expect(usage.days.at(-1).day).toBe(new Date().toISOString().slice(0, 10));
			// Admins see everyone's, biggest first; users cannot.
			const all = (await h.http.get("/api/v3/usage/users").set(h.admin.auth).expect(200)).body;
			expect(all.users.find((u: Row) => u.user_id === h.user.user_id)).toMatchObject({ email: h.user.email, executions: { started: usage.totals.executions.started } });
			expect((await h.http.get("/api/v3/usage/users").set(h.user.auth)).status).toBe(403);
			expect((await h.http.get("/api/v3/usage").query({ from: "2026-02-01", to: "2026-01-01" }).set(h.user.auth)).status).toBe(422);
		});

		it("WorkflowExecutionCompleted: a notification to the owner and a signed webhook delivery the receiver verifies", async () => {
			const wf = id("notified");
			await postWorkflow(h.http, h.user, { workflow_id: wf, version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "41 + 1" } }], outputs: [{ name: "answer", value: "${{ steps.a.output }}" }] });
			const hook = (await h.http.post("/api/v3/webhooks").set(h.user.auth).send({ workflow_id: wf, url: `${h.receiver.url}/hooks/${wf}`, events: ["WorkflowExecutionCompleted"] }).expect(201)).body;
			expect(hook.secret).toMatch(/^whsec_/);
			h.receiver.setSecret(`/hooks/${wf}`, hook.secret);
			const run = await runWorkflow(h.http, h.user, wf);

			const inbox = await eventually(
				async () => (await h.http.get("/api/v3/notifications").set(h.user.auth)).body,
				b => b.notifications.some((n: Row) => n.execution_id === run),
				"the notification"
			);
			expect(inbox.notifications.find((n: Row) => n.execution_id === run)).toMatchObject({ kind: "info", event_type: "WorkflowExecutionCompleted", workflow_id: wf, title: `${wf} 1.0.0 completed`, read_at: null });

			await waitFor(() => h.receiver.deliveries(`/hooks/${wf}`).length === 1, "the webhook delivery");
			const [delivery] = h.receiver.deliveries(`/hooks/${wf}`);
			expect(delivery.verified).toBe(true);
			expect(delivery.status).toBe(204);
			expect(delivery.headers[WEBHOOK_HEADERS.event]).toBe("WorkflowExecutionCompleted");
			expect(delivery.headers[WEBHOOK_HEADERS.webhook]).toBe(hook.id);
			expect(delivery.headers[WEBHOOK_HEADERS.signature]).toMatch(/^sha256=[0-9a-f]{64}$/);
			expect(JSON.parse(delivery.body)).toMatchObject({ event_type: "WorkflowExecutionCompleted", execution_id: run, workflow_id: wf, outputs: { answer: 42 }, owner_id: h.user.user_id });

			const log = await eventually(
				async () => (await h.http.get(`/api/v3/webhooks/${hook.id}/deliveries`).set(h.user.auth)).body,
				b => b.deliveries[0]?.status === "delivered",
				"the delivery log"
			);
			expect(log.deliveries).toHaveLength(1);
			expect(log.deliveries[0]).toMatchObject({ id: delivery.headers[WEBHOOK_HEADERS.delivery], event_type: "WorkflowExecutionCompleted", execution_id: run, attempts: 1, last_status_code: 204, last_error: null });
			// Only the owner (or an admin) reads it; the secret is never shown again.
			const other = await createUser(h.http);
			expect((await h.http.get(`/api/v3/webhooks/${hook.id}/deliveries`).set(other.auth)).status).toBe(404);
			expect((await h.http.get(`/api/v3/webhooks/${hook.id}`).set(h.user.auth)).body.secret).toBeUndefined();

			const notification = inbox.notifications.find((n: Row) => n.execution_id === run);
			const read = await h.http.post(`/api/v3/notifications/${notification.id}/read`).set(h.user.auth).expect(200);
			expect(read.body.read_at).not.toBeNull();
			expect((await h.http.post(`/api/v3/notifications/${notification.id}/read`).set(other.auth)).status).toBe(404);
		});

		it("WorkflowExecutionFailed: an alert to the owner and a webhook delivery", async () => {
			const wf = id("failing");
			await postWorkflow(h.http, h.user, { workflow_id: wf, version: "1.0.0", steps: [{ id: "call", type: "http_request", params: { url: `${h.target.url}/missing` } }] });
			const hook = (await h.http.post("/api/v3/webhooks").set(h.user.auth).send({ workflow_id: wf, url: `${h.receiver.url}/hooks/${wf}` }).expect(201)).body;
			expect(hook.events).toEqual(["WorkflowExecutionStarted", "WorkflowExecutionCompleted", "WorkflowExecutionFailed"]);
			h.receiver.setSecret(`/hooks/${wf}`, hook.secret);
			const run = await runWorkflow(h.http, h.user, wf);
			expect((await finishedExecution(h.http, h.user, run)).status).toBe("failed");

			const alerts = await eventually(
				async () => (await h.http.get("/api/v3/notifications").query({ unread: "true" }).set(h.user.auth)).body,
				b => b.notifications.some((n: Row) => n.execution_id === run),
				"the alert"
			);
			expect(alerts.notifications.find((n: Row) => n.execution_id === run)).toMatchObject({ kind: "alert", event_type: "WorkflowExecutionFailed", message: expect.stringContaining("at step call") });
			await waitFor(() => h.receiver.deliveries(`/hooks/${wf}`).length === 2, "the started and failed deliveries");
			const types = h.receiver.deliveries(`/hooks/${wf}`).map(d => d.headers[WEBHOOK_HEADERS.event]);
			expect(types.sort()).toEqual(["WorkflowExecutionFailed", "WorkflowExecutionStarted"]);
			expect(h.receiver.deliveries(`/hooks/${wf}`).every(d => d.verified)).toBe(true);
			const usage = (await h.http.get("/api/v3/usage").set(h.user.auth)).body;
			expect(usage.totals.executions.failed).toBeGreaterThanOrEqual(1);
		});

		it("StepExecutionCompleted: per-step statistics the API returns for a workflow", async () => {
			const wf = id("stats");
			await postWorkflow(h.http, h.user, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{ id: "flaky", type: "http_request", params: { url: `${h.target.url}/flaky?fail=1` }, retry: 2, retry_delay: "50ms" },
					{ id: "think", type: "ai_generate", params: { prompt: "Summarize the result" }, depends_on: ["flaky"] },
					{ id: "never", type: "transform", params: { expression: "1" }, depends_on: ["think"], condition: "1 == 2" }
				]
			});
			const runs = [await runWorkflow(h.http, h.user, wf), await runWorkflow(h.http, h.user, wf), await runWorkflow(h.http, h.user, wf)];
			for (const run of runs) expect((await finishedExecution(h.http, h.user, run)).status).toBe("completed");
			const stats = await eventually(
				async () => (await h.http.get(`/api/v3/workflows/${wf}/1.0.0/statistics`).set(h.user.auth)).body,
				b => b.steps?.[0]?.completed === 3 && b.steps?.[1]?.completed === 3,
				"statistics of both steps"
			);
			const [flaky, think, never] = stats.steps;
			expect(flaky).toMatchObject({ step_id: "flaky", step_type: "http_request", completed: 3, attempts: { total: 6, mean: 2, retried: 3 }, tokens: { total: 0 } });
			expect(flaky.duration_ms.min).toBeLessThanOrEqual(flaky.duration_ms.mean);
			expect(flaky.duration_ms.mean).toBeLessThanOrEqual(flaky.duration_ms.max);
			const steps = await h.db.sql.all<{ usage: string }>(`SELECT usage FROM step_runs WHERE step_id = 'think' AND execution_id IN ($1, $2, $3)`, runs);
			const tokens = steps.reduce((sum, r) => sum + (JSON.parse(r.usage) as { total_tokens: number }).total_tokens, 0);
			expect(think).toMatchObject({ step_type: "ai_generate", completed: 3, attempts: { total: 3, retried: 0 }, tokens: { total: tokens } });
			// A skipped step never completed: it is listed with zeros.
			expect(never).toMatchObject({ step_id: "never", completed: 0, duration_ms: { mean: null } });
			const other = await createUser(h.http);
			expect((await h.http.get(`/api/v3/workflows/${wf}/1.0.0/statistics`).set(other.auth)).status).toBe(404);
			expect((await h.http.get(`/api/v3/workflows/${wf}/1.0.0/statistics`).query({ owner_id: h.user.user_id }).set(h.admin.auth)).body.steps[0].completed).toBe(3);
		});

		it("retries a failing webhook with backoff and records every try", async () => {
			const wf = id("retried-hook");
			await postWorkflow(h.http, h.user, { workflow_id: wf, version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
			const hook = (await h.http.post("/api/v3/webhooks").set(h.user.auth).send({ workflow_id: wf, url: `${h.receiver.url}/hooks/${wf}`, events: ["WorkflowExecutionCompleted"] }).expect(201)).body;
			h.receiver.setSecret(`/hooks/${wf}`, hook.secret);
			h.receiver.failNext(`/hooks/${wf}`, 2, 503);
			await runWorkflow(h.http, h.user, wf);
			const log = await eventually(
				async () => (await h.http.get(`/api/v3/webhooks/${hook.id}/deliveries`).set(h.user.auth)).body,
				b => b.deliveries[0]?.status === "delivered",
				"the delivery to succeed on its third try"
			);
			expect(log.deliveries[0].attempts).toBe(3);
			expect(log.deliveries[0].attempt_log.map((a: Row) => a.status_code)).toEqual([503, 503, 204]);
			expect(log.deliveries[0].attempt_log[0].error).toContain("HTTP 503");
			const received = h.receiver.deliveries(`/hooks/${wf}`);
			expect(new Set(received.map(d => d.headers[WEBHOOK_HEADERS.delivery])).size).toBe(1);
			// Each try is signed afresh with its own timestamp.
			expect(received.every(d => d.verified)).toBe(true);
		});

		it("applies http_request's SSRF rule to webhooks", async () => {
			const wf = id("ssrf");
			await postWorkflow(h.http, h.user, { workflow_id: wf, version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
			for (const url of ["http://10.0.0.7/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/x", "ftp://example.com/x"]) {
				const res = await h.http.post("/api/v3/webhooks").set(h.user.auth).send({ workflow_id: wf, url });
				expect(res.status).toBe(422);
				expect(res.body.detail[0].path).toBe("url");
			}
			expect((await h.http.post("/api/v3/webhooks").set(h.user.auth).send({ workflow_id: "no-such-workflow", url: "https://example.com/x" })).status).toBe(404);
			// A name that resolves to a local address is refused when the delivery connects.
			const port = new URL(h.receiver.url).port;
			const hook = (await h.http.post("/api/v3/webhooks").set(h.user.auth).send({ workflow_id: wf, url: `http://localhost:${port}/hooks/${wf}`, events: ["WorkflowExecutionCompleted"] }).expect(201)).body;
			await runWorkflow(h.http, h.user, wf);
			const log = await eventually(
				async () => (await h.http.get(`/api/v3/webhooks/${hook.id}/deliveries`).set(h.user.auth)).body,
				b => b.deliveries[0]?.status === "failed",
				"the delivery to fail"
			);
			expect(log.deliveries[0].last_error).toContain("private or local address");
			expect(log.deliveries[0].attempts).toBe(3);
			expect(h.receiver.deliveries(`/hooks/${wf}`)).toHaveLength(0);
		});

		it("sends an event that keeps failing to the dead letters with its error, and replays it once the cause is fixed", async () => {
			// A completion for a user who does not exist (yet): the notification's foreign key refuses it on every try.
			const ghost = randomUUID();
			const event = domainEvent("WorkflowExecutionCompleted", { type: "execution", id: randomUUID() }, { execution_id: randomUUID(), workflow_id: "ghost-flow", workflow_version: "1.0.0", owner_id: ghost, outputs: {}, usage: null, duration_ms: 5 });
			const failedBefore = metricValue(h.node.broker, "events_failed_total", { event_type: "WorkflowExecutionCompleted", handler: "execution-completed" });
			await h.db.sqlTransaction(tx => appendToOutbox(tx, [event]));

			const dead = await eventually(
				async () => (await h.http.get("/api/v3/events/dead-letters").query({ handler: "execution-completed" }).set(h.admin.auth)).body,
				b => b.dead_letters.some((d: Row) => d.event_id === event.event_id),
				"the dead letter"
			);
			const letter = dead.dead_letters.find((d: Row) => d.event_id === event.event_id);
			expect(letter).toMatchObject({ handler: "execution-completed", event_type: "WorkflowExecutionCompleted", status: "dead", attempts: 3, payload: { owner_id: ghost } });
			expect(letter.error.message).toMatch(/foreign key/i);
			expect(letter.headers).toMatchObject({ "x-handler": "execution-completed", "x-attempts": 3, "x-error-message": letter.error.message });
			expect(metricValue(h.node.broker, "events_failed_total", { event_type: "WorkflowExecutionCompleted", handler: "execution-completed" })).toBe(failedBefore + 3);
			expect(await count("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1", [ghost])).toBe(0);
			expect((await h.http.get(`/api/v3/events/dead-letters/${letter.id}`).set(h.user.auth)).status).toBe(403);

			// The cause goes away; the replay goes to this handler only, and succeeds.
			await h.db.sqlTransaction(tx =>
				tx.run("INSERT INTO users (id, email, password_hash, full_name, roles, is_active, created_at, updated_at) VALUES ($1, $2, 'x', NULL, '[\"user\"]', $3, $4, $4)", [
					ghost,
					`ghost-${ghost}@example.com`,
					h.db.dialect === "postgres" ? true : 1,
					new Date().toISOString()
				])
			);
			const replayed = await h.http.post(`/api/v3/events/dead-letters/${letter.id}/replay`).set(h.admin.auth).expect(202);
			expect(replayed.body).toMatchObject({ status: "replayed", replay_count: 1 });
			await waitFor(async () => (await count("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1", [ghost])) === 1, "the replayed event's notification");
			expect((await h.http.post(`/api/v3/events/dead-letters/${letter.id}/replay`).set(h.admin.auth)).status).toBe(409);
			expect(await count("SELECT COUNT(*) AS n FROM event_inbox WHERE event_id = $1", [event.event_id])).toBe(1);
		});

		it("a malformed event goes to the dead letters at once, without retries", async () => {
			const event = domainEvent("StepExecutionCompleted", { type: "execution", id: randomUUID() }, { step_id: "x" });
			await h.db.sqlTransaction(tx => appendToOutbox(tx, [event]));
			const dead = await eventually(
				async () => (await h.http.get("/api/v3/events/dead-letters").query({ event_type: "StepExecutionCompleted" }).set(h.admin.auth)).body,
				b => b.dead_letters.some((d: Row) => d.event_id === event.event_id),
				"the dead letter"
			);
			expect(dead.dead_letters.find((d: Row) => d.event_id === event.event_id)).toMatchObject({ handler: "step-statistics", attempts: 1, error: { type: "malformed_event" } });
			const discarded = await h.http.delete(`/api/v3/events/dead-letters/${dead.dead_letters.find((d: Row) => d.event_id === event.event_id).id}`).set(h.admin.auth);
			expect(discarded.status).toBe(204);
		});

		it("handling an event again (republished, redelivered) does not repeat any handler's effect", async () => {
			const wf = id("again");
			await postWorkflow(h.http, h.user, { workflow_id: wf, version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }, { id: "b", type: "transform", params: { expression: "2" }, depends_on: ["a"] }] });
			const hook = (await h.http.post("/api/v3/webhooks").set(h.user.auth).send({ workflow_id: wf, url: `${h.receiver.url}/hooks/${wf}` }).expect(201)).body;
			h.receiver.setSecret(`/hooks/${wf}`, hook.secret);
			const run = await runWorkflow(h.http, h.user, wf);
			await finishedExecution(h.http, h.user, run);
			const effects = async () => ({
				audit: await count("SELECT COUNT(*) AS n FROM audit_log WHERE resource_id = $1", [run]),
				notifications: await count("SELECT COUNT(*) AS n FROM notifications WHERE execution_id = $1", [run]),
				deliveries: await count("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE execution_id = $1", [run]),
				usage: await count("SELECT executions_started AS n FROM usage_daily WHERE user_id = $1 AND day = $2", [h.user.user_id, new Date().toISOString().slice(0, 10)]),
				stats: await count("SELECT SUM(completed_count) AS n FROM step_statistics WHERE owner_id = $1 AND workflow_id = $2", [h.user.user_id, wf])
			});
			const once = await eventually(effects, e => e.audit === 1 && e.notifications === 1 && e.deliveries === 2 && e.stats === 2, "every handler's effect");
			await waitFor(() => h.receiver.deliveries(`/hooks/${wf}`).length === 2, "both webhook deliveries");

			// The relay "crashed" before marking them: it publishes this run's events a second time.
			const handled = await count("SELECT COUNT(*) AS n FROM outbox WHERE aggregate_id = $1 AND event_type IN ('WorkflowExecutionStarted', 'WorkflowExecutionCompleted', 'StepExecutionCompleted')", [run]);
			expect(handled).toBe(4);
			const duplicatesBefore = totalDuplicates(h);
			await h.db.sqlTransaction(tx => tx.run("UPDATE outbox SET published_at = NULL WHERE aggregate_id = $1", [run]));
			await waitFor(() => totalDuplicates(h) >= duplicatesBefore + handled, "the handlers to see every event again");
			expect(await effects()).toEqual(once);
			expect(h.receiver.deliveries(`/hooks/${wf}`)).toHaveLength(2);
		});

		it("counts published, consumed and failed events, and reports the outbox lag", async () => {
			const wf = id("metrics");
			await postWorkflow(h.http, h.user, { workflow_id: wf, version: "1.0.0", steps: [{ id: "a", type: "transform", params: { expression: "1" } }] });
			await finishedExecution(h.http, h.user, await runWorkflow(h.http, h.user, wf));
			const broker = h.node.broker;
			await waitFor(() => metricValue(broker, "events_consumed_total", { event_type: "StepExecutionCompleted", handler: "step-statistics" }) > 0, "consumption to be counted");
			expect(metricValue(broker, "events_published_total", { event_type: "WorkflowExecutionStarted" })).toBeGreaterThan(0);
			expect(metricValue(broker, "events_consumed_total", { event_type: "WorkflowExecutionStarted", handler: "execution-started" })).toBeGreaterThan(0);
			await waitFor(async () => (await count("SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL")) === 0, "the outbox to drain");
			await waitFor(() => metricValue(broker, "outbox_pending_events") === 0 && metricValue(broker, "outbox_lag_seconds") === 0, "the lag gauges to settle");
			const status = (await h.http.get("/api/v3/events/status").set(h.admin.auth).expect(200)).body;
			expect(status).toMatchObject({ transport: h.transport, connected: true, relay_leader: true, outbox: { pending: 0 } });
			expect(status.handlers.map((x: Row) => x.name)).toEqual(["audit-log", "execution-started", "execution-completed", "execution-failed", "step-statistics"]);
		});
	});
}

function totalDuplicates(h: EventBusHarness): number {
	const samples = (h.node.broker.metrics.getMetric("events_duplicates_total")?.snapshot() ?? []) as { value?: number }[];
	return samples.reduce((sum, s) => sum + (s.value ?? 0), 0);
}

export type { DomainEvent };
