import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Sequelize, Transaction } from "sequelize";
import { Mutex } from "../mutex";
import { lockDataDir } from "./data-dir-lock";
import type { Database, DatabaseOptions, HeldLock, SqlRunner } from "./database";

/** How long a statement waits for another process's write lock before SQLITE_BUSY (ms). */
const BUSY_TIMEOUT_MS = 5000;
/** Most transactions committed together (bounds the latency one group adds to its last member). */
const MAX_GROUP = 64;

/** However much room the disk has, the WAL is kept under this (bytes): it is replayed at every start. */
const WAL_MAX_BYTES = 64 * 1024 ** 2;
/** The WAL is kept under this share of the free space the data directory keeps (DATA_DIR_MIN_FREE): a checkpoint always has room. */
const WAL_SHARE_OF_MIN_FREE = 4;
/** How often the WAL's size is looked at (ms). */
const WAL_CHECK_INTERVAL_MS = 2000;

/** How many times Sequelize runs a statement again that found the database locked (its connections per transaction start with no busy timeout). */
const BUSY_RETRIES = 20;

/**
 * `$1`-style SQL for better-sqlite3, which binds anonymous `?` in order: each `$n`
 * becomes `?` and the parameters are picked in the order the placeholders appear.
 */
function positional(sql: string): { text: string; order: number[] } {
	const order: number[] = [];
	const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
		order.push(Number(n) - 1);
		return "?";
	});
	return { text, order };
}

/**
 * The engine's statements on a synchronous connection (better-sqlite3): a statement
 * costs microseconds, where a round trip through sqlite3's thread pool costs tens.
 */
function preparedRunner(db: BetterSqlite3.Database, onQuery?: (sql: string, ms: number) => void): SqlRunner {
	const statements = new Map<string, { stmt: BetterSqlite3.Statement; order: number[] }>();
	const prepared = (sql: string) => {
		let entry = statements.get(sql);
		if (!entry) {
			const { text, order } = positional(sql);
			entry = { stmt: db.prepare(text), order };
			// Statements built from variable-length IN lists are many; keep the cache bounded.
			if (statements.size > 1000) statements.clear();
			statements.set(sql, entry);
		}
		return entry;
	};
	const bind = (order: number[], params: readonly unknown[]) => order.map(i => params[i]);
	const observed = <T>(sql: string, run: () => T): T => {
		if (!onQuery) return run();
		const started = performance.now();
		try {
			return run();
		} finally {
			onQuery(sql, performance.now() - started);
		}
	};
	return {
		async all<T>(sql: string, params: readonly unknown[] = []) {
			const { stmt, order } = prepared(sql);
			return observed(sql, () => (stmt.reader ? stmt.all(...bind(order, params)) : (stmt.run(...bind(order, params)), []))) as T[];
		},
		async run(sql: string, params: readonly unknown[] = []) {
			const { stmt, order } = prepared(sql);
			return observed(sql, () => (stmt.reader ? stmt.all(...bind(order, params)).length : stmt.run(...bind(order, params)).changes));
		}
	};
}

/**
 * SQLite for embedded mode. SQLite has one writer at a time, so write transactions are
 * queued here, in process: the ledger's on one long-lived better-sqlite3 connection (group
 * commit, below), Sequelize's (the models) behind the same lock. Reads see only committed
 * data (WAL).
 */
/**
 * The database holds webhook secrets and every run's data: its directory is created 0700
 * and the file 0600 before SQLite opens it (SQLite gives its -wal and -shm files the
 * database file's mode). A file from an older start is narrowed to 0600; a directory that
 * already existed is left as the operator made it (DATA_DIR may be shared).
 */
function keepPrivate(storage: string): void {
	mkdirSync(path.dirname(storage), { recursive: true, mode: 0o700 });
	closeSync(openSync(storage, "a", 0o600));
	for (const file of [storage, `${storage}-wal`, `${storage}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

export async function createSqliteDatabase(opts: DatabaseOptions): Promise<Database> {
	const storage = opts.storage ?? ":memory:";
	if (storage !== ":memory:") keepPrivate(storage);
	// Before anything opens the database: a second process must not get as far as reading it.
	const dataDirLock = storage === ":memory:" ? undefined : lockDataDir(storage);
	try {
		return await openSqlite(storage, opts, () => dataDirLock?.release());
	} catch (err) {
		dataDirLock?.release();
		throw err;
	}
}

async function openSqlite(storage: string, opts: DatabaseOptions, releaseDataDir: () => void): Promise<Database> {
	const sequelize = new Sequelize({
		dialect: "sqlite",
		storage,
		logging: opts.onQuery ? (sql: string, ms?: number) => opts.onQuery?.(sql, ms ?? 0) : false,
		benchmark: Boolean(opts.onQuery),
		retry: { match: [/SQLITE_BUSY/], max: BUSY_RETRIES }
	});

	const writeLock = new Mutex();
	await sequelize.authenticate();
	// Sequelize's long-lived connection (its reads and writes outside transactions) waits for the writer instead of failing.
	await sequelize.query("PRAGMA journal_mode = WAL");
	await sequelize.query(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
	await sequelize.query("PRAGMA synchronous = NORMAL");
	// The engine's own connection. Its writes take the same in-process lock as Sequelize's transactions.
	const fast = new BetterSqlite3(storage, { timeout: BUSY_TIMEOUT_MS });
	fast.pragma("journal_mode = WAL");
	fast.pragma("synchronous = NORMAL");
	fast.pragma("foreign_keys = ON");
	// Checkpoints (which fsync the database file) every ~16 MB of WAL rather than every 4 MB; on a small
	// volume every quarter of the WAL's bound. A WAL that grew past its bound (readers held a checkpoint
	// back) is cut back to it by the next checkpoint.
	const walMaxBytes = Math.min(WAL_MAX_BYTES, Math.floor((opts.minFreeBytes ?? Infinity) / WAL_SHARE_OF_MIN_FREE));
	const pageSize = Number(fast.pragma("page_size", { simple: true }));
	fast.pragma(`wal_autocheckpoint = ${Math.max(100, Math.min(4000, Math.floor(walMaxBytes / 4 / pageSize)))}`);
	fast.pragma(`journal_size_limit = ${walMaxBytes}`);
	const runner = preparedRunner(fast, opts.onQuery);
	// Reads outside transactions use their own connection: they must never see (or join) one in progress.
	const reading = new BetterSqlite3(storage, { timeout: BUSY_TIMEOUT_MS, readonly: true });
	const reader = preparedRunner(reading, opts.onQuery);

	/**
	 * Group commit: transactions that arrive while one commits, or (with several runs moving)
	 * in the same turn of the event loop, are committed together, each inside its own
	 * savepoint (one failing rolls back alone). A WAL commit costs about as much for one
	 * transition as for fifty, so under load this multiplies throughput; alone, a
	 * transaction commits at once.
	 * Results are delivered only after COMMIT: nothing is reported done before it is durable.
	 */
	const pending: { fn: (sql: SqlRunner) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
	// Prepared once: `exec` would parse each of these again for every transition.
	const control = Object.fromEntries(
		(["BEGIN IMMEDIATE", "COMMIT", "ROLLBACK", "SAVEPOINT tx", "RELEASE tx", "ROLLBACK TO tx"] as const).map(sql => [sql, fast.prepare(sql)])
	) as Record<"BEGIN IMMEDIATE" | "COMMIT" | "ROLLBACK" | "SAVEPOINT tx" | "RELEASE tx" | "ROLLBACK TO tx", BetterSqlite3.Statement>;
	/**
	 * What asked for a grouped transaction in this turn of the event loop: which groups
	 * (executions), and from how many callbacks (a callback and the promise jobs it leads to;
	 * a process.nextTick queued from one of them marks where they end). Once two groups, or
	 * two callbacks, have asked, the next group starts at the end of the turn, so that the
	 * transitions the turn moves share its commit: 1,000 concurrent runs, or the answers of a
	 * run's 1,000 parallel LLM calls, commit in groups of dozens, not one by one. One run's
	 * steps that follow each other within one callback (a chain) commit at once: waiting for
	 * the turn to end would only add a hop of the event loop to every step.
	 */
	let turn: { groups: Set<string>; callbacks: number } | null = null;
	let inCallback = false;
	const sawConcurrent = (group: string | undefined): boolean => {
		if (!turn) {
			turn = { groups: new Set(), callbacks: 0 };
			setImmediate(() => (turn = null));
		}
		if (group !== undefined) {
			turn.groups.add(group);
			if (!inCallback) {
				inCallback = true;
				turn.callbacks++;
				// A tick queued from a promise job runs once the promise jobs are done; one queued from the callback's
				// own synchronous part would run before them.
				queueMicrotask(() => process.nextTick(() => (inCallback = false)));
			}
		}
		return turn.groups.size > 1 || turn.callbacks > 1;
	};
	const commitPending = async () => {
		while (pending.length) {
			const batch = pending.splice(0, MAX_GROUP);
			// A transaction alone needs no savepoint: if it fails, the whole (one-member) group rolls back.
			const alone = batch.length === 1;
			const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
			try {
				control["BEGIN IMMEDIATE"].run();
				for (const item of batch) {
					if (!alone) control["SAVEPOINT tx"].run();
					try {
						outcomes.push({ ok: true, value: await item.fn(runner) });
						if (!alone) control["RELEASE tx"].run();
					} catch (error) {
						if (alone) throw error;
						control["ROLLBACK TO tx"].run();
						control["RELEASE tx"].run();
						outcomes.push({ ok: false, error });
					}
				}
				control.COMMIT.run();
			} catch (error) {
				if (fast.inTransaction) control.ROLLBACK.run();
				batch.forEach(item => item.reject(error));
				continue;
			}
			batch.forEach((item, i) => {
				const o = outcomes[i];
				if (o.ok) item.resolve(o.value);
				else item.reject(o.error);
			});
		}
	};

	/**
	 * A WAL past its bound (passive checkpoints were held back by readers, or could not run
	 * for want of space) is checkpointed with TRUNCATE, queued behind the writes: it goes
	 * back to nothing, so the WAL alone can never fill the disk.
	 */
	const walFile = `${storage}-wal`;
	const walTimer =
		storage === ":memory:"
			? undefined
			: setInterval(() => {
					let size = 0;
					try {
						size = statSync(walFile).size;
					} catch {
						return;
					}
					if (size <= walMaxBytes) return;
					void writeLock.run(async () => {
						try {
							fast.pragma("wal_checkpoint(TRUNCATE)");
						} catch (err) {
							opts.log?.warn({ err, wal_bytes: size }, "Could not checkpoint the SQLite WAL past its bound; trying again shortly");
						}
					});
				}, WAL_CHECK_INTERVAL_MS);
	walTimer?.unref();

	/**
	 * The locks held in this process, by name, with how many holders each has. This process
	 * owns the database (the data-directory lock), so a lock held nowhere else is held nowhere.
	 */
	const held = new Map<string, number>();
	const hold = (name: string): HeldLock => {
		held.set(name, (held.get(name) ?? 0) + 1);
		let released = false;
		return {
			lost: new Promise<void>(() => undefined),
			heartbeat: async () => undefined,
			release: async () => {
				if (released) return;
				released = true;
				const left = (held.get(name) ?? 1) - 1;
				if (left > 0) held.set(name, left);
				else held.delete(name);
			}
		};
	};

	return {
		dialect: "sqlite",
		sequelize,
		transaction: fn => writeLock.run(() => sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, fn)),
		sqlTransaction: (fn, _limits, group) =>
			new Promise((resolve, reject) => {
				pending.push({ fn: fn as (sql: SqlRunner) => Promise<unknown>, resolve: resolve as (v: unknown) => void, reject });
				const concurrent = sawConcurrent(group);
				if (pending.length > 1) return;
				if (concurrent) setImmediate(() => void writeLock.run(commitPending));
				else void writeLock.run(commitPending);
			}),
		sql: reader,
		// One process owns an embedded database, so a process-local lock is the cluster lock.
		withLock: (_name, fn) => writeLock.run(fn),
		// Only this process opens the file: it is always the leader.
		tryHoldLock: async name => hold(name),
		unheldLocks: async names => new Set(names.filter(name => !held.has(name))),
		async ping() {
			await reader.all("SELECT 1");
		},
		async close() {
			clearInterval(walTimer);
			reading.close();
			fast.close();
			await sequelize.close();
			releaseDataDir();
		}
	};
}
