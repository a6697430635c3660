import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { Client } from "pg";
import { TEST_NATS_URL } from "./env";
import { AUTH_ENV } from "./factories";
import { knowsNode, startNodeProcess, type NodeProcess } from "./node-process";
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
	// Ready once the gateway knows every worker: the execute calls a test makes next are spread over all three
	// (a run's first steps run on the node that starts it), not only over those the gateway had heard of.
	await Promise.all([1, 2, 3].map(i => knowsNode(gateway, `${name}-${i}`)));
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

/**
 * The local ports of a process's TCP connections to `serverPort` (Linux /proc): PostgreSQL
 * shows each session's client port in pg_stat_activity, which tells that process's sessions apart.
 */
export function clientPortsOf(pid: number, serverPort: number): number[] {
	const inodes = new Set<string>();
	for (const fd of readdirSync(`/proc/${pid}/fd`)) {
		const link = (() => {
			try {
				return readlinkSync(`/proc/${pid}/fd/${fd}`);
			} catch {
				return ""; // closed meanwhile
			}
		})();
		const m = /^socket:\[(\d+)\]$/.exec(link);
		if (m) inodes.add(m[1]);
	}
	const ports: number[] = [];
	for (const table of [`/proc/${pid}/net/tcp`, `/proc/${pid}/net/tcp6`]) {
		for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields.length < 10 || !inodes.has(fields[9])) continue;
			const local = parseInt(fields[1].split(":").at(-1)!, 16);
			const remote = parseInt(fields[2].split(":").at(-1)!, 16);
			if (remote === serverPort) ports.push(local);
		}
	}
	return ports;
}

/**
 * Waits until PostgreSQL has carried out every statement `pid` sent (a COMMIT sent just before the
 * process was stopped still lands): none of its sessions is active, except those waiting on a lock.
 */
export async function untilStatementsLanded(pg: Client, pid: number, timeoutMs = 60000): Promise<void> {
	const ports = clientPortsOf(pid, Number(pg.port));
	for (const until = Date.now() + timeoutMs; ; ) {
		const { rows } = await pg.query<{ n: number }>(
			"SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE client_port = ANY($1::int[]) AND state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock'",
			[ports]
		);
		if (rows[0].n === 0) return;
		if (Date.now() > until) throw new Error(`process ${pid} still has ${rows[0].n} statements running in PostgreSQL`);
		await new Promise(r => setTimeout(r, 20));
	}
}
