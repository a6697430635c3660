import { createHmac, randomUUID } from "node:crypto";
import { execute, finished, getExecution, postWorkflow, stepOf, waitForExecution, type EngineHarness, type ExecutionView } from "./engine-harness";
import { createUser, loginAdmin, type TestUser } from "./factories";

/**
 * Events in, waits and flow control, written once and run embedded (test/integration)
 * and in a cluster of three execution nodes over NATS and PostgreSQL (test/cluster).
 * Every limit is checked from the ledger (executions and step rows), never from timing.
 */
export function defineEventsSuite(title: string, setup: () => Promise<EngineHarness>): void {
	describe(title, () => {
		let h: EngineHarness;
		let seq = 0;
		const id = (name: string) => `${name}-${++seq}`;
		/** A unique event name per test, so tests never hear each other's events. */
		const eventName = (name: string) => `${name}.${seq}.${randomUUID().slice(0, 8)}`;

		beforeAll(async () => {
			h = await setup();
		});
		afterAll(() => h?.stop());

		const send = (body: Record<string, unknown>, user: TestUser = h.user) => h.http.post("/api/v3/events").set(user.auth).send(body);

		async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20000): Promise<T> {
			const end = Date.now() + timeoutMs;
			for (;;) {
				const v = await probe();
				if (v) return v;
				if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
				await new Promise(r => setTimeout(r, 50));
			}
		}

		const runsOf = async (workflowId: string) =>
			h.sql<{ id: string; status: string; inputs: string; priority: number; started_at: string | null; event_id: string | null }>(
				"SELECT id, status, inputs, priority, started_at, event_id FROM executions WHERE workflow_id = $1 ORDER BY created_at",
				[workflowId]
			);
		const inputsOf = (row: { inputs: string | Record<string, unknown> }) => (typeof row.inputs === "string" ? JSON.parse(row.inputs) : row.inputs) as Record<string, unknown>;
		const waiting = (stepId: string) => (e: ExecutionView) => stepOf(e, stepId).waiting_for === "event";

		it("starts a run for each matching event (its data as inputs), records a mismatch on the event, and answers a duplicate id with 200", async () => {
			const wf = id("orders");
			const name = eventName("order.created");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [
					{ name: "order_id", type: "string", required: true },
					{ name: "total", type: "integer", required: true }
				],
				triggers: [{ event: name, filter: "${{ event.data.total }} > 100" }],
				steps: [{ id: "double", type: "transform", params: { expression: "inputs.total * 2" } }]
			});
			const big = await send({ name, id: "order-1", data: { order_id: "A-1", total: 250 } });
			expect(big.status).toBe(202);
			expect(big.body).toMatchObject({ event_id: "order-1", duplicate: false, runs: [{ workflow_id: wf, workflow_version: "1.0.0", status: "started" }], problems: [] });
			const run = await waitForExecution(h, big.body.runs[0].execution_id, finished);
			expect(run).toMatchObject({ status: "completed", trigger: "event", event_id: "order-1", inputs: { order_id: "A-1", total: 250 } });
			expect(stepOf(run, "double").output).toBe(500);

			const small = await send({ name, id: "order-2", data: { order_id: "A-2", total: 50 } });
			expect(small.status).toBe(202);
			expect(small.body.runs).toEqual([]);

			const again = await send({ name, id: "order-1", data: { order_id: "A-1", total: 250 } });
			expect(again.status).toBe(200);
			expect(again.body).toEqual({ event_id: "order-1", duplicate: true });

			const bad = await send({ name, id: "order-3", data: { order_id: "A-3", total: 250.5 } });
			expect(bad.status).toBe(202);
			expect(bad.body.runs).toEqual([]);
			expect(bad.body.problems).toEqual([expect.objectContaining({ workflow_id: wf, type: "invalid_inputs", detail: [expect.objectContaining({ path: "inputs.total" })] })]);

			expect(await runsOf(wf)).toHaveLength(1);
			const listed = await h.http.get(`/api/v3/events?name=${encodeURIComponent(name)}`).set(h.user.auth);
			expect(listed.status).toBe(200);
			expect(listed.body.events.map((e: { event_id: string }) => e.event_id)).toEqual(["order-3", "order-2", "order-1"]);
			expect(listed.body.events[2]).toMatchObject({ source: "api", data: { order_id: "A-1", total: 250 }, runs: [{ execution_id: run.execution_id }] });
			expect(listed.body.events[0].problems).toHaveLength(1);
			// Another user's events are theirs: the same id is not a duplicate for them, and they do not see ours.
			const other = await createUser(h.http);
			expect((await send({ name, id: "order-1", data: {} }, other)).status).toBe(202);
			expect((await h.http.get(`/api/v3/events?name=${encodeURIComponent(name)}`).set(other.auth)).body.total).toBe(1);
			if (h.mode === "embedded") {
				// The event bus's routes beside ours still answer (the cluster harness runs no event-bus node).
				const admin = await loginAdmin(h.http);
				expect((await h.http.get("/api/v3/events/status").set(admin.auth)).status).toBe(200);
				expect((await h.http.get("/api/v3/events/dead-letters").set(admin.auth)).status).toBe(200);
			}
			const outbox = await h.sql<{ payload: string }>("SELECT payload FROM outbox WHERE event_type = 'EventReceived' AND payload LIKE $1", ['%"inbound_event_id":"order-1"%']);
			expect(outbox.map(r => JSON.parse(r.payload).owner_id).sort()).toEqual([h.user.user_id, other.user_id].sort());
		});

		it("refuses at upload an event reference outside filter and match, naming the field", async () => {
			const res = await h.http
				.post("/api/v3/workflows")
				.set(h.user.auth)
				.send({
					workflow_id: id("bad-event-ref"),
					version: "1.0.0",
					triggers: [{ event: "x", filter: "${{ inputs.total }} > 1" }],
					steps: [
						{ id: "a", type: "transform", params: { expression: "1" }, condition: "${{ event.data.x }} == 1" },
						{ id: "w", type: "wait_for_event", params: { event: "y", match: "${{ event.data.id }} == ${{ steps.zz.output }}" } }
					]
				});
			expect(res.status).toBe(422);
			const paths = (res.body.detail as { path: string }[]).map(d => d.path).sort();
			expect(paths).toEqual(["steps[0].condition", "steps[1].params.match", "triggers[0].filter"]);
		});

		it("completes a wait with the event whose data matches the run's own, while other events pass by", async () => {
			const wf = id("waiter");
			const name = eventName("payment.settled");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [{ name: "order_id", type: "string", required: true }],
				steps: [
					{ id: "prepare", type: "transform", params: { expression: "'ready'" } },
					{ id: "paid", type: "wait_for_event", depends_on: ["prepare"], params: { event: name, match: "${{ event.data.order_id }} == ${{ inputs.order_id }} && ${{ steps.prepare.output }} == 'ready'" } },
					{ id: "after", type: "transform", depends_on: ["paid"], params: { expression: "steps.paid.output.data.amount" } }
				]
			});
			const a = await execute(h, wf, { order_id: "A" });
			const b = await execute(h, wf, { order_id: "B" });
			await waitForExecution(h, a, waiting("paid"));
			await waitForExecution(h, b, waiting("paid"));
			// Waiting holds no worker slot: the step row has no lease.
			const rows = await h.sql<{ lease_owner: string | null; wait_event: string }>("SELECT lease_owner, wait_event FROM step_runs WHERE execution_id = $1 AND step_id = 'paid'", [a]);
			expect(rows[0]).toEqual({ lease_owner: null, wait_event: name });

			const other = await send({ name, data: { order_id: "C", amount: 1 } });
			expect(other.body.delivered_to).toEqual([]);
			const forB = await send({ name, data: { order_id: "B", amount: 20 } });
			expect(forB.body.delivered_to).toEqual([{ execution_id: b, step_id: "paid" }]);
			const doneB = await waitForExecution(h, b, finished);
			expect(doneB.status).toBe("completed");
			expect(stepOf(doneB, "paid").output).toMatchObject({ id: forB.body.event_id, name, data: { order_id: "B", amount: 20 }, received_at: expect.any(String) });
			expect(stepOf(doneB, "after").output).toBe(20);
			expect((await getExecution(h, a)).status).toBe("running");

			// The wait survives a restart of every node that runs steps.
			await h.restartWorkers();
			// In a cluster the gateway finds the new execution nodes first.
			await until("the execution routes after the restart", async () => (await h.http.get(`/api/v3/workflows/executions/${a}`).set(h.user.auth)).status === 200);
			const forA = await send({ name, data: { order_id: "A", amount: 10 } });
			expect(forA.body.delivered_to).toEqual([{ execution_id: a, step_id: "paid" }]);
			expect(stepOf(await waitForExecution(h, a, finished), "after").output).toBe(10);
		});

		it("counts only events after the wait began, unless since: run_start", async () => {
			const wf = id("since");
			const name = eventName("doc.signed");
			const steps = (since?: string) => [
				{ id: "gate", type: "wait_for_event", params: { event: `${name}.gate` } },
				{ id: "signed", type: "wait_for_event", depends_on: ["gate"], timeout: "60s", params: { event: name, ...(since ? { since } : {}) } }
			];
			await postWorkflow(h, { workflow_id: wf, version: "1.0.0", steps: steps() });
			await postWorkflow(h, { workflow_id: `${wf}-run`, version: "1.0.0", steps: steps("run_start") });
			const plain = await execute(h, wf);
			const fromStart = await execute(h, `${wf}-run`);
			await waitForExecution(h, plain, waiting("gate"));
			await waitForExecution(h, fromStart, waiting("gate"));
			await send({ name, data: { n: 1 } });
			await send({ name: `${name}.gate`, data: {} });
			await waitForExecution(h, plain, waiting("signed"));
			const early = await waitForExecution(h, fromStart, finished);
			expect(stepOf(early, "signed").output).toMatchObject({ data: { n: 1 } });
			expect((await getExecution(h, plain)).status).toBe("running");
			await send({ name, data: { n: 2 } });
			expect(stepOf(await waitForExecution(h, plain, finished), "signed").output).toMatchObject({ data: { n: 2 } });
		});

		it("fails a wait that times out, or continues with null when on_timeout says so", async () => {
			const wf = id("timeout");
			const name = eventName("never");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{ id: "soft", type: "wait_for_event", timeout: "300ms", params: { event: name, on_timeout: "continue" } },
					{ id: "hard", type: "wait_for_event", depends_on: ["soft"], timeout: "300ms", params: { event: name } }
				]
			});
			const e = await waitForExecution(h, await execute(h, wf), finished);
			expect(e.status).toBe("failed");
			expect(stepOf(e, "soft")).toMatchObject({ status: "completed", output: null });
			expect(stepOf(e, "hard")).toMatchObject({ status: "failed", error: { type: "event_timeout" } });
			expect(e.error).toMatchObject({ step_id: "hard", type: "event_timeout" });
		});

		it("delivers a signal to its run's wait, keeps one that comes first, and takes an Idempotency-Key once", async () => {
			const wf = id("signal");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				steps: [
					{ id: "gate", type: "wait_for_event", params: { event: "go" } },
					{ id: "approve", type: "wait_for_event", depends_on: ["gate"], params: { event: "approved", match: "${{ event.data.ok }} == true" } }
				]
			});
			const run = await execute(h, wf);
			const twin = await execute(h, wf);
			await waitForExecution(h, run, waiting("gate"));
			// Kept for the run: the wait on "approved" has not begun; a non-matching one is kept too but never taken.
			const early = await h.http.post(`/api/v3/workflows/executions/${run}/signals/approved`).set(h.user.auth).send({ data: { ok: false } });
			expect(early.status).toBe(202);
			expect(early.body.delivered_to).toEqual([]);
			const kept = await h.http.post(`/api/v3/workflows/executions/${run}/signals/approved`).set(h.user.auth).set("Idempotency-Key", "sig-1").send({ data: { ok: true } });
			expect(kept.status).toBe(202);
			const dup = await h.http.post(`/api/v3/workflows/executions/${run}/signals/approved`).set(h.user.auth).set("Idempotency-Key", "sig-1").send({ data: { ok: true } });
			expect(dup.status).toBe(200);
			expect(dup.body).toMatchObject({ event_id: kept.body.event_id, duplicate: true });
			const go = await h.http.post(`/api/v3/workflows/executions/${run}/signals/go`).set(h.user.auth).send({ data: { by: "ops" } });
			expect(go.body.delivered_to).toEqual([{ execution_id: run, step_id: "gate" }]);
			const done = await waitForExecution(h, run, finished);
			expect(stepOf(done, "gate").output).toMatchObject({ name: "go", data: { by: "ops" } });
			expect(stepOf(done, "approve").output).toMatchObject({ id: kept.body.event_id, data: { ok: true } });
			// The signal was addressed to one run: its twin still waits.
			expect(stepOf(await waitForExecution(h, twin, waiting("gate")), "gate").status).toBe("running");
			const signals = await h.sql<{ consumed_by: string | null }>("SELECT consumed_by FROM events WHERE execution_id = $1 AND name = 'approved' ORDER BY seq", [run]);
			expect(signals.map(s => s.consumed_by)).toEqual([null, `${run}/approve`]);
			// Someone else's run does not exist for them; an ended run takes no signals.
			const stranger = await createUser(h.http);
			expect((await h.http.post(`/api/v3/workflows/executions/${twin}/signals/go`).set(stranger.auth).send({})).status).toBe(404);
			expect((await h.http.post(`/api/v3/workflows/executions/${run}/signals/go`).set(h.user.auth).send({})).status).toBe(409);
			await h.http.post(`/api/v3/workflows/executions/${twin}/cancel`).set(h.user.auth).send({});
		});

		describe("inbound webhooks", () => {
			const body = JSON.stringify({ action: "opened", number: 7 });
			const now = () => Math.floor(Date.now() / 1000);
			const hex = (key: string | Buffer, text: string) => createHmac("sha256", key).update(text).digest("hex");
			const b64 = (key: string | Buffer, text: string) => createHmac("sha256", key).update(text).digest("base64");
			type Signer = (secret: string, opts: { delivery: string; at: number }) => Record<string, string>;
			const signers: Record<string, Signer> = {
				github: (secret, o) => ({ "X-Hub-Signature-256": `sha256=${hex(secret, body)}`, "X-GitHub-Delivery": o.delivery }),
				stripe: (secret, o) => ({ "Stripe-Signature": `t=${o.at},v1=${hex(secret, `${o.at}.${body}`)}` }),
				"standard-webhooks": (secret, o) => ({
					"webhook-id": o.delivery,
					"webhook-timestamp": String(o.at),
					"webhook-signature": `v1,${b64(Buffer.from(secret.slice("whsec_".length), "base64"), `${o.delivery}.${o.at}.${body}`)}`
				}),
				"hmac-sha256": (secret, o) => ({ "X-CognitionOS-Signature": `sha256=${hex(secret, `${o.at}.${body}`)}`, "X-CognitionOS-Timestamp": String(o.at), "X-CognitionOS-Delivery": o.delivery })
			};
			// Stripe signs the event: its id is the delivery id.
			const stripeBody = (delivery: string) => JSON.stringify({ id: delivery, type: "invoice.paid" });

			it.each(Object.keys(signers))("%s: a good signature is stored once, a bad one and a replayed one are refused or deduplicated", async scheme => {
				const name = eventName(`hook.${scheme}`);
				const wf = id(`hooked-${scheme}`);
				await postWorkflow(h, { workflow_id: wf, version: "1.0.0", triggers: [{ event: name }], steps: [{ id: "n", type: "transform", params: { expression: "inputs" } }] });
				const made = await h.http
					.post("/api/v3/hooks")
					.set(h.user.auth)
					.send({ event: name, verify: scheme, ...(scheme === "stripe" ? { secret: "whsec_stripe_issued_secret_0123456789" } : {}) });
				expect(made.status).toBe(201);
				expect(made.body.url).toBe(`/api/v3/hooks/${made.body.id}`);
				const secret = made.body.secret as string;
				const delivery = scheme === "stripe" ? "evt_1" : randomUUID();
				const payload = scheme === "stripe" ? stripeBody(delivery) : body;
				const sign = (s: string, at = now()) => {
					const headers = signers[scheme](s, { delivery, at });
					// Stripe's signature covers its own body.
					if (scheme === "stripe") headers["Stripe-Signature"] = `t=${at},v1=${hex(s, `${at}.${payload}`)}`;
					return headers;
				};
				const post = (headers: Record<string, string>, text = payload) => h.http.post(made.body.url).set("Content-Type", "application/json").set(headers).send(text);

				const bad = await post(sign("not-the-secret-at-all-000000000"));
				expect(bad.status).toBe(401);
				expect((await post({})).status).toBe(401);
				// A body changed after signing does not verify: the raw bytes are what count.
				expect((await post(sign(secret), payload.replace("7", "8").replace("paid", "void"))).status).toBe(401);
				if (scheme !== "github") expect((await post(sign(secret, now() - 3600))).status).toBe(401);
				expect(await runsOf(wf)).toHaveLength(0);

				const good = await post(sign(secret));
				expect(good.status).toBe(202);
				expect(good.body).toEqual({ event_id: `${made.body.id}:${delivery}`, duplicate: false });
				const replay = await post(sign(secret));
				expect(replay.status).toBe(200);
				expect(replay.body.duplicate).toBe(true);
				const runs = await runsOf(wf);
				expect(runs).toHaveLength(1);
				expect(inputsOf(runs[0])).toEqual(JSON.parse(payload));
				const stored = await h.sql<{ source: string; hook_id: string }>("SELECT source, hook_id FROM events WHERE id = $1", [good.body.event_id]);
				expect(stored).toEqual([{ source: "webhook", hook_id: made.body.id }]);
			});

			it("keeps the old secret valid for the grace period of a rotation, and takes other content types as {raw}", async () => {
				const name = eventName("hook.rotate");
				const made = await h.http.post("/api/v3/hooks").set(h.user.auth).send({ event: name, verify: "hmac-sha256" });
				const old = made.body.secret as string;
				const rotated = await h.http.post(`/api/v3/hooks/${made.body.id}/rotate`).set(h.user.auth).send({ grace: "1h" });
				expect(rotated.status).toBe(200);
				expect(rotated.body.secret).not.toBe(old);
				expect(rotated.body.previous_secret_valid_until).toEqual(expect.any(String));
				const text = "plain words";
				const sign = (secret: string, delivery: string) => {
					const at = now();
					return { "X-CognitionOS-Signature": `sha256=${hex(secret, `${at}.${text}`)}`, "X-CognitionOS-Timestamp": String(at), "X-CognitionOS-Delivery": delivery };
				};
				const post = (headers: Record<string, string>) => h.http.post(made.body.url).set("Content-Type", "text/plain").set(headers).send(text);
				expect((await post(sign(old, "d-old"))).status).toBe(202);
				expect((await post(sign(rotated.body.secret, "d-new"))).status).toBe(202);
				// A rotation with no grace ends the old secret at once.
				const again = await h.http.post(`/api/v3/hooks/${made.body.id}/rotate`).set(h.user.auth).send({ grace: "0s" });
				expect((await post(sign(rotated.body.secret, "d-late"))).status).toBe(401);
				expect((await post(sign(again.body.secret, "d-last"))).status).toBe(202);
				const events = await h.http.get(`/api/v3/events?name=${encodeURIComponent(name)}`).set(h.user.auth);
				expect(events.body.events.map((e: { data: unknown }) => e.data)).toEqual([{ raw: text }, { raw: text }, { raw: text }]);
				// Its secret is never shown again; a deleted hook is gone.
				expect((await h.http.get(`/api/v3/hooks/${made.body.id}`).set(h.user.auth)).body.secret).toBeUndefined();
				expect((await h.http.delete(`/api/v3/hooks/${made.body.id}`).set(h.user.auth)).status).toBe(204);
				expect((await post(sign(again.body.secret, "d-gone"))).status).toBe(404);
			});

			it("refuses every delivery to a deactivated owner's hook (404, nothing stored), and takes them again once the owner is active", async () => {
				const owner = await createUser(h.http);
				const admin = await loginAdmin(h.http);
				const name = eventName("hook.inactive");
				const made = await h.http.post("/api/v3/hooks").set(owner.auth).send({ event: name, verify: "none" });
				expect(made.status).toBe(201);
				const post = (key: string) => h.http.post(made.body.url).set("Idempotency-Key", key).send({ n: key });
				expect((await post("before")).status).toBe(202);
				await h.http.patch(`/api/v3/auth/users/${owner.user_id}`).set(admin.auth).send({ is_active: false }).expect(200);
				expect((await post("while-inactive")).status).toBe(404);
				await h.http.patch(`/api/v3/auth/users/${owner.user_id}`).set(admin.auth).send({ is_active: true }).expect(200);
				expect((await post("after")).status).toBe(202);
				const stored = await h.sql<{ data: string | { n: string } }>("SELECT data FROM events WHERE name = $1 ORDER BY received_at", [name]);
				expect(stored.map(e => (typeof e.data === "string" ? JSON.parse(e.data) : e.data).n)).toEqual(["before", "after"]);
			});

			it("verify none takes any request, deduplicated by Idempotency-Key", async () => {
				const name = eventName("hook.none");
				const made = await h.http.post("/api/v3/hooks").set(h.user.auth).send({ event: name, verify: "none" });
				expect(made.body.secret).toBeNull();
				const post = () => h.http.post(made.body.url).set("Idempotency-Key", "k-1").send({ hello: "world" });
				expect((await post()).status).toBe(202);
				expect((await post()).status).toBe(200);
				expect((await h.http.post(made.body.url).set("Content-Type", "application/json").send("{oops")).status).toBe(400);
			});
		});

		it("runs at most `limit` runs of one concurrency key at once, queued FIFO, without holding back other keys", async () => {
			const wf = id("concurrency");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [
					{ name: "tenant", type: "string", required: true },
					{ name: "n", type: "integer", required: true }
				],
				concurrency: { key: "${{ inputs.tenant }}", limit: 2 },
				steps: [{ id: "work", type: "http_request", params: { url: `${h.target.url}/slow?ms=1000&group=${wf}-\${{ inputs.tenant }}` } }]
			});
			const busy: string[] = [];
			for (let n = 0; n < 8; n++) busy.push(await execute(h, wf, { tenant: "busy", n }));
			const quiet: string[] = [];
			for (let n = 0; n < 2; n++) quiet.push(await execute(h, wf, { tenant: "quiet", n }));
			const statuses = (await runsOf(wf)).map(r => r.status);
			expect(statuses.filter(s => s === "queued").length).toBeGreaterThan(0);
			for (const e of [...busy, ...quiet]) expect((await waitForExecution(h, e, finished, 60000)).status).toBe("completed");

			const steps = await h.sql<{ execution_id: string; started_at: string; completed_at: string }>(
				"SELECT execution_id, started_at, completed_at FROM step_runs WHERE execution_id IN (SELECT id FROM executions WHERE workflow_id = $1)",
				[wf]
			);
			const intervals = (ids: string[]) => steps.filter(s => ids.includes(s.execution_id)).map(s => [Number(s.started_at), Number(s.completed_at)] as const);
			const mostAtOnce = (spans: (readonly [number, number])[]) => Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
			expect(mostAtOnce(intervals(busy))).toBeLessThanOrEqual(2);
			expect(h.target.maxInFlight(`${wf}-busy`)).toBeLessThanOrEqual(2);
			// Admitted first come, first served.
			const startedAt = new Map((await runsOf(wf)).map(r => [r.id, Number(r.started_at)]));
			const started = busy.map(e => startedAt.get(e)!);
			expect([...started].sort((a, b) => a - b)).toEqual(started);
			// The quiet tenant did not wait for the busy one's queue to drain.
			const lastBusyStart = Math.max(...started);
			const quietStarts = quiet.map(e => startedAt.get(e)!);
			expect(Math.max(...quietStarts)).toBeLessThan(lastBusyStart);
			const queuedEvents = await h.sql<{ n: number | string }>("SELECT COUNT(*) AS n FROM outbox WHERE event_type = 'RunQueued' AND payload LIKE $1", [`%"workflow_id":"${wf}"%`]);
			expect(Number(queuedEvents[0].n)).toBeGreaterThan(0);
			expect(await h.sql("SELECT * FROM flow_slots WHERE key LIKE $1", [`%/${wf}/%`])).toEqual([]);
		});

		it("starts at most `limit` runs of one rate-limit key per period", async () => {
			const wf = id("rate");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				rate_limit: { limit: 2, period: "1s" },
				steps: [{ id: "tick", type: "transform", params: { expression: "1" } }]
			});
			const ids: string[] = [];
			for (let i = 0; i < 5; i++) ids.push(await execute(h, wf));
			for (const e of ids) expect((await waitForExecution(h, e, finished, 30000)).status).toBe("completed");
			const starts = (await runsOf(wf)).map(r => Number(r.started_at)).sort((a, b) => a - b);
			for (let i = 2; i < starts.length; i++) expect(starts[i] - starts[i - 2]).toBeGreaterThanOrEqual(1000);
		});

		it("starts queued runs by priority first, then first come", async () => {
			const wf = id("priority");
			const name = eventName("release");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [{ name: "label", type: "string", required: true }],
				concurrency: { limit: 1 },
				steps: [
					{ id: "hold", type: "wait_for_event", params: { event: name, match: "${{ event.data.label }} == ${{ inputs.label }}" } },
					{ id: "done", type: "transform", depends_on: ["hold"], params: { expression: "inputs.label" } }
				]
			});
			const blocker = await execute(h, wf, { label: "blocker" });
			await waitForExecution(h, blocker, waiting("hold"));
			const low1 = await execute(h, wf, { label: "low1" });
			const low2 = await execute(h, wf, { label: "low2" });
			const high = (await h.http.post("/api/v3/workflows/execute").set(h.user.auth).send({ workflow_id: wf, workflow_version: "1.0.0", inputs: { label: "high" }, priority: 10 })).body.execution_id as string;
			for (const q of [low1, low2, high]) expect((await getExecution(h, q)).status).toBe("queued");
			const queuedList = await h.http.get(`/api/v3/workflows/executions?status=queued&workflow_id=${wf}`).set(h.user.auth);
			expect(queuedList.body.total).toBe(3);
			const order: string[] = [];
			for (let i = 0; i < 4; i++) {
				const running = await until(`a running run of ${wf}`, async () => (await runsOf(wf)).find(r => r.status === "running"));
				order.push(String(inputsOf(running).label));
				// An event that arrives before the wait begins does not count: a run just admitted may not be waiting yet.
				await waitForExecution(h, running.id, waiting("hold"));
				await send({ name, data: { label: inputsOf(running).label } });
				await waitForExecution(h, running.id, finished);
			}
			expect(order).toEqual(["blocker", "high", "low1", "low2"]);
		});

		it("debounces a burst of events per key: the last one's data runs, once per key", async () => {
			const wf = id("debounce");
			const name = eventName("profile.changed");
			await postWorkflow(h, {
				workflow_id: wf,
				version: "1.0.0",
				inputs: [
					{ name: "user", type: "string", required: true },
					{ name: "rev", type: "integer", required: true }
				],
				triggers: [{ event: name }],
				debounce: { key: "${{ inputs.user }}", period: "2s" },
				steps: [{ id: "sync", type: "transform", params: { expression: "inputs.rev" } }]
			});
			const answers = [];
			for (let rev = 1; rev <= 5; rev++) answers.push((await send({ name, data: { user: "u1", rev } })).body);
			answers.push((await send({ name, data: { user: "u2", rev: 1 } })).body);
			const first = answers[0].runs[0].execution_id;
			expect(answers.slice(1, 5).map(a => a.runs[0])).toEqual(Array(4).fill(expect.objectContaining({ execution_id: first, status: "debounced" })));
			const done = await waitForExecution(h, first, finished, 30000);
			expect(stepOf(done, "sync").output).toBe(5);
			expect((done as unknown as { event_id: string }).event_id).toBe(answers[4].event_id);
			const u2 = await waitForExecution(h, answers[5].runs[0].execution_id, finished, 30000);
			expect((u2 as unknown as { inputs: unknown }).inputs).toEqual({ user: "u2", rev: 1 });
			expect(await runsOf(wf)).toHaveLength(2);
		});
	});
}
