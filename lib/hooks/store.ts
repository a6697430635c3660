import type { Database } from "../db/database";
import { Filter, selectPage } from "../db/filter";
import type { HookSchemeName } from "./scheme";

/** An inbound webhook: POSTs to its URL become events named `event` of its owner, once verified. */
export interface HookRecord {
	id: string;
	owner_id: string;
	event: string;
	verify: HookSchemeName;
	secret: string | null;
	/** The secret before the last rotation, still accepted until `previous_until` (ms). */
	previous_secret: string | null;
	previous_until: number | null;
	description: string | null;
	created_at: number;
	updated_at: number;
}

type Raw = Record<string, unknown>;

function toHook(r: Raw): HookRecord {
	return {
		id: String(r.id),
		owner_id: String(r.owner_id),
		event: String(r.event),
		verify: r.verify as HookSchemeName,
		secret: (r.secret as string | null) ?? null,
		previous_secret: (r.previous_secret as string | null) ?? null,
		previous_until: r.previous_until === null || r.previous_until === undefined ? null : Number(r.previous_until),
		description: (r.description as string | null) ?? null,
		created_at: Number(r.created_at),
		updated_at: Number(r.updated_at)
	};
}

/** The secrets a request may be signed with now: the current one, and the one before a rotation during its grace period. */
export function validSecrets(hook: HookRecord, now: number): string[] {
	const out = hook.secret ? [hook.secret] : [];
	if (hook.previous_secret && (hook.previous_until ?? 0) > now) out.push(hook.previous_secret);
	return out;
}

/** The event_hooks table. */
export class HookStore {
	constructor(private readonly db: Database) {}

	async create(h: HookRecord): Promise<void> {
		await this.db.sqlTransaction(tx =>
			tx.run(
				"INSERT INTO event_hooks (id, owner_id, event, verify, secret, previous_secret, previous_until, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
				[h.id, h.owner_id, h.event, h.verify, h.secret, h.previous_secret, h.previous_until, h.description, h.created_at, h.updated_at]
			)
		);
	}

	async get(id: string): Promise<HookRecord | null> {
		const [row] = await this.db.sql.all<Raw>("SELECT * FROM event_hooks WHERE id = $1", [id]);
		return row ? toHook(row) : null;
	}

	async list(ownerId: string | undefined, page: { pageSize: number; offset: number }): Promise<{ rows: HookRecord[]; total: number }> {
		const { rows, total } = await selectPage<Raw>(this.db.sql, "event_hooks", new Filter().add("owner_id = ?", ownerId), "created_at DESC, id", page);
		return { rows: rows.map(toHook), total };
	}

	/** A new secret; the old one stays valid until `previousUntil`. */
	async rotate(id: string, secret: string, previous: string | null, previousUntil: number, now: number): Promise<void> {
		await this.db.sqlTransaction(tx =>
			tx.run("UPDATE event_hooks SET secret = $2, previous_secret = $3, previous_until = $4, updated_at = $5 WHERE id = $1", [id, secret, previous, previous ? previousUntil : null, now])
		);
	}

	async remove(id: string): Promise<void> {
		await this.db.sqlTransaction(tx => tx.run("DELETE FROM event_hooks WHERE id = $1", [id]));
	}
}
