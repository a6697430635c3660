import { engineTransactionTimeoutMs, type Config } from "../config";
import type { Database, DatabaseOptions } from "./database";
import { createPostgresDatabase } from "./postgres";
import { createSqliteDatabase } from "./sqlite";

export type { Database, Dialect, PoolStats } from "./database";
export { migrate, pendingMigrations, type Migration, type MigrationContext } from "./migrate";

/** Opens the database the configuration names: PostgreSQL in a cluster, SQLite embedded. */
export function openDatabase(config: Config, onQuery?: (sql: string, ms: number) => void, log?: DatabaseOptions["log"]): Promise<Database> {
	const opts: DatabaseOptions = {
		url: config.database.url,
		storage: config.database.storage,
		poolMax: config.DB_POOL_MAX,
		statementTimeoutMs: config.DB_STATEMENT_TIMEOUT,
		idleInTransactionTimeoutMs: engineTransactionTimeoutMs(config),
		minFreeBytes: config.DATA_DIR_MIN_FREE,
		onQuery,
		log
	};
	return config.database.dialect === "postgres" ? createPostgresDatabase(opts) : createSqliteDatabase(opts);
}
