import { createHash } from "node:crypto";
import { Client, DatabaseError, Pool, type PoolClient, type QueryResult } from "pg";
import { Sequelize } from "sequelize";
import { GroupAborted, lockKey, type Database, type HeldLock, type DatabaseOptions, type SqlRunner, type TransactionLimits } from "./database";

/** Connections of the models' pool (Sequelize: users, workflows, keys) beside the ledger's `poolMax`: a quarter, at least two. */
const modelPoolSize = (poolMax: number) => Math.max(2, Math.floor(poolMax / 4));
/**
 * How long a request waits for a pooled connection, or for a new connection to answer (a
 * host gone, a partition), before it fails (ms): the caller answers 503 rather than hang.
 */
const ACQUIRE_TIMEOUT_MS = 10_000;
/** An idle pooled connection is closed after this long (ms). */
const IDLE_TIMEOUT_MS = 10_000;

/** `BEGIN` and the transaction's bounds in one simple-protocol query: one round trip, as BEGIN alone. */
function beginStatement(limits?: TransactionLimits): string {
	const set = (name: string, ms?: number) => (ms !== undefined && ms > 0 ? `; SET LOCAL ${name} = ${Math.floor(ms)}` : "");
	return `BEGIN${set("statement_timeout", limits?.statementTimeoutMs)}${set("lock_timeout", limits?.lockTimeoutMs)}`;
}

/** A statement that waited too long for a lock (55P03) or was one of a deadlock (40P01). */
const isLockWait = (err: unknown): boolean => {
	const code = (err as { code?: string })?.code;
	return code === "55P03" || code === "40P01";
};

/** How long ending a stale lock holder waits for its backend to exit (ms; PostgreSQL 14+), so the lock can be taken at once. */
const TERMINATE_WAIT_MS = 1000;

/** The lock a session holds: it lives as long as that session. */
function held(client: Client, lost: Promise<void>): HeldLock {
	return {
		lost,
		// A query on the lock's own session: its end time is what a stale holder is judged by.
		heartbeat: async () => void (await client.query("SELECT 1")),
		release: () => client.end().catch(() => undefined)
	};
}

/** Statement names by text, so the hot path hashes each statement once, not once per run. */
const statementNames = new Map<string, string>();
/** A statement's server-side prepared name: the same text reuses one plan per connection. */
function statementName(sql: string): string {
	let name = statementNames.get(sql);
	if (!name) {
		name = `cos_${createHash("sha1").update(sql).digest("hex").slice(0, 20)}`;
		// Statements built from variable-length IN lists are many; keep the map bounded.
		if (statementNames.size >= 1000) statementNames.clear();
		statementNames.set(sql, name);
	}
	return name;
}

/**
 * Group commit (`sqlTransaction`'s `group`): grouped transactions go to one of this many
 * lanes by their key, and each lane runs what queued while its last group ran as one
 * transaction — one BEGIN, one COMMIT and one WAL flush for all of them. A transaction alone
 * commits at once, as without grouping. Keys (an execution id) keep one execution's
 * transitions in one lane, so lanes of one node do not wait on each other's row locks.
 */
const GROUP_LANES = 4;
/** Most transactions, and longest time (ms), one group takes: they bound what a member waits for the group's commit. */
const MAX_GROUP = 32;
const MAX_GROUP_MS = 20;
/**
 * A group waits at most this long for any row lock (ms; another node's group holds it until
 * its commit). Past it, or on a deadlock, the group is rolled back and its members run again
 * alone, under the ordinary bounds.
 */
const GROUP_LOCK_TIMEOUT_MS = 200;

interface GroupMember {
	fn: (sql: SqlRunner) => Promise<unknown>;
	resolve: (value: unknown) => void;
	reject: (err: unknown) => void;
}

const laneOf = (key: string): number => lockKey(key) % GROUP_LANES;

function runnerOn(client: PoolClient, onQuery: ((sql: string, ms: number) => void) | undefined, guard: <R>(q: Promise<R>) => Promise<R>): SqlRunner {
	const query = async (sql: string, params: readonly unknown[]): Promise<QueryResult> => {
		const started = performance.now();
		try {
			return await guard(client.query({ name: statementName(sql), text: sql, values: [...params] }));
		} finally {
			onQuery?.(sql, performance.now() - started);
		}
	};
	return {
		all: async <T>(sql: string, params: readonly unknown[] = []) => (await query(sql, params)).rows as T[],
		run: async (sql: string, params: readonly unknown[] = []) => (await query(sql, params)).rowCount ?? 0
	};
}

/**
 * PostgreSQL for cluster mode. The ledger (engine, outbox, event handlers: `sql` and
 * `sqlTransaction`) has a `pg.Pool` of its own with prepared statements; the models
 * keep Sequelize and its pool. Advisory locks for cluster-wide singletons.
 */
export async function createPostgresDatabase(opts: DatabaseOptions): Promise<Database> {
	const sequelize = new Sequelize(opts.url, {
		dialect: "postgres",
		logging: opts.onQuery ? (sql: string, ms?: number) => opts.onQuery?.(sql, ms ?? 0) : false,
		benchmark: Boolean(opts.onQuery),
		pool: { max: modelPoolSize(opts.poolMax), min: 0, idle: IDLE_TIMEOUT_MS, acquire: ACQUIRE_TIMEOUT_MS },
		// No model transaction outlives its node's liveness by more than a statement's bound either.
		dialectOptions: {
			statement_timeout: opts.statementTimeoutMs,
			idle_in_transaction_session_timeout: opts.statementTimeoutMs,
			connectionTimeoutMillis: ACQUIRE_TIMEOUT_MS,
			keepAlive: true,
			application_name: "cognitionos"
		}
	});
	await sequelize.authenticate();
	const pool = new Pool({
		connectionString: opts.url,
		max: opts.poolMax,
		idleTimeoutMillis: IDLE_TIMEOUT_MS,
		connectionTimeoutMillis: ACQUIRE_TIMEOUT_MS,
		statement_timeout: opts.statementTimeoutMs,
		// A node frozen (SIGSTOP, a paused VM) inside a ledger transaction holds row locks: its session ends after this.
		idle_in_transaction_session_timeout: opts.idleInTransactionTimeoutMs ?? opts.statementTimeoutMs,
		// A server that vanished without closing the socket is found by the OS, not by the next statement's timeout.
		keepAlive: true,
		application_name: "cognitionos-ledger"
	});
	// An idle client that loses its connection reports here; the pool drops it. Unheard, it would crash the process.
	pool.on("error", () => undefined);

	/**
	 * Runs `fn` with a connection of the ledger's pool. A connection on which a statement
	 * failed other than by the server's own error (a constraint, a timeout: the session is
	 * fine) is discarded, not reused.
	 */
	const withClient = async <T>(fn: (client: PoolClient, guard: <R>(q: Promise<R>) => Promise<R>) => Promise<T>): Promise<T> => {
		const client = await pool.connect();
		let broken: Error | undefined;
		const guard = <R>(q: Promise<R>): Promise<R> =>
			q.catch((err: unknown) => {
				if (!(err instanceof DatabaseError)) broken = err as Error;
				throw err;
			});
		// The server may end a session while it is checked out (idle_in_transaction_session_timeout after a
		// freeze, a restart): the client reports it as an event, which unheard would crash the process.
		const ended = (err: Error) => (broken = err);
		client.on("error", ended);
		try {
			return await fn(client, guard);
		} finally {
			client.off("error", ended);
			client.release(broken);
		}
	};

	const alone = <T>(fn: (sql: SqlRunner) => Promise<T>, limits?: TransactionLimits): Promise<T> =>
		withClient(async (client, guard) => {
			await guard(client.query(beginStatement(limits)));
			try {
				const result = await fn(runnerOn(client, opts.onQuery, guard));
				await guard(client.query("COMMIT"));
				return result;
			} catch (err) {
				await guard(client.query("ROLLBACK")).catch(() => undefined);
				throw err;
			}
		});

	const lanes = Array.from({ length: GROUP_LANES }, () => ({ queue: [] as GroupMember[], busy: false }));

	/**
	 * One group: members run one after another in one transaction, and all are answered
	 * after it ends — committed together, or rolled back together. A member that throws gets
	 * its own error; the others are told `GroupAborted` (nothing of them was kept).
	 */
	const runGroup = (lane: { queue: GroupMember[] }, limits?: TransactionLimits) =>
		withClient(async (client, guard) => {
			const members: { member: GroupMember; value?: unknown }[] = [];
			let failure: { member?: GroupMember; err: unknown } | undefined;
			try {
				await guard(client.query(beginStatement({ ...limits, lockTimeoutMs: GROUP_LOCK_TIMEOUT_MS })));
				const runner = runnerOn(client, opts.onQuery, guard);
				const until = performance.now() + MAX_GROUP_MS;
				while (lane.queue.length && members.length < MAX_GROUP && (members.length === 0 || performance.now() < until)) {
					const entry: { member: GroupMember; value?: unknown } = { member: lane.queue.shift()! };
					members.push(entry);
					try {
						entry.value = await entry.member.fn(runner);
					} catch (err) {
						failure = { member: entry.member, err };
						break;
					}
				}
				if (!failure) await guard(client.query("COMMIT"));
			} catch (err) {
				// BEGIN itself failed: nothing was taken from the lane; its waiting members are answered by drainLane.
				if (!members.length) throw err;
				failure = { err };
			}
			if (!failure) return members.forEach(({ member, value }) => member.resolve(value));
			await guard(client.query("ROLLBACK")).catch(() => undefined);
			// A lock the group waited too long for, or a deadlock, is the group's doing, not its member's.
			const blamed = failure.member && !isLockWait(failure.err) ? failure.member : undefined;
			for (const { member } of members) member.reject(member === blamed || !failure.member ? failure.err : new GroupAborted(failure.err));
		});

	const drainLane = async (lane: (typeof lanes)[number], limits?: TransactionLimits) => {
		lane.busy = true;
		try {
			while (lane.queue.length) {
				try {
					await runGroup(lane, limits);
				} catch (err) {
					// No connection (the pool's wait ran out, the server is away): what waits fails as it would have alone.
					for (const member of lane.queue.splice(0)) member.reject(err);
				}
			}
		} finally {
			lane.busy = false;
		}
	};

	return {
		dialect: "postgres",
		sequelize,
		transaction: fn => sequelize.transaction(fn),
		sqlTransaction: (fn, limits, group) => {
			// A transaction with a lock bound of its own (the sweep's) keeps it: it runs alone.
			if (group === undefined || limits?.lockTimeoutMs !== undefined) return alone(fn, limits);
			const lane = lanes[laneOf(group)];
			return new Promise((resolve, reject) => {
				lane.queue.push({ fn: fn as GroupMember["fn"], resolve: resolve as GroupMember["resolve"], reject });
				// A group runs under the bounds of the member that opens it: grouped members all come with the engine's.
				if (!lane.busy) void drainLane(lane, limits);
			});
		},
		sql: {
			all: (sql, params) => withClient((client, guard) => runnerOn(client, opts.onQuery, guard).all(sql, params)),
			run: (sql, params) => withClient((client, guard) => runnerOn(client, opts.onQuery, guard).run(sql, params))
		},
		async withLock(name, fn) {
			// A session-level advisory lock lives on one connection: hold a dedicated one.
			const client = new Client({ connectionString: opts.url, application_name: "cognitionos-lock", connectionTimeoutMillis: ACQUIRE_TIMEOUT_MS, keepAlive: true });
			// A dropped connection surfaces as the failing query; without a listener it would also crash the process.
			client.on("error", () => undefined);
			await client.connect();
			try {
				await client.query("SELECT pg_advisory_lock($1)", [lockKey(name)]);
				return await fn();
			} finally {
				await client.end().catch(() => undefined);
			}
		},
		async tryHoldLock(name, { takeOverAfterMs } = {}) {
			// The lock lives as long as this session: a node that dies gives it up with its connection.
			const client = new Client({ connectionString: opts.url, application_name: "cognitionos-leader", connectionTimeoutMillis: ACQUIRE_TIMEOUT_MS, keepAlive: true });
			const lost = new Promise<void>(resolve => {
				// `on`, not `once`: a connection can report more than one error, and an unheard one crashes the process.
				client.on("error", () => resolve());
				client.once("end", () => resolve());
			});
			const key = lockKey(name);
			try {
				await client.connect();
				const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [key]);
				if (rows[0]?.locked) return held(client, lost);
				if (takeOverAfterMs !== undefined) {
					// A holder whose process is frozen (stopped, or a VM paused) keeps its session and the lock with it.
					// When its session has been idle past the limit, end it, and take the lock as soon as its backend is gone.
					const { rowCount } = await client.query(
						`SELECT pg_terminate_backend(a.pid, ${TERMINATE_WAIT_MS}) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
						WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1
						AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
						AND a.state = 'idle' AND a.state_change < clock_timestamp() - make_interval(secs => $2)`,
						[key, takeOverAfterMs / 1000]
					);
					if (rowCount) {
						const again = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [key]);
						if (again.rows[0]?.locked) return held(client, lost);
					}
				}
			} catch {
				// Not the leader this time; the caller tries again.
			}
			await client.end().catch(() => undefined);
			return null;
		},
		async unheldLocks(names) {
			if (!names.length) return new Set();
			// tryHoldLock's keys are 31-bit: a session's advisory lock on one shows as classid 0, objid the key, objsubid 1.
			const { rows } = await pool.query<{ key: string }>(
				`SELECT DISTINCT objid::bigint AS key FROM pg_locks
				WHERE locktype = 'advisory' AND granted AND classid = 0 AND objsubid = 1 AND objid::bigint = ANY($1::bigint[])
				AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
				[names.map(lockKey)]
			);
			const held = new Set(rows.map(r => Number(r.key)));
			// Two names whose keys collide both look held: the error only ever keeps a lease waiting for its lapse.
			return new Set(names.filter(name => !held.has(lockKey(name))));
		},
		poolStats() {
			return { inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount, max: opts.poolMax };
		},
		async ping() {
			await pool.query("SELECT 1");
		},
		async close() {
			await pool.end();
			await sequelize.close();
		}
	};
}
