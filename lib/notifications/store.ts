import type { Database, SqlRunner } from "../db/database";
import type { NotificationRecord } from "../events/handler";

export type { NotificationRecord };

const COLUMNS = "id, user_id, kind, title, message, event_id, event_type, workflow_id, execution_id, data, created_at, read_at";

function toRecord(r: Record<string, unknown>): NotificationRecord {
	return {
		id: String(r.id),
		user_id: String(r.user_id),
		kind: r.kind as NotificationRecord["kind"],
		title: String(r.title),
		message: String(r.message),
		event_id: String(r.event_id),
		event_type: String(r.event_type),
		workflow_id: (r.workflow_id as string | null) ?? null,
		execution_id: (r.execution_id as string | null) ?? null,
		data: JSON.parse(String(r.data)) as Record<string, unknown>,
		created_at: Number(r.created_at),
		read_at: r.read_at === null || r.read_at === undefined ? null : Number(r.read_at)
	};
}

/** As the API shows it: ISO times. */
export function notificationView(n: NotificationRecord): Record<string, unknown> {
	return { ...n, created_at: new Date(n.created_at).toISOString(), read_at: n.read_at === null ? null : new Date(n.read_at).toISOString() };
}

export async function insertNotification(tx: SqlRunner, n: NotificationRecord): Promise<void> {
	await tx.run(`INSERT INTO notifications (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
		n.id,
		n.user_id,
		n.kind,
		n.title,
		n.message,
		n.event_id,
		n.event_type,
		n.workflow_id,
		n.execution_id,
		JSON.stringify(n.data),
		n.created_at,
		n.read_at
	]);
}

/** A user's notifications (their inbox in the product, newest first). */
export class NotificationStore {
	constructor(private readonly db: Database) {}

	async list(userId: string, unreadOnly: boolean, page: number, pageSize: number): Promise<{ rows: NotificationRecord[]; total: number; unread: number }> {
		const unreadClause = unreadOnly ? " AND read_at IS NULL" : "";
		const [count] = await this.db.sql.all<{ n: unknown }>(`SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1${unreadClause}`, [userId]);
		const [unread] = await this.db.sql.all<{ n: unknown }>("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL", [userId]);
		const rows = await this.db.sql.all<Record<string, unknown>>(
			`SELECT ${COLUMNS} FROM notifications WHERE user_id = $1${unreadClause} ORDER BY created_at DESC, id LIMIT ${Math.floor(pageSize)} OFFSET ${Math.floor((page - 1) * pageSize)}`,
			[userId]
		);
		return { rows: rows.map(toRecord), total: Number(count.n), unread: Number(unread.n) };
	}

	async get(id: string): Promise<NotificationRecord | null> {
		const [row] = await this.db.sql.all<Record<string, unknown>>(`SELECT ${COLUMNS} FROM notifications WHERE id = $1`, [id]);
		return row ? toRecord(row) : null;
	}

	/** Marks one of the user's notifications read (once: the first read time stays). */
	async markRead(userId: string, id: string, now: number): Promise<boolean> {
		return (await this.db.sqlTransaction(tx => tx.run("UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL", [id, userId, now]))) === 1;
	}

	async markAllRead(userId: string, now: number): Promise<number> {
		return this.db.sqlTransaction(tx => tx.run("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL", [userId, now]));
	}
}
