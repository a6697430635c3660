import { lockKey, type Database, type SqlRunner } from "../db/database";
import type { FlowKey } from "./types";

/**
 * The flow-control ledger's statements (`flow_slots`): a run has one row per key, `held`
 * (it counts against the key) or `queued` (it waits for the key). A concurrency row is
 * held while the run runs; a rate-limit row stays held for its period after the start; a
 * debounce row waits until its due time. Written once for SQLite and PostgreSQL.
 */

type Transaction = SqlRunner;

/** Namespace of the flow keys' advisory locks (two-int form, apart from the leader locks' one-bigint form). */
const FLOW_LOCK_CLASS = 18;

/** A queued run waiting for a key, in admission order. */
export interface QueuedRun {
	execution_id: string;
	priority: number;
	queued_at: number;
}

export class FlowStore {
	constructor(private readonly db: Database) {}

	/**
	 * Serializes deciders of the same keys across the cluster until the transaction ends
	 * (taken in sorted order, so two deciders never wait on each other). SQLite's write
	 * transactions are serial already.
	 */
	async lock(tx: Transaction, keys: readonly string[]): Promise<void> {
		if (this.db.dialect !== "postgres") return;
		for (const id of [...new Set(keys.map(lockKey))].sort((a, b) => a - b)) await tx.run(`SELECT pg_advisory_xact_lock(${FLOW_LOCK_CLASS}, $1)`, [id]);
	}

	/** How many runs count against `key` now: concurrency rows held, rate-limit rows held within their window. */
	async held(tx: Transaction, key: FlowKey, now: number): Promise<{ count: number; oldest: number | null }> {
		const window = key.kind === "rate_limit" ? " AND held_at > $2" : "";
		const bind = key.kind === "rate_limit" ? [key.key, now - (key.period ?? 0)] : [key.key];
		const [row] = await tx.all<{ n: number | string; oldest: number | string | null }>(
			`SELECT COUNT(*) AS n, MIN(held_at) AS oldest FROM flow_slots WHERE key = $1 AND state = 'held'${window}`,
			bind
		);
		return { count: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
	}

	/** Whether a run queued on `key` comes before a run of this priority arriving now (it came first, or ranks higher). */
	async queuedAhead(tx: Transaction, key: string, priority: number): Promise<boolean> {
		const rows = await tx.all("SELECT 1 FROM flow_slots WHERE key = $1 AND state = 'queued' AND kind <> 'debounce' AND priority >= $2 LIMIT 1", [key, priority]);
		return rows.length > 0;
	}

	async queuedOn(tx: Transaction, key: string): Promise<number> {
		const [row] = await tx.all<{ n: number | string }>("SELECT COUNT(*) AS n FROM flow_slots WHERE key = $1 AND state = 'queued'", [key]);
		return Number(row.n);
	}

	/** A run's rows for `keys`, all in one state (held from `now`, or queued with the due time of each). */
	async insert(tx: Transaction, executionId: string, keys: readonly FlowKey[], state: "held" | "queued", priority: number, now: number, dueAt: (key: FlowKey) => number | null = () => null): Promise<void> {
		for (const k of keys) {
			await tx.run(
				`INSERT INTO flow_slots (key, execution_id, kind, capacity, period, state, priority, queued_at, held_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
				ON CONFLICT (key, execution_id) DO UPDATE SET state = excluded.state, held_at = excluded.held_at, due_at = excluded.due_at, priority = excluded.priority`,
				[k.key, executionId, k.kind, k.limit, k.period, state, priority, now, state === "held" ? now : null, state === "queued" ? dueAt(k) : null]
			);
		}
	}

	/** The run waiting out a debounce of `key` (one at most). */
	async debouncing(tx: Transaction, key: string): Promise<string | null> {
		const [row] = await tx.all<{ execution_id: string }>("SELECT execution_id FROM flow_slots WHERE key = $1 AND kind = 'debounce' AND state = 'queued' LIMIT 1", [key]);
		return row ? String(row.execution_id) : null;
	}

	async setDue(tx: Transaction, key: string, executionId: string, dueAt: number): Promise<void> {
		await tx.run("UPDATE flow_slots SET due_at = $3 WHERE key = $1 AND execution_id = $2", [key, executionId, dueAt]);
	}

	/** Takes a fired debounce off a run; false when it was already taken (another node fired it). */
	async endDebounce(tx: Transaction, key: string, executionId: string): Promise<boolean> {
		return (await tx.run("DELETE FROM flow_slots WHERE key = $1 AND execution_id = $2 AND kind = 'debounce' AND state = 'queued'", [key, executionId])) === 1;
	}

	/** The run now holds its queued keys. */
	async hold(tx: Transaction, executionId: string, now: number): Promise<void> {
		await tx.run("UPDATE flow_slots SET state = 'held', held_at = $2, due_at = NULL WHERE execution_id = $1 AND state = 'queued' AND kind <> 'debounce'", [executionId, now]);
	}

	/**
	 * The run ended (or was cancelled): it gives back its concurrency slots and leaves every
	 * queue; its rate-limit starts keep counting until their window passes. Returns the keys
	 * it gave a slot back to (their queues may move).
	 */
	async release(tx: Transaction, executionId: string): Promise<string[]> {
		const rows = await tx.all<{ key: string; state: string; kind: string }>(
			"DELETE FROM flow_slots WHERE execution_id = $1 AND NOT (kind = 'rate_limit' AND state = 'held') RETURNING key, state, kind",
			[executionId]
		);
		return rows.filter(r => r.state === "held").map(r => String(r.key));
	}

	/** Runs queued on `key`, first in admission order: higher priority first, then first come. */
	async queue(tx: Transaction, key: string, limit: number): Promise<QueuedRun[]> {
		const rows = await tx.all<Record<string, unknown>>(
			`SELECT execution_id, priority, queued_at FROM flow_slots WHERE key = $1 AND state = 'queued' AND kind <> 'debounce'
			ORDER BY priority DESC, id LIMIT ${Math.floor(limit)}`,
			[key]
		);
		return rows.map(r => ({ execution_id: String(r.execution_id), priority: Number(r.priority), queued_at: Number(r.queued_at) }));
	}

	/** Debounces whose quiet period is over: their runs may start (or queue for their other keys). */
	async dueDebounces(now: number, limit: number): Promise<{ key: string; execution_id: string }[]> {
		const rows = await this.db.sql.all<Record<string, unknown>>(
			`SELECT key, execution_id FROM flow_slots WHERE state = 'queued' AND kind = 'debounce' AND due_at <= $1 ORDER BY due_at LIMIT ${Math.floor(limit)}`,
			[now]
		);
		return rows.map(r => ({ key: String(r.key), execution_id: String(r.execution_id) }));
	}

	/**
	 * Keys with runs queued and room for one of them now (a rate window moved on, or a slot
	 * was freed where the freeing transaction could not admit): the sweeper's safety net.
	 */
	async keysWithRoom(now: number, limit: number): Promise<string[]> {
		const rows = await this.db.sql.all<{ key: string }>(
			`SELECT DISTINCT q.key FROM flow_slots q WHERE q.state = 'queued' AND q.kind <> 'debounce' AND (q.due_at IS NULL OR q.due_at <= $1)
			AND (SELECT COUNT(*) FROM flow_slots h WHERE h.key = q.key AND h.state = 'held' AND (h.kind <> 'rate_limit' OR h.held_at > $1 - h.period)) < q.capacity
			LIMIT ${Math.floor(limit)}`,
			[now]
		);
		return rows.map(r => String(r.key));
	}

	/** Rate-limit starts whose window has passed no longer count: drop them (a read first, so a sweep with none to drop writes nothing). */
	async pruneRateStarts(now: number): Promise<number> {
		const expired = "kind = 'rate_limit' AND state = 'held' AND held_at + period <= $1";
		if (!(await this.db.sql.all(`SELECT 1 FROM flow_slots WHERE ${expired} LIMIT 1`, [now])).length) return 0;
		return this.db.sqlTransaction(tx => tx.run(`DELETE FROM flow_slots WHERE ${expired}`, [now]));
	}
}
