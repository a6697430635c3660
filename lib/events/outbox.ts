import { randomUUID } from "node:crypto";
import type { SqlRunner } from "../db/database";

/**
 * A domain event as the bus carries it: flat JSON with `event_id`, `occurred_at`
 * (ISO time) and ids as strings; the event type is also the RabbitMQ routing key.
 */
export interface DomainEvent {
	event_id: string;
	event_type: string;
	occurred_at: string;
	aggregate_type: string;
	aggregate_id: string;
	[field: string]: unknown;
}

export function domainEvent(type: string, aggregate: { type: string; id: string }, fields: Record<string, unknown>, now = Date.now()): DomainEvent {
	return {
		...fields,
		event_id: randomUUID(),
		event_type: type,
		occurred_at: new Date(now).toISOString(),
		aggregate_type: aggregate.type,
		aggregate_id: aggregate.id
	};
}

/**
 * Writes events into the outbox inside the caller's transaction, so an event exists
 * exactly when the state change it describes was committed.
 */
export async function appendToOutbox(sql: SqlRunner, events: DomainEvent[]): Promise<void> {
	if (events.length === 0) return;
	const insert = outboxInsert(events, 0);
	await sql.run(insert.sql, insert.values);
}

/** The INSERT of `events` into the outbox, its binds numbered from `offset + 1` (to join a larger statement). */
export function outboxInsert(events: DomainEvent[], offset: number): { sql: string; values: unknown[] } {
	const values: unknown[] = [];
	const rows = events.map((e, i) => {
		const base = offset + i * 6;
		values.push(e.event_id, e.event_type, e.aggregate_type, e.aggregate_id, JSON.stringify(e), Date.parse(e.occurred_at));
		return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, 0)`;
	});
	return { sql: `INSERT INTO outbox (event_id, event_type, aggregate_type, aggregate_id, payload, occurred_at, attempts) VALUES ${rows.join(", ")}`, values };
}

/** One outbox row as operators see it (the payload stays in the table). */
export interface OutboxEntry {
	id: number;
	event_id: string;
	event_type: string;
	aggregate_type: string;
	aggregate_id: string;
	occurred_at: number;
	published_at: number | null;
	attempts: number;
}

export interface OutboxView {
	/** Rows not yet published, and when the oldest of them happened (ms), for lag. */
	pending: number;
	oldest_pending_at: number | null;
	entries: OutboxEntry[];
}

/** The newest outbox rows (all, or only unpublished ones, optionally of one event type) with the size of the backlog. */
export async function readOutbox(sql: SqlRunner, filter: { pendingOnly?: boolean; eventType?: string; limit: number }): Promise<OutboxView> {
	const [backlog] = await sql.all<{ n: number | string; oldest: number | string | null }>(
		"SELECT COUNT(*) AS n, MIN(occurred_at) AS oldest FROM outbox WHERE published_at IS NULL"
	);
	const where: string[] = [];
	const bind: unknown[] = [];
	if (filter.pendingOnly) where.push("published_at IS NULL");
	if (filter.eventType) where.push(`event_type = $${bind.push(filter.eventType)}`);
	const rows = await sql.all<Record<string, unknown>>(
		`SELECT id, event_id, event_type, aggregate_type, aggregate_id, occurred_at, published_at, attempts FROM outbox
		${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ${Math.floor(filter.limit)}`,
		bind
	);
	// PostgreSQL returns BIGINT columns as strings.
	const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
	return {
		pending: Number(backlog?.n ?? 0),
		oldest_pending_at: num(backlog?.oldest),
		entries: rows.map(r => ({
			id: Number(r.id),
			event_id: String(r.event_id),
			event_type: String(r.event_type),
			aggregate_type: String(r.aggregate_type),
			aggregate_id: String(r.aggregate_id),
			occurred_at: Number(r.occurred_at),
			published_at: num(r.published_at),
			attempts: Number(r.attempts)
		}))
	};
}
