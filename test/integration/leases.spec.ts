import type { Database } from "../../lib/db/database";
import { releaseAttempt, renewAttemptLeases } from "../../lib/engine/leases";
import { presenceLockName } from "../../lib/engine/presence";
import { runtimeOf } from "../../lib/runtime";
import { startTestNode, type TestNode } from "../support/broker";
import { available } from "../support/env";
import { createUser, type TestUser } from "../support/factories";
import { createTestDatabase } from "../support/postgres";
import { watchStatements } from "../support/statements";
import { startTargetServer, type TargetServer } from "../support/target-server";

/** Quick recovery keeps these tests short, as in the engine suite. */
const ENV = { STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1", ENGINE_LEASE_TTL: "1500ms", ENGINE_SWEEP_INTERVAL: "200ms", ENGINE_DISPATCH_GRACE: "1s" };

async function until<T>(read: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
	for (const end = Date.now() + timeoutMs; ; ) {
		const value = await read();
		if (value) return value;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 25));
	}
}

/**
 * Makes the statement that records step `stepId`'s result (the fenced UPDATE of a running
 * step) throw `error`, `times` times: a database that fails at the worst moment.
 */
function failRecording(db: Database, stepId: string, error: () => Error, times = 1): { failed: () => number; restore(): void } {
	let failed = 0;
	const watching = watchStatements(db, (sql, params) => {
		if (failed < times && /UPDATE step_runs SET status = \$3, output = \$4/.test(sql) && params[1] === stepId) {
			failed++;
			throw error();
		}
	});
	return { failed: () => failed, restore: watching.restore };
}

/**
 * Rolls back, once, the transaction that records step `stepId`'s result, after it did all its
 * work: as a deadlock (PostgreSQL) or a busy file (SQLite) would, so the engine runs it again.
 */
function rollBackRecordingOnce(db: Database, stepId: string): { rolledBack: () => number; restore(): void } {
	const original = db.sqlTransaction.bind(db);
	let rolledBack = 0;
	(db as { sqlTransaction: Database["sqlTransaction"] }).sqlTransaction = (fn, limits, group) =>
		original(async runner => {
			let recording = false;
			const spy = (sql: string, params: readonly unknown[] = []) => {
				if (/UPDATE step_runs SET status = \$3, output = \$4/.test(sql) && params[1] === stepId) recording = true;
			};
			const result = await fn({ all: async (sql, params) => (spy(sql, params), runner.all(sql, params)), run: async (sql, params) => (spy(sql, params), runner.run(sql, params)) });
			if (recording && rolledBack === 0) {
				rolledBack++;
				throw Object.assign(new Error("deadlock detected"), { code: "40P01" });
			}
			return result;
		}, limits, group);
	return { rolledBack: () => rolledBack, restore: () => ((db as { sqlTransaction: Database["sqlTransaction"] }).sqlTransaction = original) };
}

for (const dialect of ["sqlite", "postgres"] as const) {
	(dialect === "sqlite" || available("postgres") ? describe : describe.skip)(`leases per attempt (${dialect})`, () => {
		let node: TestNode;
		let target: TargetServer;
		let user: TestUser;
		let db: Database;
		let drop: (() => Promise<void>) | undefined;
		let seq = 0;

		beforeAll(async () => {
			target = await startTargetServer();
			const pg = dialect === "postgres" ? await createTestDatabase() : undefined;
			drop = pg?.drop;
			node = await startTestNode({ env: { ...ENV, ...(pg ? { DATABASE_URL: pg.url } : {}) } });
			user = await createUser(node.http);
			db = await runtimeOf(node.broker).database();
		});
		afterAll(async () => {
			await node?.stop();
			await target?.close();
			await drop?.();
		});

		/** Starts a run of two steps: `slow` (an HTTP call taking `ms`) then `after`. */
		async function start(ms: number): Promise<string> {
			const id = `leases-${++seq}`;
			const steps = [
				{ id: "slow", type: "http_request", params: { url: `${target.url}/slow?ms=${ms}` } },
				{ id: "after", type: "transform", depends_on: ["slow"], params: { expression: "steps.slow.output.body.slept" } }
			];
			await node.http.post("/api/v3/workflows").set(user.auth).send({ workflow_id: id, version: "1.0.0", steps }).expect(201);
			const res = await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: id, workflow_version: "1.0.0" }).expect(202);
			return res.body.execution_id as string;
		}

		const stepRow = async (executionId: string, stepId: string) =>
			(await db.sql.all<{ status: string; lease_owner: string | null; lease_expires_at: string | number | null; attempts: number; recoveries: number }>(
				"SELECT status, lease_owner, lease_expires_at, attempts, recoveries FROM step_runs WHERE execution_id = $1 AND step_id = $2",
				[executionId, stepId]
			))[0];
		const completed = (executionId: string) =>
			until(async () => (await db.sql.all<{ status: string }>("SELECT status FROM executions WHERE id = $1", [executionId]))[0]?.status === "completed", `run ${executionId} to complete`);
		const calls = (executionId: string, stepId: string) => [...target.calls.entries()].filter(([key]) => key.startsWith(`${executionId}:${stepId}:`)).reduce((n, [, c]) => n + c, 0);

		it("claims a run's first step in its start's transaction: the node that started the run runs it, with no claim of its own", async () => {
			const claims: unknown[][] = [];
			const watching = watchStatements(db, (sql, params) => {
				if (/UPDATE step_runs SET status = 'running'/.test(sql)) claims.push([...params]);
			});
			try {
				const id = await start(10);
				await completed(id);
				// No claim statement named `slow`: the start took it.
				expect(claims.filter(params => params.includes(id) && params.includes("slow"))).toEqual([]);
				expect(calls(id, "slow")).toBe(1);
				expect(await stepRow(id, "slow")).toMatchObject({ status: "completed", attempts: 1, recoveries: 0 });
				const rows = await db.sql.all<{ event_type: string; payload: string }>(
					"SELECT event_type, payload FROM outbox WHERE aggregate_id = $1 AND event_type IN ('WorkflowExecutionStarted', 'StepExecutionStarted') ORDER BY id",
					[id]
				);
				// The start's transaction numbered its own StepExecutionStarted right after the run's.
				expect(rows.map(r => [r.event_type, (JSON.parse(r.payload) as { seq: number }).seq])).toEqual([
					["WorkflowExecutionStarted", 1],
					["StepExecutionStarted", 2],
					["StepExecutionStarted", 4]
				]);
			} finally {
				watching.restore();
			}
		});

		it("renews exactly the attempts named (step and attempt number), nothing else the owner holds", async () => {
			const id = await start(4000);
			const running = await until(async () => {
				const row = await stepRow(id, "slow");
				return row?.status === "running" && row.lease_owner ? row : undefined;
			}, "the slow step to run");
			const owner = running.lease_owner!;
			const ref = { execution_id: id, step_id: "slow" };
			const far = Date.now() + 3_600_000;
			// An attempt number this node does not hold renews nothing, nor does another owner.
			expect(await db.sqlTransaction(tx => renewAttemptLeases(tx, db.dialect, owner, [{ ...ref, attempt: running.attempts + 1 }], far))).toEqual([]);
			expect(await db.sqlTransaction(tx => renewAttemptLeases(tx, db.dialect, "someone-else", [{ ...ref, attempt: running.attempts }], far))).toEqual([]);
			expect(Number((await stepRow(id, "slow")).lease_expires_at)).toBeLessThan(far);
			// Read in the same transaction: the node's own renewals would move the lease back a moment later.
			const [renewed, [after]] = await db.sqlTransaction(async tx => [
				await renewAttemptLeases(tx, db.dialect, owner, [{ ...ref, attempt: running.attempts }], far),
				await tx.all<{ lease_expires_at: string | number }>("SELECT lease_expires_at FROM step_runs WHERE execution_id = $1 AND step_id = $2", [id, "slow"])
			] as const);
			expect(renewed).toEqual([ref]);
			expect(Number(after.lease_expires_at)).toBe(far);
			// Given back, the attempt is no longer this node's to renew; a step that may lose no attempt (ENGINE_MAX_LEASE_RECOVERIES=0) is not given back.
			expect(await db.sqlTransaction(tx => releaseAttempt(tx, owner, { ...ref, attempt: running.attempts }, Date.now(), 0))).toBe(false);
			await completed(id);
		});

		it("keeps a result the database could not take and records it once it answers: the step does not run again", async () => {
			const injected = failRecording(db, "slow", () => Object.assign(new Error("Connection terminated unexpectedly"), { code: "ECONNRESET" }), 2);
			try {
				const id = await start(50);
				await completed(id);
				expect(injected.failed()).toBe(2);
				expect(await stepRow(id, "slow")).toMatchObject({ status: "completed", attempts: 1, recoveries: 0 });
				expect(calls(id, "slow")).toBe(1);
			} finally {
				injected.restore();
			}
		});

		// Row locks that a frozen node could hold exist on PostgreSQL only (SQLite has one writer, in process).
		if (dialect === "postgres")
			it("sweeps past a row another session holds locked (a node frozen mid-transaction): the others are recovered now, that one once it is free", async () => {
			const [a, b] = [await start(4000), await start(4000)];
			for (const id of [a, b]) await until(async () => (await stepRow(id, "slow"))?.status === "running", "the slow steps to run");
			const { Client } = await import("pg");
			const frozen = new Client({ connectionString: (runtimeOf(node.broker).config.database as { url: string }).url });
			await frozen.connect();
			// A frozen node keeps its sessions, its presence lock among them: its leases lapse in their own time.
			const alive = await db.tryHoldLock(presenceLockName("frozen-node:1"));
			try {
				// Both attempts now belong to a node that stopped renewing them; their leases lapse together, a moment from
				// now. Before they lapse, a session takes A's row and keeps it (the frozen node's open transaction). Should
				// this test itself stall past the lapse before holding the row, it sets the scene again.
				for (let tries = 1; ; tries++) {
					if (tries > 5) throw new Error("could not hold the row before the leases lapsed");
					const lapse = Date.now() + 3000;
					await db.sqlTransaction(tx => tx.run("UPDATE step_runs SET lease_owner = 'frozen-node:1', lease_expires_at = $3 WHERE execution_id IN ($1, $2) AND step_id = 'slow'", [a, b, lapse]));
					await frozen.query("BEGIN");
					await frozen.query("SELECT 1 FROM step_runs WHERE execution_id = $1 AND step_id = 'slow' FOR UPDATE", [a]);
					if (Date.now() < lapse && (await stepRow(b, "slow")).recoveries === 0) break;
					await frozen.query("ROLLBACK");
				}
				// The node's sweeper (every 200 ms) takes B in the sweep that finds both lapsed: A is skipped, not waited for.
				await until(async () => (await stepRow(b, "slow")).recoveries === 1, "the unlocked step to be recovered");
				expect(await stepRow(a, "slow")).toMatchObject({ status: "running", lease_owner: "frozen-node:1", recoveries: 0 });
				await frozen.query("ROLLBACK");
				await until(async () => (await stepRow(a, "slow")).recoveries === 1, "the step to be recovered once its row is free");
			} finally {
				await frozen.end();
				await alive?.release();
			}
			await completed(a);
			await completed(b);
		});

		it("runs a transaction the database rolled back again without doing twice what the rolled-back try decided", async () => {
			const id = `leases-${++seq}`;
			const steps = [
				{ id: "first", type: "http_request", params: { url: `${target.url}/slow?ms=10` } },
				{ id: "second", type: "http_request", depends_on: ["first"], params: { url: `${target.url}/slow?ms=10` } }
			];
			await node.http.post("/api/v3/workflows").set(user.auth).send({ workflow_id: id, version: "1.0.0", steps }).expect(201);
			const injected = rollBackRecordingOnce(db, "first");
			try {
				const res = await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: id, workflow_version: "1.0.0" }).expect(202);
				const executionId = res.body.execution_id as string;
				await completed(executionId);
				expect(injected.rolledBack()).toBe(1);
				// The retried transaction claimed `second` for this node again; the rolled-back try's claim is not run too.
				expect(calls(executionId, "first")).toBe(1);
				expect(calls(executionId, "second")).toBe(1);
				expect(await stepRow(executionId, "second")).toMatchObject({ status: "completed", attempts: 1, recoveries: 0 });
			} finally {
				injected.restore();
			}
		});

		it("gives back at once an attempt whose result cannot be recorded: another attempt runs now, not after the lease", async () => {
			const injected = failRecording(db, "slow", () => new Error("the transition was refused"));
			try {
				const id = await start(50);
				await completed(id);
				expect(injected.failed()).toBe(1);
				// The lost attempt is not counted; its loss is, as a recovery.
				expect(await stepRow(id, "slow")).toMatchObject({ status: "completed", attempts: 1, recoveries: 1 });
				expect(calls(id, "slow")).toBe(2);
				expect(node.logs.lines.some(l => l.msg === "Recording a step's result failed; the attempt was given back and the step runs again" && l.execution_id === id)).toBe(true);
			} finally {
				injected.restore();
			}
		});
	});
}
