import { AppError, insufficientStorage, serviceUnavailable } from "./errors";

/**
 * Errors that say a dependency cannot serve right now, not that the request is wrong:
 * answered 503 with Retry-After (507 for a full disk) instead of 500.
 */

/** SQLSTATEs of a database that is down, restarting, overloaded or holding a lock too long. */
const PG_UNAVAILABLE = new Set([
	"57P01", // admin_shutdown: the server is stopping
	"57P02", // crash_shutdown
	"57P03", // cannot_connect_now: starting up or shutting down
	"53300", // too_many_connections
	"57014", // query_canceled: statement_timeout
	"55P03", // lock_not_available: lock_timeout
	"25P03", // idle_in_transaction_session_timeout ended the session
	"40001", // serialization_failure
	"40P01" // deadlock_detected
]);
/** Out of disk: PostgreSQL's disk_full, SQLite's, the OS's. */
const DISK_FULL = new Set(["53100", "SQLITE_FULL", "ENOSPC"]);
/** The socket to the database broke or never opened. */
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
/** Sequelize's names for the same conditions. */
const SEQUELIZE_UNAVAILABLE = new Set([
	"SequelizeConnectionError",
	"SequelizeConnectionRefusedError",
	"SequelizeConnectionAcquireTimeoutError",
	"SequelizeConnectionTimedOutError",
	"SequelizeHostNotFoundError",
	"SequelizeHostNotReachableError"
]);
/** node-postgres says these in words only. */
const PG_CLIENT_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i;

interface ErrorLike {
	name?: string;
	code?: unknown;
	message?: string;
	parent?: unknown;
	original?: unknown;
	cause?: unknown;
	errors?: unknown[];
}

/** The error and what it wraps (Sequelize's `parent`/`original`, `cause`, an AggregateError's `errors`). */
function* chain(err: unknown, depth = 0): Generator<ErrorLike> {
	if (!err || typeof err !== "object" || depth > 4) return;
	const e = err as ErrorLike;
	yield e;
	for (const inner of [e.parent, e.original, e.cause]) if (inner && inner !== err) yield* chain(inner, depth + 1);
	if (Array.isArray(e.errors)) for (const inner of e.errors.slice(0, 4)) yield* chain(inner, depth + 1);
}

/** Whether `err` means the database cannot serve now. */
export function isDatabaseUnavailable(err: unknown): boolean {
	for (const e of chain(err)) {
		const code = typeof e.code === "string" ? e.code : "";
		if (PG_UNAVAILABLE.has(code) || NETWORK.has(code) || code.startsWith("08") || code === "SQLITE_BUSY") return true;
		if (SEQUELIZE_UNAVAILABLE.has(e.name ?? "")) return true;
		if (PG_CLIENT_MESSAGES.test(e.message ?? "")) return true;
	}
	return false;
}

/** Whether `err` is a write refused for want of disk. */
export function isDiskFull(err: unknown): boolean {
	for (const e of chain(err)) if (typeof e.code === "string" && DISK_FULL.has(e.code)) return true;
	return false;
}

/**
 * The answer a client should get for an error from a dependency: 507 for a full disk, 503
 * naming the database when it cannot serve; undefined for anything else (an AppError
 * already says what it means).
 */
export function dependencyError(err: unknown): AppError | undefined {
	if (err instanceof AppError) return undefined;
	if (isDiskFull(err)) return insufficientStorage("The server's disk is full; it takes no new work until space is freed");
	if (isDatabaseUnavailable(err)) return serviceUnavailable("database", "The database is not available right now; try again shortly");
	return undefined;
}
