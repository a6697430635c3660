import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { TEST_NATS_URL } from "./env";
import { AUTH_ENV } from "./factories";
import { startNodeProcess, type NodeProcess } from "./node-process";
import { createTestDatabase } from "./postgres";
import { startTargetServer, type TargetServer } from "./target-server";

/** A gateway node and three execution nodes (`<name>-1..3`) over NATS on a throw-away PostgreSQL database, with a target server the steps may call. */
export interface WorkerCluster {
	db: Awaited<ReturnType<typeof createTestDatabase>>;
	target: TargetServer;
	gateway: NodeProcess;
	workers: NodeProcess[];
	/** A connection to the cluster's database, for reading the ledger. */
	pg: Client;
	/** Kills every node and drops the database. */
	stop(): Promise<void>;
}

export async function startWorkerCluster(name: string, env: Record<string, string> = {}): Promise<WorkerCluster> {
	const db = await createTestDatabase();
	const target = await startTargetServer();
	const common = {
		...AUTH_ENV,
		TRANSPORTER: TEST_NATS_URL,
		NAMESPACE: `${name}-${randomBytes(4).toString("hex")}`,
		DATABASE_URL: db.url,
		API_HOST: "127.0.0.1",
		API_PORT: "0",
		STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1",
		...env
	};
	const gateway = await startNodeProcess({ ...common, SERVICES: "api-gateway,auth,workflow,llm", NODE_ID: "gateway" });
	const workers = await Promise.all([1, 2, 3].map(i => startNodeProcess({ ...common, SERVICES: "execution", NODE_ID: `${name}-${i}` })));
	const pg = new Client({ connectionString: db.url });
	await pg.connect();
	return {
		db,
		target,
		gateway,
		workers,
		pg,
		async stop() {
			await Promise.all([gateway, ...workers].map(n => n.kill()));
			await pg.end();
			await target.close();
			await db.drop();
		}
	};
}

/** Exactly one StepExecutionCompleted event per step, and `total` of them, however many attempts ran. */
export async function expectOneCompletionPerStep(pg: Client, total: number): Promise<void> {
	const { rows: doubles } = await pg.query(
		"SELECT aggregate_id, payload::json->>'step_id' AS step_id, COUNT(*) FROM outbox WHERE event_type = 'StepExecutionCompleted' GROUP BY 1, 2 HAVING COUNT(*) <> 1"
	);
	expect(doubles).toEqual([]);
	const { rows } = await pg.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM outbox WHERE event_type = 'StepExecutionCompleted'");
	expect(rows[0].n).toBe(total);
}
