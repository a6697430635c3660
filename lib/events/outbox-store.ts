import type { Database } from "../db/database";

/** An outbox row as the relay reads it: the event's JSON as it was written, and its routing facts. */
export interface OutboxRecord {
	id: number;
	event_id: string;
	event_type: string;
	aggregate_id: string;
	payload: string;
	occurred_at: number;
}

/**
 * The relay's statements on the outbox. `ids` are bound as one parameter (an array on
 * PostgreSQL, a JSON text on SQLite) so every batch size reuses one prepared statement.
 */
export class OutboxStore {
	constructor(private readonly db: Database) {}

	private idsClause(param: string): string {
		return this.db.dialect === "postgres" ? `id = ANY(${param}::bigint[])` : `id IN (SELECT value FROM json_each(${param}))`;
	}

	private idsParam(ids: readonly number[]): unknown {
		return this.db.dialect === "postgres" ? ids.map(String) : JSON.stringify(ids);
	}

	/** The oldest unpublished events, in the order they were written; `skip` leaves out the ids from `below` to `above` (being sent). */
	async pending(limit: number, skip: { below: number; above: number } | null = null): Promise<OutboxRecord[]> {
		const columns = "SELECT id, event_id, event_type, aggregate_id, payload, occurred_at FROM outbox WHERE published_at IS NULL";
		const rows = skip
			? await this.db.sql.all<Record<string, unknown>>(`${columns} AND (id < $2 OR id > $3) ORDER BY id LIMIT $1`, [limit, skip.below, skip.above])
			: await this.db.sql.all<Record<string, unknown>>(`${columns} ORDER BY id LIMIT $1`, [limit]);
		return rows.map(r => ({
			id: Number(r.id),
			event_id: String(r.event_id),
			event_type: String(r.event_type),
			aggregate_id: String(r.aggregate_id),
			payload: String(r.payload),
			occurred_at: Number(r.occurred_at)
		}));
	}

	async markPublished(ids: readonly number[], at: number): Promise<void> {
		if (!ids.length) return;
		await this.db.sqlTransaction(tx =>
			tx.run(`UPDATE outbox SET published_at = $1, attempts = attempts + 1 WHERE ${this.idsClause("$2")}`, [at, this.idsParam(ids)])
		);
	}

	/** Counts a try that did not get through (operators see it in `attempts`). */
	async markFailedAttempt(ids: readonly number[]): Promise<void> {
		if (!ids.length) return;
		await this.db.sqlTransaction(tx => tx.run(`UPDATE outbox SET attempts = attempts + 1 WHERE ${this.idsClause("$1")}`, [this.idsParam(ids)]));
	}

	/** Unpublished events and the age of the oldest one (0 when none wait). */
	async lag(now: number): Promise<{ pending: number; seconds: number }> {
		const [row] = await this.db.sql.all<{ n: unknown; oldest: unknown }>("SELECT COUNT(*) AS n, MIN(occurred_at) AS oldest FROM outbox WHERE published_at IS NULL");
		const pending = Number(row?.n ?? 0);
		const oldest = row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest);
		return { pending, seconds: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000) };
	}

	/** Deletes up to `limit` events published before `before`, and inbox ids handled before it. */
	async prune(before: number, limit: number): Promise<{ outbox: number; inbox: number }> {
		return this.db.sqlTransaction(async tx => ({
			outbox: await tx.run("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE published_at < $1 ORDER BY id LIMIT $2)", [before, limit]),
			inbox: await tx.run(
				"DELETE FROM event_inbox WHERE (handler, event_id) IN (SELECT handler, event_id FROM event_inbox WHERE processed_at < $1 LIMIT $2)",
				[before, limit]
			)
		}));
	}
}
