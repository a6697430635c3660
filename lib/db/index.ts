import type { Config } from "../config";
import type { Database, DatabaseOptions } from "./database";
import type { FreeSpace } from "./disk-guard";
import { createPostgresDatabase } from "./postgres";
import { createSqliteDatabase } from "./sqlite";

export type { Database, Dialect, PoolStats } from "./database";
export { migrate, pendingMigrations, type Migration, type MigrationContext } from "./migrate";

/** Opens the database the configuration names: PostgreSQL in a cluster, SQLite embedded. */
export function openDatabase(
	config: Config,
	extra: { onQuery?: (sql: string, ms: number) => void; freeSpace?: FreeSpace; log?: DatabaseOptions["log"] } = {}
): Promise<Database> {
	const opts: DatabaseOptions = {
		url: config.database.url,
		storage: config.database.storage,
		poolMax: config.DB_POOL_MAX,
		statementTimeoutMs: config.DB_STATEMENT_TIMEOUT,
		onQuery: extra.onQuery,
		disk: { minFreeBytes: config.DATA_DIR_MIN_FREE, freeSpace: extra.freeSpace },
		log: extra.log
	};
	return config.database.dialect === "postgres" ? createPostgresDatabase(opts) : createSqliteDatabase(opts);
}
