import type { Sequelize, Transaction } from "sequelize";

export type Dialect = "sqlite" | "postgres";

/**
 * The storage every service shares: a Sequelize instance plus the few operations
 * whose behaviour differs by backend. `sqlite.ts` and `postgres.ts` fill it in.
 */
export interface Database {
	readonly dialect: Dialect;
	readonly sequelize: Sequelize;
	/** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
	transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
	/** Holds a cluster-wide lock named `name` while `fn` runs (migrations, singletons). */
	withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
	/** Connections of the pool right now; absent where the dialect has no pool (SQLite). */
	poolStats?(): PoolStats;
	/** A cheap round trip, for health checks. */
	ping(): Promise<void>;
	close(): Promise<void>;
}

export interface PoolStats {
	inUse: number;
	idle: number;
	waiting: number;
	max: number;
}

export interface DatabaseOptions {
	url: string;
	storage?: string;
	poolMax: number;
	statementTimeoutMs: number;
	/** Called with each SQL statement and its duration, for metrics and debug logs. */
	onQuery?: (sql: string, ms: number) => void;
}

export function lockKey(name: string): number {
	// A stable 31-bit hash of the lock's name, for pg_advisory_lock.
	let h = 0;
	for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
	return h & 0x7fffffff;
}
