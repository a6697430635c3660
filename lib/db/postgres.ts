import { createHash } from "node:crypto";
import { Client, type PoolClient, type QueryResult } from "pg";
import { Sequelize } from "sequelize";
import { lockKey, type Database, type DatabaseOptions, type SqlRunner } from "./database";

interface PgConnectionManager {
	getConnection(options?: object): Promise<PoolClient>;
	releaseConnection(connection: PoolClient): Promise<void> | void;
}

/** A statement's server-side prepared name: the same text reuses one plan per connection. */
const statementName = (sql: string) => `cos_${createHash("sha1").update(sql).digest("hex").slice(0, 20)}`;

function runnerOn(client: PoolClient, onQuery?: (sql: string, ms: number) => void): SqlRunner {
	const query = async (sql: string, params: readonly unknown[]): Promise<QueryResult> => {
		const started = performance.now();
		try {
			return await client.query({ name: statementName(sql), text: sql, values: [...params] });
		} finally {
			onQuery?.(sql, performance.now() - started);
		}
	};
	return {
		all: async <T>(sql: string, params: readonly unknown[] = []) => (await query(sql, params)).rows as T[],
		run: async (sql: string, params: readonly unknown[] = []) => (await query(sql, params)).rowCount ?? 0
	};
}

/** PostgreSQL for cluster mode: a pool per node, advisory locks for cluster-wide singletons. */
export async function createPostgresDatabase(opts: DatabaseOptions): Promise<Database> {
	const sequelize = new Sequelize(opts.url, {
		dialect: "postgres",
		logging: opts.onQuery ? (sql: string, ms?: number) => opts.onQuery?.(sql, ms ?? 0) : false,
		benchmark: Boolean(opts.onQuery),
		pool: { max: opts.poolMax, min: 0, idle: 10_000, acquire: 30_000 },
		dialectOptions: { statement_timeout: opts.statementTimeoutMs, application_name: "cognitionos" }
	});
	await sequelize.authenticate();
	const manager = sequelize.connectionManager as unknown as PgConnectionManager;

	/** Runs `fn` with a pooled connection of Sequelize's pool, bypassing its query layer. */
	const withClient = async <T>(fn: (client: PoolClient) => Promise<T>): Promise<T> => {
		const client = await manager.getConnection({ type: "write" });
		try {
			return await fn(client);
		} finally {
			await manager.releaseConnection(client);
		}
	};

	return {
		dialect: "postgres",
		sequelize,
		transaction: fn => sequelize.transaction(fn),
		sqlTransaction: fn =>
			withClient(async client => {
				await client.query("BEGIN");
				try {
					const result = await fn(runnerOn(client, opts.onQuery));
					await client.query("COMMIT");
					return result;
				} catch (err) {
					await client.query("ROLLBACK").catch(() => undefined);
					throw err;
				}
			}),
		sql: {
			all: (sql, params) => withClient(client => runnerOn(client, opts.onQuery).all(sql, params)),
			run: (sql, params) => withClient(client => runnerOn(client, opts.onQuery).run(sql, params))
		},
		async withLock(name, fn) {
			// A session-level advisory lock lives on one connection: hold a dedicated one.
			const client = new Client({ connectionString: opts.url, application_name: "cognitionos-lock" });
			// A dropped connection surfaces as the failing query; without a listener it would also crash the process.
			client.on("error", () => undefined);
			await client.connect();
			try {
				await client.query("SELECT pg_advisory_lock($1)", [lockKey(name)]);
				return await fn();
			} finally {
				await client.end().catch(() => undefined);
			}
		},
		async tryHoldLock(name, { takeOverAfterMs } = {}) {
			// The lock lives as long as this session: a node that dies gives it up with its connection.
			const client = new Client({ connectionString: opts.url, application_name: "cognitionos-leader" });
			const lost = new Promise<void>(resolve => {
				// `on`, not `once`: a connection can report more than one error, and an unheard one crashes the process.
				client.on("error", () => resolve());
				client.once("end", () => resolve());
			});
			const key = lockKey(name);
			try {
				await client.connect();
				const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [key]);
				if (rows[0]?.locked) {
					return {
						lost,
						// A query on the lock's own session: its end time is what a stale holder is judged by.
						heartbeat: async () => void (await client.query("SELECT 1")),
						release: () => client.end().catch(() => undefined)
					};
				}
				if (takeOverAfterMs !== undefined) {
					// A holder whose process is frozen (stopped, or a VM paused) keeps its session and the lock with it.
					// When its session has been idle past the limit, end it: the lock is free for the next attempt.
					await client.query(
						`SELECT pg_terminate_backend(a.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
						WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
						AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
						AND a.state = 'idle' AND a.state_change < clock_timestamp() - make_interval(secs => $2)`,
						[key, takeOverAfterMs / 1000]
					);
				}
			} catch {
				// Not the leader this time; the caller tries again.
			}
			await client.end().catch(() => undefined);
			return null;
		},
		poolStats() {
			// sequelize-pool's counters; the typings do not expose the pool.
			const pool = (sequelize.connectionManager as unknown as { pool: { using: number; available: number; waiting: number; maxSize: number } }).pool;
			return { inUse: pool.using, idle: pool.available, waiting: pool.waiting, max: pool.maxSize };
		},
		async ping() {
			await sequelize.query("SELECT 1");
		},
		close: () => sequelize.close()
	};
}
