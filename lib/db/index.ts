import type { Config } from "../config";
import type { Database } from "./database";
import { createPostgresDatabase } from "./postgres";
import { createSqliteDatabase } from "./sqlite";

export type { Database, Dialect, PoolStats } from "./database";
export { migrate, pendingMigrations, type Migration, type MigrationContext } from "./migrate";

/** Opens the database the configuration names: PostgreSQL in a cluster, SQLite embedded. */
export function openDatabase(config: Config, onQuery?: (sql: string, ms: number) => void): Promise<Database> {
	const opts = {
		url: config.database.url,
		storage: config.database.storage,
		poolMax: config.DB_POOL_MAX,
		statementTimeoutMs: config.DB_STATEMENT_TIMEOUT,
		onQuery
	};
	return config.database.dialect === "postgres" ? createPostgresDatabase(opts) : createSqliteDatabase(opts);
}
