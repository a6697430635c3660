import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import supertest from "supertest";
import { runtimeOf } from "../../lib/runtime";
import { startTestNode, type TestNode } from "./broker";
import { TEST_NATS_URL } from "./env";
import { AUTH_ENV, createUser, type TestUser } from "./factories";
import { startNodeProcess, type NodeProcess } from "./node-process";
import { createTestDatabase } from "./postgres";
import { startTargetServer, type TargetServer } from "./target-server";

type Http = ReturnType<typeof supertest>;

/** One way to run CognitionOS for the engine suite: embedded in this process, or a cluster of node processes. */
export interface EngineHarness {
	readonly mode: "embedded" | "cluster";
	readonly http: Http;
	user: TestUser;
	target: TargetServer;
	/** Reads the ledger directly. */
	sql<T = Record<string, unknown>>(query: string, bind?: unknown[]): Promise<T[]>;
	/** Stops every node that runs steps (SIGKILL in a cluster) and starts fresh ones on the same data. */
	restartWorkers(): Promise<void>;
	stop(): Promise<void>;
}

const ENGINE_ENV = {
	...AUTH_ENV,
	STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
	// Quick recovery keeps tests short; production defaults are in lib/config.ts.
	ENGINE_LEASE_TTL: "1500ms",
	ENGINE_SWEEP_INTERVAL: "200ms",
	ENGINE_DISPATCH_GRACE: "1s"
};

export async function embeddedHarness(): Promise<EngineHarness> {
	const dataDir = mkdtempSync(path.join(tmpdir(), "cos-engine-"));
	const target = await startTargetServer();
	let node: TestNode = await startTestNode({ env: ENGINE_ENV, dataDir });
	const user = await createUser(node.http);
	return {
		mode: "embedded",
		get http() {
			return node.http;
		},
		user,
		target,
		async sql<T>(query: string, bind: unknown[] = []) {
			const db = await runtimeOf(node.broker).database();
			return (await db.sequelize.query(query, { bind, type: "SELECT" as never })) as unknown as T[];
		},
		async restartWorkers() {
			await node.stop();
			node = await startTestNode({ env: ENGINE_ENV, dataDir });
		},
		async stop() {
			await node.stop();
			await target.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** A gateway node (gateway, auth, workflow, llm) and two execution nodes over NATS, on PostgreSQL. */
export async function clusterHarness(executionNodes = 2, extraEnv: Record<string, string> = {}): Promise<EngineHarness & { workers: NodeProcess[]; gateway: NodeProcess; env: Record<string, string> }> {
	const db = await createTestDatabase();
	const target = await startTargetServer();
	const env: Record<string, string> = {
		...ENGINE_ENV,
		...extraEnv,
		TRANSPORTER: TEST_NATS_URL,
		NAMESPACE: `engine-${randomBytes(4).toString("hex")}`,
		DATABASE_URL: db.url,
		API_HOST: "127.0.0.1",
		API_PORT: "0"
	};
	const startWorker = (i: number) => startNodeProcess({ ...env, SERVICES: "execution", NODE_ID: `exec-${i}-${randomBytes(2).toString("hex")}` });
	const gateway = await startNodeProcess({ ...env, SERVICES: "api-gateway,auth,workflow,llm,events", NODE_ID: "gateway" });
	const workers = await Promise.all(Array.from({ length: executionNodes }, (_, i) => startWorker(i)));
	const http = supertest(gateway.url!);
	// Routes of remote services appear once the gateway has discovered them: anonymous calls then get 401, not 404.
	await waitForRoute(http, "post", "/api/v3/workflows/execute");
	await waitForRoute(http, "post", "/api/v3/workflows");
	const user = await createUser(http);
	const pg = new Client({ connectionString: db.url });
	await pg.connect();
	const harness = {
		mode: "cluster" as const,
		http,
		user,
		target,
		gateway,
		workers,
		env,
		async sql<T>(query: string, bind: unknown[] = []) {
			// The ledger's queries are written with $n binds for both dialects.
			return (await pg.query(query, bind)).rows as T[];
		},
		async restartWorkers() {
			await Promise.all(harness.workers.map(w => w.kill()));
			harness.workers.splice(0, harness.workers.length, ...(await Promise.all(Array.from({ length: executionNodes }, (_, i) => startWorker(i + 10)))));
			// The gateway routes to the execution service only once it knows one of its nodes again.
			await waitForRoute(http, "post", "/api/v3/workflows/execute");
		},
		async stop() {
			await Promise.all([gateway, ...harness.workers].map(n => n.kill()));
			await pg.end();
			await target.close();
			await db.drop();
		}
	};
	return harness;
}

/** Waits until a route exists (an anonymous call is refused with 401 instead of 404 or 503). */
export async function waitForRoute(http: Http, method: "get" | "post", path: string, timeoutMs = 20000): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const res = await http[method](path).send({});
		if (res.status === 401) return;
		if (Date.now() > until) throw new Error(`${path} never became reachable (last ${res.status})`);
		await new Promise(r => setTimeout(r, 100));
	}
}

// ------------------------------------------------------------------ workflow helpers

export async function postWorkflow(h: EngineHarness, definition: Record<string, unknown>, user: TestUser = h.user): Promise<void> {
	const res = await h.http.post("/api/v3/workflows").set(user.auth).send(definition);
	if (res.status !== 201 && res.status !== 200) throw new Error(`creating ${definition.workflow_id} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function execute(h: EngineHarness, workflowId: string, inputs: Record<string, unknown> = {}, headers: Record<string, string> = {}, version = "1.0.0"): Promise<string> {
	const res = await h.http.post("/api/v3/workflows/execute").set(h.user.auth).set(headers).send({ workflow_id: workflowId, workflow_version: version, inputs });
	if (res.status !== 202) throw new Error(`executing ${workflowId} failed: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body.execution_id as string;
}

export interface ExecutionView {
	execution_id: string;
	status: string;
	progress: number;
	outputs: Record<string, unknown> | null;
	error: { message: string; type: string; step_id?: string } | null;
	trigger: string;
	steps: {
		step_id: string;
		status: string;
		output: unknown;
		error: { message: string; type: string } | null;
		attempts: number;
		waiting_for: string | null;
		started_at: string | null;
		completed_at: string | null;
	}[];
}

export async function getExecution(h: EngineHarness, id: string, user: TestUser = h.user): Promise<ExecutionView> {
	const res = await h.http.get(`/api/v3/workflows/executions/${id}`).set(user.auth);
	if (res.status !== 200) throw new Error(`reading ${id} failed: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body as ExecutionView;
}

/** Polls an execution until `done` holds for it. */
export async function waitForExecution(h: EngineHarness, id: string, done: (e: ExecutionView) => boolean, timeoutMs = 20000): Promise<ExecutionView> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const e = await getExecution(h, id);
		if (done(e)) return e;
		if (Date.now() > until) throw new Error(`execution ${id} did not get there in time: ${JSON.stringify({ status: e.status, steps: e.steps.map(s => [s.step_id, s.status, s.waiting_for]) })}`);
		await new Promise(r => setTimeout(r, 50));
	}
}

export const finished = (e: ExecutionView) => ["completed", "failed", "cancelled"].includes(e.status);
export const stepOf = (e: ExecutionView, id: string) => e.steps.find(s => s.step_id === id)!;
