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
