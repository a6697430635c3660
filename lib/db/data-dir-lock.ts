import path from "node:path";
import BetterSqlite3 from "better-sqlite3";

/** The lock file beside an embedded database. */
export const dataDirLockFile = (storage: string): string => `${storage}.lock`;

/** Another process (or another open of the same database in this one) holds the data directory. */
export class DataDirInUseError extends Error {
	readonly code = "DATA_DIR_IN_USE";
	constructor(readonly dir: string) {
		super(`Another CognitionOS process is using the data directory ${dir}; stop it first, or give this one its own DATA_DIR`);
		this.name = "DataDirInUseError";
	}
}

export interface DataDirLock {
	release(): void;
}

/**
 * Embedded, one process owns the data directory: the engine then knows that every lease a
 * previous process left is dead, and takes it back at once. The lock is an exclusive SQLite
 * lock (a POSIX record lock) held on `cognitionos.sqlite.lock` for as long as the database is
 * open. The kernel drops it when the process dies, however it dies, so a restart after
 * `kill -9` never waits for a stale lock to age (as a lock file with a timestamp,
 * proper-lockfile's, would) and no recycled pid can fool it (as a pid file could); a second
 * open of the same file in one process is refused too. better-sqlite3 is the engine's own
 * driver, so this needs no other dependency.
 */
export function lockDataDir(storage: string): DataDirLock {
	const holder = new BetterSqlite3(dataDirLockFile(storage), { timeout: 0 });
	try {
		// In exclusive locking mode the lock taken by the first write is kept until the connection closes.
		holder.pragma("locking_mode = EXCLUSIVE");
		holder.pragma("journal_mode = MEMORY");
		holder.exec("BEGIN EXCLUSIVE");
		// Who holds it, for an operator looking at the file with the sqlite3 shell once it is free.
		holder.pragma(`user_version = ${process.pid}`);
		holder.exec("COMMIT");
	} catch (err) {
		holder.close();
		if ((err as { code?: string }).code === "SQLITE_BUSY") throw new DataDirInUseError(path.dirname(storage));
		throw err;
	}
	return { release: () => holder.close() };
}
