import { randomUUID } from "node:crypto";
import type { Database, SqlRunner } from "../db/database";
import type { DomainEvent } from "../events/outbox";

/** The events a webhook may subscribe to (each is delivered by the handler of that event). */
export const WEBHOOK_EVENTS = ["WorkflowExecutionStarted", "WorkflowExecutionCompleted", "WorkflowExecutionFailed"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookRecord {
	id: string;
	owner_id: string;
	workflow_id: string;
	url: string;
	events: WebhookEvent[];
	secret: string;
	description: string | null;
	status: "active" | "disabled";
	created_at: number;
	updated_at: number;
}

export const DELIVERY_STATUSES = ["pending", "delivered", "failed", "cancelled"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface AttemptLogEntry {
	attempt: number;
	at: string;
	status_code: number | null;
	error: string | null;
	duration_ms: number | null;
}

export interface DeliveryRecord {
	id: string;
	webhook_id: string;
	owner_id: string;
	event_id: string;
	event_type: string;
	execution_id: string | null;
	payload: string;
	status: DeliveryStatus;
	attempts: number;
	next_attempt_at: number | null;
	created_at: number;
	last_attempt_at: number | null;
	delivered_at: number | null;
	last_status_code: number | null;
	last_error: string | null;
	attempt_log: AttemptLogEntry[];
}

const nullable = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toWebhook(r: Record<string, unknown>): WebhookRecord {
	return {
		id: String(r.id),
		owner_id: String(r.owner_id),
		workflow_id: String(r.workflow_id),
		url: String(r.url),
		events: JSON.parse(String(r.events)) as WebhookEvent[],
		secret: String(r.secret),
		description: (r.description as string | null) ?? null,
		status: r.status as WebhookRecord["status"],
		created_at: Number(r.created_at),
		updated_at: Number(r.updated_at)
	};
}

function toDelivery(r: Record<string, unknown>): DeliveryRecord {
	return {
		id: String(r.id),
		webhook_id: String(r.webhook_id),
		owner_id: String(r.owner_id),
		event_id: String(r.event_id),
		event_type: String(r.event_type),
		execution_id: (r.execution_id as string | null) ?? null,
		payload: String(r.payload),
		status: r.status as DeliveryStatus,
		attempts: Number(r.attempts),
		next_attempt_at: nullable(r.next_attempt_at),
		created_at: Number(r.created_at),
		last_attempt_at: nullable(r.last_attempt_at),
		delivered_at: nullable(r.delivered_at),
		last_status_code: nullable(r.last_status_code),
		last_error: (r.last_error as string | null) ?? null,
		attempt_log: JSON.parse(String(r.attempt_log)) as AttemptLogEntry[]
	};
}

/**
 * Queues one delivery per active webhook of the event's workflow that subscribed to the
 * event, inside the handler's transaction (so exactly once per webhook and event).
 */
export async function queueDeliveries(tx: SqlRunner, event: DomainEvent, now: number): Promise<number> {
	const owner = event.owner_id;
	const workflow = event.workflow_id;
	if (typeof owner !== "string" || typeof workflow !== "string") return 0;
	const hooks = (await tx.all<Record<string, unknown>>("SELECT id, events FROM webhooks WHERE owner_id = $1 AND workflow_id = $2 AND status = 'active'", [owner, workflow])).filter(h =>
		(JSON.parse(String(h.events)) as string[]).includes(event.event_type)
	);
	let queued = 0;
	const payload = JSON.stringify(event);
	for (const h of hooks) {
		queued += await tx.run(
			`INSERT INTO webhook_deliveries (id, webhook_id, owner_id, event_id, event_type, execution_id, payload, status, attempts, next_attempt_at, created_at, attempt_log)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8, '[]') ON CONFLICT (webhook_id, event_id) DO NOTHING`,
			[randomUUID(), String(h.id), owner, event.event_id, event.event_type, typeof event.execution_id === "string" ? event.execution_id : null, payload, now]
		);
	}
	return queued;
}

export class WebhookStore {
	constructor(private readonly db: Database) {}

	async create(w: WebhookRecord): Promise<void> {
		await this.db.sqlTransaction(tx =>
			tx.run(
				"INSERT INTO webhooks (id, owner_id, workflow_id, url, events, secret, description, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
				[w.id, w.owner_id, w.workflow_id, w.url, JSON.stringify(w.events), w.secret, w.description, w.status, w.created_at, w.updated_at]
			)
		);
	}

	async get(id: string): Promise<WebhookRecord | null> {
		const [row] = await this.db.sql.all<Record<string, unknown>>("SELECT * FROM webhooks WHERE id = $1", [id]);
		return row ? toWebhook(row) : null;
	}

	async list(filter: { ownerId?: string; workflowId?: string }, page: number, pageSize: number): Promise<{ rows: WebhookRecord[]; total: number }> {
		const where: string[] = [];
		const bind: unknown[] = [];
		if (filter.ownerId) where.push(`owner_id = $${bind.push(filter.ownerId)}`);
		if (filter.workflowId) where.push(`workflow_id = $${bind.push(filter.workflowId)}`);
		const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
		const [count] = await this.db.sql.all<{ n: unknown }>(`SELECT COUNT(*) AS n FROM webhooks ${clause}`, bind);
		const rows = await this.db.sql.all<Record<string, unknown>>(
			`SELECT * FROM webhooks ${clause} ORDER BY created_at DESC, id LIMIT ${Math.floor(pageSize)} OFFSET ${Math.floor((page - 1) * pageSize)}`,
			bind
		);
		return { rows: rows.map(toWebhook), total: Number(count.n) };
	}

	async update(id: string, changes: Partial<Pick<WebhookRecord, "url" | "events" | "description" | "status" | "secret">>, now: number): Promise<void> {
		const columns = Object.keys(changes) as (keyof typeof changes)[];
		if (!columns.length) return;
		const value = (c: keyof typeof changes) => (c === "events" ? JSON.stringify(changes.events) : changes[c]);
		await this.db.sqlTransaction(tx =>
			tx.run(`UPDATE webhooks SET ${columns.map((c, i) => `${c} = $${i + 3}`).join(", ")}, updated_at = $2 WHERE id = $1`, [id, now, ...columns.map(value)])
		);
	}

	/** Deletes the webhook and (by cascade) its delivery log. */
	async remove(id: string): Promise<void> {
		await this.db.sqlTransaction(async tx => {
			await tx.run("DELETE FROM webhook_deliveries WHERE webhook_id = $1", [id]);
			await tx.run("DELETE FROM webhooks WHERE id = $1", [id]);
		});
	}

	// ---------------------------------------------------------------- deliveries

	async deliveries(webhookId: string, status: DeliveryStatus | undefined, page: number, pageSize: number): Promise<{ rows: DeliveryRecord[]; total: number }> {
		const statusClause = status ? " AND status = $2" : "";
		const bind = status ? [webhookId, status] : [webhookId];
		const [count] = await this.db.sql.all<{ n: unknown }>(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = $1${statusClause}`, bind);
		const rows = await this.db.sql.all<Record<string, unknown>>(
			`SELECT * FROM webhook_deliveries WHERE webhook_id = $1${statusClause} ORDER BY created_at DESC, id LIMIT ${Math.floor(pageSize)} OFFSET ${Math.floor((page - 1) * pageSize)}`,
			bind
		);
		return { rows: rows.map(toDelivery), total: Number(count.n) };
	}

	/**
	 * Takes up to `limit` due deliveries for this node: each counts its try and is hidden
	 * until `leaseUntil`, so a node that dies mid-send leaves it to be tried again then.
	 * PostgreSQL skips rows another node is taking; SQLite has one writer anyway.
	 */
	async claimDue(now: number, leaseUntil: number, limit: number): Promise<DeliveryRecord[]> {
		const skipLocked = this.db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
		const rows = await this.db.sqlTransaction(tx =>
			tx.all<Record<string, unknown>>(
				`UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = $2, last_attempt_at = $1
				WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $3${skipLocked})
				RETURNING *`,
				[now, leaseUntil, limit]
			)
		);
		return rows.map(toDelivery);
	}

	/**
	 * Records the outcome of try `attempt` (ignored when another try has taken the delivery
	 * since): `next` is when to try again, or null to stop with `status`.
	 */
	async recordAttempt(d: DeliveryRecord, entry: AttemptLogEntry, outcome: { status: DeliveryStatus; next: number | null; at: number }): Promise<void> {
		const log = [...d.attempt_log, entry].slice(-50);
		await this.db.sqlTransaction(tx =>
			tx.run(
				`UPDATE webhook_deliveries SET status = $3, next_attempt_at = $4, last_status_code = $5, last_error = $6, attempt_log = $7, delivered_at = $8
				WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
				[d.id, d.attempts, outcome.status, outcome.next, entry.status_code, entry.error, JSON.stringify(log), outcome.status === "delivered" ? outcome.at : null]
			)
		);
	}

	/** Sends a finished delivery again from its first try (the owner asked for it). */
	async redeliver(id: string, now: number): Promise<boolean> {
		return (
			(await this.db.sqlTransaction(tx =>
				tx.run("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2 WHERE id = $1 AND status IN ('failed', 'delivered', 'cancelled')", [id, now])
			)) === 1
		);
	}

	async delivery(id: string): Promise<DeliveryRecord | null> {
		const [row] = await this.db.sql.all<Record<string, unknown>>("SELECT * FROM webhook_deliveries WHERE id = $1", [id]);
		return row ? toDelivery(row) : null;
	}
}
