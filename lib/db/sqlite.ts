import { mkdirSync } from "node:fs";
import path from "node:path";
import { Sequelize, Transaction } from "sequelize";
import { Mutex } from "../mutex";
import type { Database, DatabaseOptions } from "./database";

/** How long a statement waits for another process's write lock before SQLITE_BUSY (ms). */
const BUSY_TIMEOUT_MS = 5000;

interface SqliteConnection {
	configure(option: "busyTimeout", ms: number): void;
	exec(sql: string, cb: (err: Error | null) => void): void;
}

interface SqliteConnectionManager {
	getConnection(options?: { uuid?: string }): Promise<SqliteConnection>;
	releaseConnection(connection: SqliteConnection, force?: boolean): void;
}

/**
 * SQLite for embedded mode. SQLite has one writer at a time, so write transactions
 * are queued here, in process, on one long-lived writer connection (Sequelize would
 * open and close a connection per transaction); reads use the default connection
 * and see only committed data (WAL).
 */
export async function createSqliteDatabase(opts: DatabaseOptions): Promise<Database> {
	const storage = opts.storage ?? ":memory:";
	if (storage !== ":memory:") mkdirSync(path.dirname(storage), { recursive: true });
	const sequelize = new Sequelize({
		dialect: "sqlite",
		storage,
		logging: opts.onQuery ? (sql: string, ms?: number) => opts.onQuery?.(sql, ms ?? 0) : false,
		benchmark: Boolean(opts.onQuery)
	});

	const manager = sequelize.connectionManager as unknown as SqliteConnectionManager;
	const getConnection = manager.getConnection.bind(manager);
	const releaseConnection = manager.releaseConnection.bind(manager);
	const configured = new WeakSet<SqliteConnection>();
	let writer: SqliteConnection | undefined;

	manager.getConnection = async options => {
		const isTransaction = Boolean(options?.uuid && options.uuid !== "default");
		const conn = await getConnection({ ...options, uuid: isTransaction ? "writer" : "default" });
		if (!configured.has(conn)) {
			configured.add(conn);
			conn.configure("busyTimeout", BUSY_TIMEOUT_MS);
			await new Promise<void>((resolve, reject) =>
				conn.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", err => (err ? reject(err) : resolve()))
			);
		}
		if (isTransaction) writer = conn;
		return conn;
	};
	manager.releaseConnection = (conn, force) => {
		if (conn === writer && !force) return;
		releaseConnection(conn, force);
	};

	const writeLock = new Mutex();
	await sequelize.authenticate();

	return {
		dialect: "sqlite",
		sequelize,
		transaction: fn => writeLock.run(() => sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, fn)),
		// One process owns an embedded database, so a process-local lock is the cluster lock.
		withLock: (_name, fn) => writeLock.run(fn),
		// Only this process opens the file: it is always the leader.
		tryHoldLock: async () => ({ lost: new Promise<void>(() => undefined), release: async () => undefined }),
		async ping() {
			await sequelize.query("SELECT 1");
		},
		close: () => sequelize.close()
	};
}
