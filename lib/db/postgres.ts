import { Client } from "pg";
import { Sequelize } from "sequelize";
import { lockKey, type Database, type DatabaseOptions } from "./database";

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

	return {
		dialect: "postgres",
		sequelize,
		transaction: fn => sequelize.transaction(fn),
		async withLock(name, fn) {
			// A session-level advisory lock lives on one connection: hold a dedicated one.
			const client = new Client({ connectionString: opts.url, application_name: "cognitionos-lock" });
			await client.connect();
			try {
				await client.query("SELECT pg_advisory_lock($1)", [lockKey(name)]);
				return await fn();
			} finally {
				await client.end().catch(() => undefined);
			}
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
