import type { Sequelize, Transaction } from "sequelize";

export type Dialect = "sqlite" | "postgres";

/**
 * Plain SQL on one connection with prepared statements, for the engine's hot path
 * (Sequelize's query layer costs several hundred microseconds per statement on SQLite).
 * Placeholders are `$1, $2, …` on both dialects.
 */
export interface SqlRunner {
	/** Rows of a SELECT or of a statement with RETURNING. */
	all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
	/** Runs a statement; returns the number of rows it changed. */
	run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/**
 * The storage every service shares: a Sequelize instance plus the few operations
 * whose behaviour differs by backend. `sqlite.ts` and `postgres.ts` fill it in.
 */
export interface Database {
	readonly dialect: Dialect;
	readonly sequelize: Sequelize;
	/** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
	transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
	/**
	 * One transaction on a raw connection (serialized with `transaction` on SQLite), within `limits` where the database has them.
	 * With `group`, it may be committed in one transaction with others that arrive while it runs (group commit; SQLite groups
	 * every transaction). On PostgreSQL a member that fails rolls its group back: it gets its own error, and its batch-mates
	 * reject with `GroupAborted`, to be run again on their own.
	 */
	sqlTransaction<T>(fn: (sql: SqlRunner) => Promise<T>, limits?: TransactionLimits, group?: string): Promise<T>;
	/** Reads outside any transaction (they see committed data only). Writes go through `sqlTransaction`. */
	readonly sql: SqlRunner;
	/** Holds a cluster-wide lock named `name` while `fn` runs (migrations, singletons). */
	withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
	/**
	 * Tries to take a cluster-wide lock and keep it until released or the process dies
	 * (leader election). Null when another node holds it. With `takeOverAfterMs`, a holder
	 * that has not called `heartbeat()` for that long (a frozen process keeps its connection,
	 * and with it the lock) has its session ended, so a later attempt gets the lock.
	 */
	tryHoldLock(name: string, opts?: { takeOverAfterMs?: number }): Promise<HeldLock | null>;
	/**
	 * Which of the locks `names` (as `tryHoldLock` takes them) no live session holds right now:
	 * a node's presence lock missing here means that node is gone (its process died, or its
	 * connection to the database broke), whatever its leases still say.
	 */
	unheldLocks(names: readonly string[]): Promise<Set<string>>;
	/** Connections of the pool right now; absent where the dialect has no pool (SQLite). */
	poolStats?(): PoolStats;
	/** A cheap round trip, for health checks. */
	ping(): Promise<void>;
	close(): Promise<void>;
}

/**
 * Bounds of one transaction (PostgreSQL; SQLite has one writer in process and no row
 * locks to wait on): set with its BEGIN, in the same round trip.
 */
export interface TransactionLimits {
	/** Longest any of its statements may run, a wait for a lock included (ms). */
	statementTimeoutMs?: number;
	/** Longest it may wait for one lock (ms): past it, the statement fails instead of waiting on a holder that may be frozen. */
	lockTimeoutMs?: number;
}

/**
 * A transaction committed in a group (`sqlTransaction`'s `group`) was rolled back with its
 * group, through no fault of its own: another member failed, or the group waited too long for
 * a lock. Nothing of it was kept; run it again on its own.
 */
export class GroupAborted extends Error {
	constructor(readonly reason: unknown) {
		super(`Rolled back with its commit group: ${(reason as Error)?.message ?? String(reason)}`);
		this.name = "GroupAborted";
	}
}

export interface HeldLock {
	/** Resolves if the lock is lost without release (the connection holding it broke). */
	readonly lost: Promise<void>;
	/** Shows the holder alive (see `takeOverAfterMs`); call it more often than that limit. */
	heartbeat(): Promise<void>;
	release(): Promise<void>;
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
	/**
	 * PostgreSQL ends a ledger session idle inside a transaction this long (ms): a frozen
	 * node's locks go with it. Keep it under the engine's lease. The models' sessions get
	 * `statementTimeoutMs`.
	 */
	idleInTransactionTimeoutMs?: number;
	/** SQLite: the free space its directory keeps (bytes; see disk-guard.ts): its WAL is kept to a quarter of it. */
	minFreeBytes?: number;
	/** Called with each SQL statement and its duration, for metrics and debug logs. */
	onQuery?: (sql: string, ms: number) => void;
	/** Where the database tells what it notices (a WAL it could not checkpoint); silent when absent. */
	log?: { warn(fields: object, msg: string): void };
}

/**
 * How long an elected node (engine sweeper, outbox relay) may go without a heartbeat before
 * another node ends its session and takes over: a lease lifetime and two sweeps (the leader
 * heartbeats once per sweep), and never under five sweeps. A frozen sweeper's steps are then
 * recovered about as soon as their leases lapse, not a lease later.
 */
export function leaderTakeOverMs(config: { ENGINE_LEASE_TTL: number; ENGINE_SWEEP_INTERVAL: number }): number {
	return Math.max(config.ENGINE_LEASE_TTL + 2 * config.ENGINE_SWEEP_INTERVAL, 5 * config.ENGINE_SWEEP_INTERVAL);
}

export function lockKey(name: string): number {
	// A stable 31-bit hash of the lock's name, for pg_advisory_lock.
	let h = 0;
	for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
	return h & 0x7fffffff;
}
