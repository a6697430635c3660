import { lockKey, type Database, type SqlRunner } from "../db/database";
import { Filter, selectPage } from "../db/filter";
import type { StepRef } from "./types";

/**
 * Events and the waits for them (the engine's other SQL, beside ./store.ts): events are
 * rows, deduplicated by id per owner; a `wait_for_event` step is a waiting step row with
 * the event's name, its match and since when events count; a signal is an event addressed
 * to one run, kept until a wait of that run takes it.
 */

type Transaction = SqlRunner;
type Raw = Record<string, unknown>;

export type EventSource = "api" | "webhook" | "signal";

/** A run an event started (or joined, debounced, or queued). */
export interface EventRun {
	execution_id: string;
	workflow_id: string;
	workflow_version: string;
	status: "started" | "queued" | "debounced";
}

/** Why a matching workflow did not start: inputs that do not fit its declarations, a filter that failed, a full queue. */
export interface EventProblem {
	workflow_id: string;
	workflow_version: string;
	type: string;
	message: string;
	detail?: unknown;
}

export interface EventRow {
	seq: number;
	id: string;
	owner_id: string;
	name: string;
	data: unknown;
	source: EventSource;
	hook_id: string | null;
	execution_id: string | null;
	consumed_by: string | null;
	runs: EventRun[];
	problems: EventProblem[];
	/** The waits it completed. */
	delivered_to: StepRef[];
	received_at: number;
}

/** An event as a trigger's filter and a wait's match see it (`event`), and as a wait_for_event step outputs it. */
export interface EventView {
	id: string;
	name: string;
	data: unknown;
	received_at: string;
}

export function eventView(e: Pick<EventRow, "id" | "name" | "data" | "received_at">): EventView {
	return { id: e.id, name: e.name, data: e.data, received_at: new Date(e.received_at).toISOString() };
}

/** A waiting step of some run, as an event is offered to it. */
export interface EventWait extends StepRef {
	owner_id: string;
	wait_match: string | null;
	wait_since: number | null;
}

/** Namespace of the event names' advisory locks (two-int form). */
const EVENT_LOCK_CLASS = 19;

function toEvent(r: Raw): EventRow {
	const parse = <T>(v: unknown, fallback: T): T => (v === null || v === undefined ? fallback : (JSON.parse(String(v)) as T));
	return {
		seq: Number(r.seq),
		id: String(r.id),
		owner_id: String(r.owner_id),
		name: String(r.name),
		data: parse(r.data, null),
		source: r.source as EventSource,
		hook_id: (r.hook_id as string | null) ?? null,
		execution_id: (r.execution_id as string | null) ?? null,
		consumed_by: (r.consumed_by as string | null) ?? null,
		runs: parse(r.runs, []),
		problems: parse(r.problems, []),
		delivered_to: parse(r.delivered_to, []),
		received_at: Number(r.received_at)
	};
}

export class EventStore {
	constructor(private readonly db: Database) {}

	/**
	 * Serializes, across the cluster, an event of one owner and name against a wait for it
	 * beginning (`as: "wait"` takes the lock exclusively, `as: "event"` shared): each sees
	 * the other, so an event is never missed by a wait that began before it committed,
	 * while events of one name do not wait for each other. SQLite's writes are serial already.
	 */
	async lockName(tx: Transaction, ownerId: string, name: string, as: "event" | "wait"): Promise<void> {
		if (this.db.dialect !== "postgres") return;
		const fn = as === "event" ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock";
		await tx.run(`SELECT ${fn}(${EVENT_LOCK_CLASS}, $1)`, [lockKey(`${ownerId}\u0000${name}`)]);
	}

	/** Stores a new event; null when the owner already has an event with this id (a duplicate). */
	async insert(tx: Transaction, e: Omit<EventRow, "seq" | "consumed_by" | "runs" | "problems" | "delivered_to">): Promise<number | null> {
		const [row] = await tx.all<{ seq: number | string }>(
			`INSERT INTO events (id, owner_id, name, data, source, hook_id, execution_id, runs, problems, delivered_to, received_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', '[]', '[]', $8) ON CONFLICT (owner_id, id) DO NOTHING RETURNING seq`,
			[e.id, e.owner_id, e.name, JSON.stringify(e.data ?? null), e.source, e.hook_id, e.execution_id, e.received_at]
		);
		return row ? Number(row.seq) : null;
	}

	async byId(ownerId: string, id: string, tx?: Transaction): Promise<EventRow | null> {
		const [row] = await (tx ?? this.db.sql).all<Raw>("SELECT * FROM events WHERE owner_id = $1 AND id = $2", [ownerId, id]);
		return row ? toEvent(row) : null;
	}

	/** What the event did: the runs it started, the problems of those it could not, the waits it completed. */
	async setOutcome(tx: Transaction, seq: number, outcome: { runs: EventRun[]; problems: EventProblem[]; delivered_to: StepRef[] }): Promise<void> {
		await tx.run("UPDATE events SET runs = $2, problems = $3, delivered_to = $4 WHERE seq = $1", [
			seq,
			JSON.stringify(outcome.runs),
			JSON.stringify(outcome.problems),
			JSON.stringify(outcome.delivered_to)
		]);
	}

	/** A stored event completed a wait that began after it (a signal kept for its run, or `since: run_start`). */
	async addDelivered(tx: Transaction, e: EventRow, to: StepRef, consume: boolean): Promise<boolean> {
		const delivered = JSON.stringify([...e.delivered_to, { execution_id: to.execution_id, step_id: to.step_id }]);
		const consumed = consume ? ", consumed_by = $3" : "";
		const changed = await tx.run(`UPDATE events SET delivered_to = $2${consumed} WHERE seq = $1${consume ? " AND consumed_by IS NULL" : ""}`, [
			e.seq,
			delivered,
			...(consume ? [`${to.execution_id}/${to.step_id}`] : [])
		]);
		return changed === 1;
	}

	async consume(tx: Transaction, seq: number, by: StepRef): Promise<boolean> {
		return (await tx.run("UPDATE events SET consumed_by = $2 WHERE seq = $1 AND consumed_by IS NULL", [seq, `${by.execution_id}/${by.step_id}`])) === 1;
	}

	/** Steps waiting for this owner's event `name` (only `executionId`'s for a signal), oldest wait first. */
	async waitsFor(tx: Transaction, ownerId: string, name: string, executionId: string | null, limit: number): Promise<EventWait[]> {
		const bind: unknown[] = [ownerId, name];
		const only = executionId ? ` AND s.execution_id = $${bind.push(executionId)}` : "";
		const rows = await tx.all<Raw>(
			`SELECT s.execution_id, s.step_id, s.wait_match, s.wait_since, e.owner_id FROM step_runs s JOIN executions e ON e.id = s.execution_id
			WHERE s.waiting_for = 'event' AND s.wait_event = $2 AND s.status = 'running' AND e.owner_id = $1${only}
			ORDER BY s.started_at, s.execution_id, s.position LIMIT ${Math.floor(limit)}`,
			bind
		);
		return rows.map(r => ({
			execution_id: String(r.execution_id),
			step_id: String(r.step_id),
			owner_id: String(r.owner_id),
			wait_match: (r.wait_match as string | null) ?? null,
			wait_since: r.wait_since === null || r.wait_since === undefined ? null : Number(r.wait_since)
		}));
	}

	/**
	 * Stored events a wait that begins now may take, oldest first: signals to its run not yet
	 * taken, and (with `since`) the owner's events of that name received since then.
	 */
	async storedFor(tx: Transaction, ownerId: string, name: string, executionId: string, since: number | null, limit: number): Promise<EventRow[]> {
		const signals = await tx.all<Raw>(`SELECT * FROM events WHERE execution_id = $1 AND name = $2 AND consumed_by IS NULL ORDER BY seq LIMIT ${Math.floor(limit)}`, [executionId, name]);
		const events =
			since === null
				? []
				: await tx.all<Raw>(`SELECT * FROM events WHERE owner_id = $1 AND name = $2 AND execution_id IS NULL AND received_at >= $3 ORDER BY seq LIMIT ${Math.floor(limit)}`, [
						ownerId,
						name,
						since
					]);
		return [...signals, ...events].map(toEvent).sort((a, b) => a.seq - b.seq);
	}

	/** The running attempt now waits for an event, holding no worker; null when the caller no longer holds the attempt. */
	async setWaiting(
		tx: Transaction,
		ref: StepRef,
		fence: { leaseOwner: string; attempt: number },
		wait: { event: string; match: string | null; since: number | null; dueAt: number | null }
	): Promise<boolean> {
		const changed = await tx.run(
			`UPDATE step_runs SET waiting_for = 'event', due_at = $3, wait_event = $4, wait_match = $5, wait_since = $6, lease_owner = NULL, lease_expires_at = NULL
			WHERE execution_id = $1 AND step_id = $2 AND status = 'running' AND waiting_for IS NULL AND lease_owner = $7 AND attempts = $8`,
			[ref.execution_id, ref.step_id, wait.dueAt, wait.event, wait.match, wait.since, fence.leaseOwner, fence.attempt]
		);
		return changed === 1;
	}

	/** An owner's events (all owners' for admins), newest first. */
	async list(filter: { ownerId?: string; name?: string; source?: string; executionId?: string }, page: { pageSize: number; offset: number }): Promise<{ rows: EventRow[]; total: number }> {
		const where = new Filter().add("owner_id = ?", filter.ownerId).add("name = ?", filter.name).add("source = ?", filter.source).add("execution_id = ?", filter.executionId);
		const { rows, total } = await selectPage<Raw>(this.db.sql, "events", where, "seq DESC", page);
		return { rows: rows.map(toEvent), total };
	}
}
