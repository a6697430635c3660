import type { Database, SqlRunner } from "../db/database";
import { HEADERS } from "./headers";

export type DeadLetterStatus = "retrying" | "dead" | "replayed" | "discarded";
export const DEAD_LETTER_STATUSES: readonly DeadLetterStatus[] = ["retrying", "dead", "replayed", "discarded"];

/**
 * An event a handler could not handle. With RabbitMQ it reached the dead-letter queue
 * (the archiver keeps it here, with the headers it carried); in-process, the delivery
 * records it here directly, first as `retrying` (its next try is due at
 * `next_attempt_at`), then `dead` once its tries are used up.
 */
export interface DeadLetterRecord {
	id: string;
	handler: string;
	event_id: string | null;
	event_type: string | null;
	payload: string;
	headers: Record<string, unknown>;
	error_message: string;
	error_type: string;
	attempts: number;
	status: DeadLetterStatus;
	next_attempt_at: number | null;
	failed_at: number;
	replayed_at: number | null;
	replay_count: number;
}

export interface DeadLetterFilter {
	handler?: string;
	event_type?: string;
	status?: DeadLetterStatus;
}

const COLUMNS = "id, handler, event_id, event_type, payload, headers, error_message, error_type, attempts, status, next_attempt_at, failed_at, replayed_at, replay_count";

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toRecord(r: Record<string, unknown>): DeadLetterRecord {
	return {
		id: String(r.id),
		handler: String(r.handler),
		event_id: (r.event_id as string | null) ?? null,
		event_type: (r.event_type as string | null) ?? null,
		payload: String(r.payload),
		headers: JSON.parse(String(r.headers)) as Record<string, unknown>,
		error_message: String(r.error_message),
		error_type: String(r.error_type),
		attempts: Number(r.attempts),
		status: r.status as DeadLetterStatus,
		next_attempt_at: num(r.next_attempt_at),
		failed_at: Number(r.failed_at),
		replayed_at: num(r.replayed_at),
		replay_count: Number(r.replay_count)
	};
}

export class DeadLetterStore {
	constructor(private readonly db: Database) {}

	/** Keeps a dead letter once: the archiver may see the same message twice. */
	async insert(d: Omit<DeadLetterRecord, "replayed_at" | "replay_count">, tx?: SqlRunner): Promise<boolean> {
		const write = (sql: SqlRunner) =>
			sql.run(
				`INSERT INTO dead_letters (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, 0) ON CONFLICT (id) DO NOTHING`,
				[d.id, d.handler, d.event_id, d.event_type, d.payload, JSON.stringify(d.headers), d.error_message, d.error_type, d.attempts, d.status, d.next_attempt_at, d.failed_at]
			);
		return (await (tx ? write(tx) : this.db.sqlTransaction(write))) === 1;
	}

	async get(id: string): Promise<DeadLetterRecord | null> {
		const [row] = await this.db.sql.all(`SELECT ${COLUMNS} FROM dead_letters WHERE id = $1`, [id]);
		return row ? toRecord(row) : null;
	}

	async list(filter: DeadLetterFilter, page: number, pageSize: number): Promise<{ rows: DeadLetterRecord[]; total: number }> {
		const where: string[] = [];
		const bind: unknown[] = [];
		if (filter.handler) where.push(`handler = $${bind.push(filter.handler)}`);
		if (filter.event_type) where.push(`event_type = $${bind.push(filter.event_type)}`);
		if (filter.status) where.push(`status = $${bind.push(filter.status)}`);
		const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
		const [count] = await this.db.sql.all<{ n: unknown }>(`SELECT COUNT(*) AS n FROM dead_letters ${clause}`, bind);
		const rows = await this.db.sql.all(
			`SELECT ${COLUMNS} FROM dead_letters ${clause} ORDER BY failed_at DESC, id LIMIT ${Math.floor(pageSize)} OFFSET ${Math.floor((page - 1) * pageSize)}`,
			bind
		);
		return { rows: rows.map(toRecord), total: Number(count.n) };
	}

	/** Ids of dead letters a bulk replay takes, oldest first. */
	async replayable(filter: Omit<DeadLetterFilter, "status">, limit: number): Promise<string[]> {
		const where = ["status = 'dead'"];
		const bind: unknown[] = [];
		if (filter.handler) where.push(`handler = $${bind.push(filter.handler)}`);
		if (filter.event_type) where.push(`event_type = $${bind.push(filter.event_type)}`);
		const rows = await this.db.sql.all<{ id: string }>(`SELECT id FROM dead_letters WHERE ${where.join(" AND ")} ORDER BY failed_at LIMIT ${Math.floor(limit)}`, bind);
		return rows.map(r => r.id);
	}

	/** Moves a dead letter to `to` if it is still in `from` (of two concurrent replays, one wins). */
	async transition(id: string, from: DeadLetterStatus, to: DeadLetterStatus, now: number): Promise<boolean> {
		const replayed = to === "replayed";
		return (
			(await this.db.sqlTransaction(tx =>
				tx.run(
					`UPDATE dead_letters SET status = $3${replayed ? ", replayed_at = $4, replay_count = replay_count + 1" : ""} WHERE id = $1 AND status = $2`,
					replayed ? [id, from, to, now] : [id, from, to]
				)
			)) === 1
		);
	}

	// ---------------------------------------------------------------- in-process retries

	/** In-process deliveries whose next try is due. */
	async dueRetries(now: number, limit: number): Promise<DeadLetterRecord[]> {
		const rows = await this.db.sql.all(`SELECT ${COLUMNS} FROM dead_letters WHERE status = 'retrying' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`, [now, limit]);
		return rows.map(toRecord);
	}

	/** A retry failed again: count it and set the next try, or give up (`nextAttemptAt` null: dead). */
	async retryFailed(d: DeadLetterRecord, attempts: number, error: { message: string; type: string }, nextAttemptAt: number | null, now: number): Promise<void> {
		const headers = { ...d.headers, [HEADERS.attempts]: attempts, [HEADERS.errorMessage]: error.message, [HEADERS.errorType]: error.type, [HEADERS.failedAt]: new Date(now).toISOString() };
		await this.db.sqlTransaction(tx =>
			tx.run(
				"UPDATE dead_letters SET attempts = $2, error_message = $3, error_type = $4, status = $5, next_attempt_at = $6, failed_at = $7, headers = $8 WHERE id = $1 AND status = 'retrying'",
				[d.id, attempts, error.message, error.type, nextAttemptAt === null ? "dead" : "retrying", nextAttemptAt, now, JSON.stringify(headers)]
			)
		);
	}

	/** A retry got through (or found the event already handled): the record has served its purpose. */
	async retrySucceeded(id: string): Promise<void> {
		await this.db.sqlTransaction(tx => tx.run("DELETE FROM dead_letters WHERE id = $1 AND status = 'retrying'", [id]));
	}
}
