import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import supertest from "supertest";
import type { Database } from "../../lib/db/database";
import { DataDirInUseError } from "../../lib/db/data-dir-lock";
import { createSqliteDatabase } from "../../lib/db/sqlite";
import { presenceLockName } from "../../lib/engine/presence";
import { runtimeOf } from "../../lib/runtime";
import { startTestNode, type TestNode } from "../support/broker";
import { available } from "../support/env";
import { AUTH_ENV, createUser, type TestUser } from "../support/factories";
import { SERVER_ENTRY, startNodeProcess, type NodeProcess } from "../support/node-process";
import { createTestDatabase } from "../support/postgres";
import { startTargetServer, type TargetServer } from "../support/target-server";

/**
 * Presence: a node that is gone loses its leases at the next sweep, not when they lapse
 * (lib/engine/presence.ts). The leases here lapse in an hour (set by hand) or after 30 s
 * (ENGINE_LEASE_TTL): a recovery seen before then can only be the presence check's.
 */
const ENV = { STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1", ENGINE_LEASE_TTL: "30s", ENGINE_SWEEP_INTERVAL: "200ms", ENGINE_DISPATCH_GRACE: "1s" };
const AN_HOUR_MS = 3_600_000;

async function until<T>(read: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 20_000): Promise<T> {
	for (const end = Date.now() + timeoutMs; ; ) {
		const value = await read();
		if (value) return value;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 25));
	}
}

interface StepRow {
	status: string;
	lease_owner: string | null;
	lease_expires_at: string | number | null;
	attempts: number;
	recoveries: number;
}

const STEP_ROW = "SELECT status, lease_owner, lease_expires_at, attempts, recoveries FROM step_runs WHERE execution_id = $1 AND step_id = $2";

/** A run of one step, an HTTP call that takes `ms`, then a quick one. */
function slowFlow(id: string, target: TargetServer, ms: number) {
	return {
		workflow_id: id,
		version: "1.0.0",
		steps: [
			{ id: "slow", type: "http_request", params: { url: `${target.url}/slow?ms=${ms}` } },
			{ id: "after", type: "transform", depends_on: ["slow"], params: { expression: "steps.slow.output.body.slept" } }
		]
	};
}

for (const dialect of ["sqlite", "postgres"] as const) {
	(dialect === "sqlite" || available("postgres") ? describe : describe.skip)(`presence (${dialect})`, () => {
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

		const engine = () => (node.broker.getLocalService("execution") as unknown as { engine: { sweep(graceMs: number): Promise<{ recovered: number; departed: number }> } }).engine;
		const stepRow = async (executionId: string, stepId = "slow") => (await db.sql.all<StepRow>(STEP_ROW, [executionId, stepId]))[0];
		const completed = (executionId: string) =>
			until(async () => (await db.sql.all<{ status: string }>("SELECT status FROM executions WHERE id = $1", [executionId]))[0]?.status === "completed", `run ${executionId} to complete`);

		/** Starts a run whose first step takes `ms`, and waits until this node runs it. */
		async function running(ms: number): Promise<{ id: string; row: StepRow }> {
			const workflowId = `presence-${++seq}`;
			await node.http.post("/api/v3/workflows").set(user.auth).send(slowFlow(workflowId, target, ms)).expect(201);
			const res = await node.http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: workflowId, workflow_version: "1.0.0" }).expect(202);
			const id = res.body.execution_id as string;
			const row = await until(async () => {
				const r = await stepRow(id);
				return r?.status === "running" && r.lease_owner ? r : undefined;
			}, "the slow step to run");
			return { id, row };
		}

		/** Hands the running slow step to `owner`, with a lease that lapses in an hour. */
		const handTo = (id: string, owner: string) =>
			db.sqlTransaction(tx => tx.run("UPDATE step_runs SET lease_owner = $2, lease_expires_at = $3 WHERE execution_id = $1 AND step_id = 'slow'", [id, owner, Date.now() + AN_HOUR_MS]));

		it("takes back at the next sweep the step of an owner that holds no presence lock, though its lease runs for an hour", async () => {
			const { id } = await running(3000);
			await handTo(id, "gone-node:00000001");
			const recovered = await until(async () => {
				const r = await stepRow(id);
				return r.recoveries === 1 ? r : undefined;
			}, "the step of the gone node to be recovered");
			expect(recovered.lease_owner).not.toBe("gone-node:00000001");
			await completed(id);
		});

		it("leaves alone the step of an owner whose presence lock is held, and takes it once the lock is let go", async () => {
			const { id } = await running(3000);
			const held = (await db.tryHoldLock(presenceLockName("live-node:00000001")))!;
			try {
				await handTo(id, "live-node:00000001");
				// A whole sweep run after the hand-over: whatever it (or the node's own sweeps) found, the step stays.
				await engine().sweep(60_000);
				expect(await stepRow(id)).toMatchObject({ status: "running", lease_owner: "live-node:00000001", recoveries: 0 });
			} finally {
				await held.release();
			}
			await until(async () => (await stepRow(id)).recoveries === 1, "the step to be recovered once its owner's presence lock is free");
			await completed(id);
		});

		it("never takes the running steps of the node itself: it holds its own presence lock", async () => {
			const { id, row } = await running(3000);
			await engine().sweep(60_000);
			expect(await stepRow(id)).toMatchObject({ status: "running", lease_owner: row.lease_owner, attempts: row.attempts, recoveries: 0 });
			await completed(id);
			expect((await stepRow(id)).recoveries).toBe(0);
		});
	});
}

/** Runs `node dist/bin/cognitionos.js` until it exits, or until it has started (then stops it): its exit code and output. */
function startAndSettle(env: Record<string, string>): Promise<{ code: number | null; started: boolean; output: string }> {
	return new Promise(resolve => {
		const proc = spawn(process.execPath, [SERVER_ENTRY], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ENV_FILE: "/dev/null", ...env }, stdio: ["ignore", "pipe", "pipe"] });
		let output = "";
		let started = false;
		const take = (chunk: Buffer) => {
			output += chunk.toString("utf8");
			if (!started && /"msg":"CognitionOS [^"]* started \(/.test(output)) {
				started = true;
				proc.kill("SIGKILL");
			}
		};
		proc.stdout.on("data", take);
		proc.stderr.on("data", take);
		proc.once("exit", code => resolve({ code, started, output }));
	});
}

describe("the embedded data directory", () => {
	it("belongs to one process: a second one on it refuses to start, saying why", async () => {
		const node = await startTestNode({ env: AUTH_ENV });
		try {
			const storage = path.join(node.dataDir, "cognitionos.sqlite");
			const message = `Another CognitionOS process is using the data directory ${node.dataDir}`;
			// In this process: a second open of the same database.
			await expect(createSqliteDatabase({ url: `sqlite:${storage}`, storage, poolMax: 1, statementTimeoutMs: 1000 })).rejects.toThrow(DataDirInUseError);
			await expect(createSqliteDatabase({ url: `sqlite:${storage}`, storage, poolMax: 1, statementTimeoutMs: 1000 })).rejects.toThrow(message);
			// Another process.
			const second = await startAndSettle({ ...AUTH_ENV, DATA_DIR: node.dataDir, API_HOST: "127.0.0.1", API_PORT: "0", OBSERVABILITY_METRICS_PORT: "0" });
			expect(second.started).toBe(false);
			expect(second.code).not.toBe(0);
			expect(second.output).toContain(message);
			// The node that holds it carries on.
			await node.http.get("/health").expect(200);
		} finally {
			await node.stop();
		}
	});

	it("is free again once its process is gone, even killed: a restart takes back the dead process's running steps at once, not when their leases lapse nor at its first sweep interval", async () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), "cos-presence-"));
		const target = await startTargetServer();
		const env = { ...AUTH_ENV, ...ENV, DATA_DIR: dataDir, API_PORT: "0", API_HOST: "127.0.0.1" };
		const ledger = (sql: string, bind: unknown[]) => {
			const file = new BetterSqlite3(path.join(dataDir, "cognitionos.sqlite"), { readonly: true, timeout: 2000 });
			try {
				return file.prepare(sql.replace(/\$\d+/g, "?")).all(...bind) as StepRow[];
			} finally {
				file.close();
			}
		};
		let proc: NodeProcess | undefined;
		try {
			proc = await startNodeProcess(env);
			let http = supertest(proc.url!);
			const user = await createUser(http);
			await http.post("/api/v3/workflows").set(user.auth).send(slowFlow("restarted", target, 3000)).expect(201);
			const res = await http.post("/api/v3/workflows/execute").set(user.auth).send({ workflow_id: "restarted", workflow_version: "1.0.0" }).expect(202);
			const id = res.body.execution_id as string;
			await until(() => ledger(STEP_ROW, [id, "slow"])[0]?.status === "running", "the slow step to run");
			await proc.kill();
			const [dead] = ledger(STEP_ROW, [id, "slow"]);
			expect(dead).toMatchObject({ status: "running", recoveries: 0 });
			const lapsesAt = Number(dead.lease_expires_at);

			// A sweep interval the test never sees pass: the restarted node takes the step back in the pass it runs at start.
			proc = await startNodeProcess({ ...env, ENGINE_SWEEP_INTERVAL: "10m" });
			http = supertest(proc.url!);
			// Taken back while the dead process's lease still ran: by the restarted node's presence check, not by the lapse.
			const seenAt = await until(() => (ledger(STEP_ROW, [id, "slow"])[0].recoveries === 1 ? Date.now() : undefined), "the restarted node to take the step back");
			expect(seenAt).toBeLessThan(lapsesAt);
			await until(() => ledger("SELECT status FROM executions WHERE id = $1", [id])[0]?.status === "completed", "the run to complete");
		} finally {
			await proc?.kill();
			await target.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	}, 90_000);
});
