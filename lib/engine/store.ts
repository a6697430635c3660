import type { Database, SqlRunner } from "../db/database";
import { Filter, selectPage } from "../db/filter";
import { outboxInsert, type DomainEvent } from "../events/outbox";
import { addUsage, type ExecutionRow, type StepRef, type StepRunRow, type StepStatus, type Usage, type WaitingFor } from "./types";

/**
 * Every SQL statement of the engine, one small function each, written once for both
 * SQLite and PostgreSQL (`$n` binds, RETURNING). Rows come back typed: JSON columns
 * parsed, BIGINT millisecond times as numbers.
 */

type Raw = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/** A JSON column (stored as text), parsed; null when empty. */
export const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (JSON.parse(String(v)) as T));
const text = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export function toExecution(r: Raw): ExecutionRow {
	return {
		id: String(r.id),
		owner_id: String(r.owner_id),
		workflow_ref: String(r.workflow_ref),
		workflow_id: String(r.workflow_id),
		workflow_version: String(r.workflow_version),
		status: r.status as ExecutionRow["status"],
		trigger: String(r.trigger),
		inputs: json(r.inputs) ?? {},
		outputs: json(r.outputs),
		error: json(r.error),
		total_steps: Number(r.total_steps),
		finished_steps: Number(r.finished_steps),
		active_steps: Number(r.active_steps),
		max_parallel: Number(r.max_parallel),
		event_seq: Number(r.event_seq),
		idempotency_key: (r.idempotency_key as string | null) ?? null,
		parent_execution_id: (r.parent_execution_id as string | null) ?? null,
		parent_step_id: (r.parent_step_id as string | null) ?? null,
		root_execution_id: (r.root_execution_id as string | null) ?? null,
		depth: Number(r.depth ?? 0),
		tree_size: Number(r.tree_size ?? 1),
		tree_usage: json(r.tree_usage),
		usage: json(r.usage),
		budget: json(r.budget),
		traceparent: (r.traceparent as string | null) ?? null,
		priority: Number(r.priority ?? 0),
		flow: json(r.flow),
		event_id: (r.event_id as string | null) ?? null,
		forked_from: (r.forked_from as string | null) ?? null,
		retention_ms: r.retention_ms === null || r.retention_ms === undefined ? null : Number(r.retention_ms),
		created_at: Number(r.created_at),
		started_at: num(r.started_at),
		completed_at: num(r.completed_at),
		updated_at: Number(r.updated_at)
	};
}

export function toStepRun(r: Raw): StepRunRow {
	return {
		execution_id: String(r.execution_id),
		step_id: String(r.step_id),
		position: Number(r.position),
		type: String(r.type),
		status: r.status as StepStatus,
		pending_deps: Number(r.pending_deps),
		ready_at: num(r.ready_at),
		attempts: Number(r.attempts),
		max_attempts: Number(r.max_attempts),
		recoveries: Number(r.recoveries),
		lease_owner: (r.lease_owner as string | null) ?? null,
		lease_expires_at: num(r.lease_expires_at),
		waiting_for: (r.waiting_for as WaitingFor | null) ?? null,
		due_at: num(r.due_at),
		approval: json(r.approval),
		child_execution_id: (r.child_execution_id as string | null) ?? null,
		wait_event: (r.wait_event as string | null) ?? null,
		wait_match: (r.wait_match as string | null) ?? null,
		wait_since: num(r.wait_since),
		output: json(r.output),
		error: json(r.error),
		usage: json(r.usage),
		started_at: num(r.started_at),
		completed_at: num(r.completed_at)
	};
}

export const EXECUTION_COLUMNS = [
	"id",
	"owner_id",
	"workflow_ref",
	"workflow_id",
	"workflow_version",
	"status",
	"trigger",
	"inputs",
	"outputs",
	"error",
	"total_steps",
	"finished_steps",
	"active_steps",
	"max_parallel",
	"event_seq",
	"idempotency_key",
	"parent_execution_id",
	"parent_step_id",
	"root_execution_id",
	"depth",
	"tree_size",
	"tree_usage",
	"usage",
	"budget",
	"traceparent",
	"priority",
	"flow",
	"event_id",
	"forked_from",
	"retention_ms",
	"created_at",
	"started_at",
	"completed_at",
	"updated_at"
] as const;

export const STEP_COLUMNS = [
	"execution_id",
	"step_id",
	"position",
	"type",
	"status",
	"pending_deps",
	"ready_at",
	"attempts",
	"max_attempts",
	"recoveries",
	"lease_owner",
	"lease_expires_at",
	"waiting_for",
	"due_at",
	"approval",
	"child_execution_id",
	"wait_event",
	"wait_match",
	"wait_since",
	"output",
	"error",
	"usage",
	"started_at",
	"completed_at"
] as const;

const JSON_COLUMNS = new Set(["inputs", "outputs", "error", "usage", "tree_usage", "budget", "approval", "output", "flow"]);

function columnValue(row: Record<string, unknown>, column: string): unknown {
	const v = row[column];
	return JSON_COLUMNS.has(column) ? text(v) : (v ?? null);
}

/** `($1, $2, …), (…)` for `rows` of `width` values, binding from `offset`. */
function placeholders(rows: number, width: number, offset = 0): string {
	const out: string[] = [];
	for (let r = 0; r < rows; r++) {
		const cells: string[] = [];
		for (let c = 0; c < width; c++) cells.push(`$${offset + r * width + c + 1}`);
		out.push(`(${cells.join(", ")})`);
	}
	return out.join(", ");
}

function inList(values: readonly unknown[], offset: number): string {
	return values.map((_, i) => `$${offset + i + 1}`).join(", ");
}

/** A statement runner inside a transaction (`Database.sqlTransaction`). */
type Transaction = SqlRunner;

/** Tokens and USD held against a budget by LLM calls in flight. */
export interface Reservation {
	tokens: number;
	cost_usd: number;
}

/**
 * A tree's spending, limits and reservations, as `lockBudget` reads them for one step:
 * the root's budget covers every execution of its tree, so the spending, the limits and
 * what calls in flight hold are the root's (the same row when the step's execution is a root).
 */
export interface BudgetState {
	/** The step's execution's status. */
	status: ExecutionRow["status"];
	/** What the whole tree has spent. */
	usage: Usage | null;
	/** The root's limits. */
	budget: ExecutionRow["budget"];
	/** Held by all the tree's calls in flight. */
	reserved: Reservation;
	/** Held by the calls of one step. */
	step_reserved: Reservation;
	root_id: string;
	/** What the step's own execution has spent (shown on it). */
	own_usage: Usage | null;
	/** Whose the step's execution is, and of which workflow (its spend is counted under them). */
	owner_id: string;
	workflow_id: string;
}

/** What proves the caller still owns a running step: its lease (owner and attempt), or what it waits for. */
export type Fence = { leaseOwner: string; attempt: number } | { waitingFor: WaitingFor; childExecutionId?: string };
export type StepResult = { status: StepStatus; output?: unknown; error?: unknown; usage?: Usage | null; approval?: unknown };

/** The fenced UPDATE that ends a running step (binds from $1: execution, step, …). */
function finishStatement(ref: StepRef, fence: Fence, result: StepResult, now: number): { sql: string; bind: unknown[] } {
	const bind: unknown[] = [ref.execution_id, ref.step_id, result.status, text(result.output ?? null), text(result.error ?? null), text(result.usage ?? null), now];
	let fenceSql: string;
	if ("leaseOwner" in fence) {
		bind.push(fence.leaseOwner, fence.attempt);
		fenceSql = "waiting_for IS NULL AND lease_owner = $8 AND attempts = $9";
	} else {
		bind.push(fence.waitingFor);
		fenceSql = "waiting_for = $8";
		if (fence.childExecutionId) {
			bind.push(fence.childExecutionId);
			fenceSql += " AND child_execution_id = $9";
		}
	}
	let approvalSql = "";
	if (result.approval !== undefined) {
		bind.push(text(result.approval));
		approvalSql = `, approval = $${bind.length}`;
	}
	return {
		// A result without usage keeps what earlier attempts of the step spent.
		sql: `UPDATE step_runs SET status = $3, output = $4, error = $5, usage = COALESCE($6, usage), completed_at = $7,
				lease_owner = NULL, lease_expires_at = NULL, waiting_for = NULL, due_at = NULL, ready_at = NULL, wait_event = NULL, wait_match = NULL${approvalSql}
			WHERE execution_id = $1 AND step_id = $2 AND status = 'running' AND ${fenceSql}
			RETURNING *`,
		bind
	};
}

export class EngineStore {
	constructor(private readonly db: Database) {}

	private select(sql: string, bind: unknown[], transaction?: Transaction): Promise<Raw[]> {
		return (transaction ?? this.db.sql).all<Raw>(sql, bind);
	}

	private async run(sql: string, bind: unknown[], transaction?: Transaction): Promise<void> {
		await (transaction ?? this.db.sql).run(sql, bind);
	}

	async insertExecution(tx: Transaction, row: ExecutionRow): Promise<void> {
		await this.run(
			`INSERT INTO executions (${EXECUTION_COLUMNS.join(", ")}) VALUES ${placeholders(1, EXECUTION_COLUMNS.length)}`,
			EXECUTION_COLUMNS.map(c => columnValue(row as unknown as Record<string, unknown>, c)),
			tx
		);
	}

	async insertStepRuns(tx: Transaction, rows: StepRunRow[]): Promise<void> {
		// Chunks keep each statement well under SQLite's bound-parameter limit.
		for (let i = 0; i < rows.length; i += 200) {
			const chunk = rows.slice(i, i + 200);
			await this.run(
				`INSERT INTO step_runs (${STEP_COLUMNS.join(", ")}) VALUES ${placeholders(chunk.length, STEP_COLUMNS.length)}`,
				chunk.flatMap(row => STEP_COLUMNS.map(c => columnValue(row as unknown as Record<string, unknown>, c))),
				tx
			);
		}
	}

	async execution(id: string, tx?: Transaction): Promise<ExecutionRow | null> {
		const [row] = await this.select("SELECT * FROM executions WHERE id = $1", [id], tx);
		return row ? toExecution(row) : null;
	}

	async executionByIdempotencyKey(ownerId: string, key: string, tx?: Transaction): Promise<ExecutionRow | null> {
		const [row] = await this.select("SELECT * FROM executions WHERE owner_id = $1 AND idempotency_key = $2", [ownerId, key], tx);
		return row ? toExecution(row) : null;
	}

	async stepRuns(executionId: string, tx?: Transaction): Promise<StepRunRow[]> {
		return (await this.select("SELECT * FROM step_runs WHERE execution_id = $1 ORDER BY position", [executionId], tx)).map(toStepRun);
	}

	async stepRun(ref: StepRef, tx?: Transaction): Promise<StepRunRow | null> {
		const [row] = await this.select("SELECT * FROM step_runs WHERE execution_id = $1 AND step_id = $2", [ref.execution_id, ref.step_id], tx);
		return row ? toStepRun(row) : null;
	}

	/** Recorded outputs (and statuses) of some steps of an execution. */
	async outputs(executionId: string, stepIds: readonly string[], tx?: Transaction): Promise<Map<string, { status: StepStatus; output: unknown }>> {
		const out = new Map<string, { status: StepStatus; output: unknown }>();
		if (stepIds.length === 0) return out;
		const rows = await this.select(
			`SELECT step_id, status, output FROM step_runs WHERE execution_id = $1 AND step_id IN (${inList(stepIds, 1)})`,
			[executionId, ...stepIds],
			tx
		);
		for (const r of rows) out.set(String(r.step_id), { status: r.status as StepStatus, output: json(r.output) });
		return out;
	}

	/**
	 * Takes ready steps for `owner`: each becomes running with a lease, one attempt more.
	 * A step another node took first is simply not returned.
	 */
	async claim(tx: Transaction, executionId: string, stepIds: readonly string[], owner: string, leaseUntil: number, now: number): Promise<StepRunRow[]> {
		if (stepIds.length === 0) return [];
		const rows = await this.select(
			`UPDATE step_runs SET status = 'running', attempts = attempts + 1, lease_owner = $2, lease_expires_at = $3,
				started_at = COALESCE(started_at, $4), ready_at = NULL
			WHERE execution_id = $1 AND step_id IN (${inList(stepIds, 4)}) AND status = 'pending' AND ready_at IS NOT NULL AND ready_at <= $4
			RETURNING *`,
			[executionId, owner, leaseUntil, now, ...stepIds],
			tx
		);
		return rows.map(toStepRun).sort((a, b) => a.position - b.position);
	}

	/** Claims ready steps and locks their execution: one statement on PostgreSQL. */
	async claimAndLock(
		tx: Transaction,
		executionId: string,
		stepIds: readonly string[],
		owner: string,
		leaseUntil: number,
		now: number
	): Promise<{ claimed: StepRunRow[]; execution: ExecutionRow | null }> {
		if (this.db.dialect !== "postgres") {
			const claimed = await this.claim(tx, executionId, stepIds, owner, leaseUntil, now);
			return { claimed, execution: claimed.length ? await this.lockExecution(tx, executionId, "sqlite") : null };
		}
		const [row] = await this.select(
			`WITH c AS (UPDATE step_runs SET status = 'running', attempts = attempts + 1, lease_owner = $2, lease_expires_at = $3,
					started_at = COALESCE(started_at, $4), ready_at = NULL
				WHERE execution_id = $1 AND step_id IN (${inList(stepIds, 4)}) AND status = 'pending' AND ready_at IS NOT NULL AND ready_at <= $4
				RETURNING *),
			ex AS (SELECT * FROM executions WHERE id = $1 AND EXISTS (SELECT 1 FROM c) FOR UPDATE)
			SELECT (SELECT COALESCE(json_agg(row_to_json(x)), '[]'::json) FROM c x) AS claimed, (SELECT row_to_json(e) FROM ex e) AS execution`,
			[executionId, owner, leaseUntil, now, ...stepIds],
			tx
		);
		return {
			claimed: (row.claimed as Raw[]).map(toStepRun).sort((a, b) => a.position - b.position),
			execution: row.execution ? toExecution(row.execution as Raw) : null
		};
	}

	/**
	 * Ends a running step, but only if it is still the attempt the caller holds: its lease
	 * (owner and attempt number) or what it was waiting for. A late result from a node
	 * that lost its lease changes nothing and returns null.
	 */
	async finish(tx: Transaction, ref: StepRef, fence: Fence, result: StepResult, now: number): Promise<StepRunRow | null> {
		const { sql, bind } = finishStatement(ref, fence, result, now);
		const [row] = await this.select(sql, bind, tx);
		return row ? toStepRun(row) : null;
	}

	/**
	 * A step ends well: record it (fenced like `finish`), take one dependency off each
	 * dependent, and lock the execution. On PostgreSQL this is one statement (one round
	 * trip); SQLite runs the three in turn. Null when the fence did not hold.
	 */
	async finishAndRelease(
		tx: Transaction,
		ref: StepRef,
		fence: Fence,
		result: StepResult,
		dependents: readonly string[],
		now: number
	): Promise<{ finished: StepRunRow; execution: ExecutionRow | null; unblocked: string[] } | null> {
		if (this.db.dialect !== "postgres") {
			const finished = await this.finish(tx, ref, fence, result, now);
			if (!finished) return null;
			const execution = await this.lockExecution(tx, ref.execution_id, "sqlite");
			return { finished, execution, unblocked: await this.releaseDependents(tx, ref.execution_id, dependents) };
		}
		const { sql, bind } = finishStatement(ref, fence, result, now);
		const released = dependents.length
			? `UPDATE step_runs SET pending_deps = pending_deps - 1
				WHERE execution_id = $1 AND step_id IN (${inList(dependents, bind.length)}) AND status = 'pending' AND EXISTS (SELECT 1 FROM fin)
				RETURNING step_id, pending_deps`
			: "SELECT NULL::text AS step_id, 0 AS pending_deps WHERE false";
		const [row] = await this.select(
			`WITH fin AS (${sql}),
			rel AS (${released}),
			ex AS (SELECT * FROM executions WHERE id = $1 AND EXISTS (SELECT 1 FROM fin) FOR UPDATE)
			SELECT (SELECT row_to_json(f) FROM fin f) AS finished,
				(SELECT row_to_json(e) FROM ex e) AS execution,
				(SELECT COALESCE(json_agg(r.step_id), '[]'::json) FROM rel r WHERE r.pending_deps = 0) AS unblocked`,
			[...bind, ...dependents],
			tx
		);
		if (!row?.finished) return null;
		return {
			finished: toStepRun(row.finished as Raw),
			execution: row.execution ? toExecution(row.execution as Raw) : null,
			unblocked: row.unblocked as string[]
		};
	}

	/**
	 * After a transition's decisions: make `ready` steps ready, claim `local` of them for
	 * this node (never run before: their attempt becomes 1), apply the execution's changes
	 * and append its events. One statement on PostgreSQL.
	 */
	async advance(
		tx: Transaction,
		executionId: string,
		claim: { ready: readonly string[]; local: readonly string[]; owner: string; leaseUntil: number; now: number },
		changes: Partial<ExecutionRow>,
		events: DomainEvent[]
	): Promise<StepRunRow[]> {
		if (this.db.dialect !== "postgres") {
			const claimed = await this.readyAndClaim(tx, executionId, claim.ready, claim.local, claim.owner, claim.leaseUntil, claim.now);
			await this.commitExecution(tx, executionId, changes, events);
			return claimed;
		}
		const columns = Object.keys(changes).filter(c => (EXECUTION_COLUMNS as readonly string[]).includes(c) && c !== "id");
		const bind: unknown[] = [executionId, ...columns.map(c => columnValue(changes as Record<string, unknown>, c))];
		const parts: string[] = [];
		if (columns.length) parts.push(`changed AS (UPDATE executions SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(", ")} WHERE id = $1 RETURNING 1)`);
		if (events.length) {
			const insert = outboxInsert(events, bind.length);
			bind.push(...insert.values);
			parts.push(`appended AS (${insert.sql} RETURNING 1)`);
		}
		let claimed = "SELECT * FROM step_runs WHERE false";
		if (claim.ready.length) {
			const first = bind.length;
			bind.push(claim.owner, claim.leaseUntil, claim.now);
			const [owner, until, now] = [`$${first + 1}`, `$${first + 2}`, `$${first + 3}`];
			const local = claim.local.length ? `step_id IN (${inList(claim.local, bind.length)})` : "false";
			bind.push(...claim.local);
			const all = inList(claim.ready, bind.length);
			bind.push(...claim.ready);
			claimed = `UPDATE step_runs SET
				status = CASE WHEN ${local} THEN 'running' ELSE status END,
				attempts = CASE WHEN ${local} THEN attempts + 1 ELSE attempts END,
				lease_owner = CASE WHEN ${local} THEN ${owner} ELSE lease_owner END,
				lease_expires_at = CASE WHEN ${local} THEN ${until}::bigint ELSE lease_expires_at END,
				started_at = CASE WHEN ${local} THEN COALESCE(started_at, ${now}::bigint) ELSE started_at END,
				ready_at = CASE WHEN ${local} THEN NULL ELSE ${now}::bigint END
			WHERE execution_id = $1 AND step_id IN (${all}) AND status = 'pending'
			RETURNING *`;
		}
		const rows = await this.select(`${parts.length ? `WITH ${parts.join(", ")} ` : ""}${claimed}`, bind, tx);
		return rows.map(toStepRun).filter(r => r.status === "running").sort((a, b) => a.position - b.position);
	}

	/** A failed attempt with attempts left: back to pending, ready again at `readyAt`, with what the step has spent so far. */
	async scheduleRetry(
		tx: Transaction,
		ref: StepRef,
		fence: { leaseOwner: string; attempt: number },
		error: unknown,
		readyAt: number,
		usage: Usage | null = null
	): Promise<StepRunRow | null> {
		const [row] = await this.select(
			`UPDATE step_runs SET status = 'pending', ready_at = $3, error = $4, usage = COALESCE($7, usage), lease_owner = NULL, lease_expires_at = NULL
			WHERE execution_id = $1 AND step_id = $2 AND status = 'running' AND waiting_for IS NULL AND lease_owner = $5 AND attempts = $6
			RETURNING *`,
			[ref.execution_id, ref.step_id, readyAt, text(error), fence.leaseOwner, fence.attempt, text(usage)],
			tx
		);
		return row ? toStepRun(row) : null;
	}

	/** A running attempt that now waits (approval, timer, sub-workflow) and holds no worker. */
	async wait(
		tx: Transaction,
		ref: StepRef,
		fence: { leaseOwner: string; attempt: number },
		waitingFor: WaitingFor,
		dueAt: number | null,
		childExecutionId: string | null
	): Promise<StepRunRow | null> {
		const [row] = await this.select(
			`UPDATE step_runs SET waiting_for = $3, due_at = $4, child_execution_id = $5, lease_owner = NULL, lease_expires_at = NULL
			WHERE execution_id = $1 AND step_id = $2 AND status = 'running' AND waiting_for IS NULL AND lease_owner = $6 AND attempts = $7
			RETURNING *`,
			[ref.execution_id, ref.step_id, waitingFor, dueAt, childExecutionId, fence.leaseOwner, fence.attempt],
			tx
		);
		return row ? toStepRun(row) : null;
	}

	/** An approved step that was waiting to start: pending and ready again, its waiting attempt not counted. */
	async approveToRun(tx: Transaction, ref: StepRef, approval: unknown, now: number): Promise<StepRunRow | null> {
		const [row] = await this.select(
			`UPDATE step_runs SET status = 'pending', ready_at = $3, approval = $4, waiting_for = NULL, due_at = NULL, attempts = attempts - 1
			WHERE execution_id = $1 AND step_id = $2 AND status = 'running' AND waiting_for = 'approval'
			RETURNING *`,
			[ref.execution_id, ref.step_id, now, text(approval)],
			tx
		);
		return row ? toStepRun(row) : null;
	}

	/** Unfinished children of an execution that no step row names (an agent's workflow tools). */
	async unfinishedChildren(tx: Transaction, parentId: string): Promise<string[]> {
		const rows = await this.select("SELECT id FROM executions WHERE parent_execution_id = $1 AND status IN ('pending', 'running')", [parentId], tx);
		return rows.map(r => String(r.id));
	}

	/** Whether an agent step has begun its journal (then an approval it waits for is a tool call's). */
	async hasAgentJournal(ref: StepRef, tx?: Transaction): Promise<boolean> {
		const rows = await this.select("SELECT 1 AS one FROM agent_journal WHERE execution_id = $1 AND step_id = $2 LIMIT 1", [ref.execution_id, ref.step_id], tx);
		return rows.length > 0;
	}

	/** One dependency of each of `stepIds` is done; returns those now waiting on nothing. */
	async releaseDependents(tx: Transaction, executionId: string, stepIds: readonly string[]): Promise<string[]> {
		if (stepIds.length === 0) return [];
		const rows = await this.select(
			`UPDATE step_runs SET pending_deps = pending_deps - 1
			WHERE execution_id = $1 AND step_id IN (${inList(stepIds, 1)}) AND status = 'pending'
			RETURNING step_id, pending_deps`,
			[executionId, ...stepIds],
			tx
		);
		return rows.filter(r => Number(r.pending_deps) === 0).map(r => String(r.step_id));
	}

	/** Steps waiting on nothing that were held back by the execution's parallel limit, in definition order. */
	async throttled(tx: Transaction, executionId: string, limit: number): Promise<string[]> {
		if (limit <= 0) return [];
		const rows = await this.select(
			`SELECT step_id FROM step_runs WHERE execution_id = $1 AND status = 'pending' AND pending_deps = 0 AND ready_at IS NULL ORDER BY position LIMIT ${Math.floor(limit)}`,
			[executionId],
			tx
		);
		return rows.map(r => String(r.step_id));
	}

	/**
	 * Makes `stepIds` ready and, in the same statement, claims `local` of them for this
	 * node (running, leased, one attempt more). Returns the claimed rows.
	 */
	async readyAndClaim(tx: Transaction, executionId: string, stepIds: readonly string[], local: readonly string[], owner: string, leaseUntil: number, now: number): Promise<StepRunRow[]> {
		if (stepIds.length === 0) return [];
		if (local.length === 0) {
			await this.markReady(tx, executionId, stepIds, now);
			return [];
		}
		const isLocal = `step_id IN (${inList(local, 4)})`;
		const rows = await this.select(
			`UPDATE step_runs SET
				status = CASE WHEN ${isLocal} THEN 'running' ELSE status END,
				attempts = CASE WHEN ${isLocal} THEN attempts + 1 ELSE attempts END,
				lease_owner = CASE WHEN ${isLocal} THEN $2 ELSE lease_owner END,
				lease_expires_at = CASE WHEN ${isLocal} THEN $3 ELSE lease_expires_at END,
				started_at = CASE WHEN ${isLocal} THEN COALESCE(started_at, $4) ELSE started_at END,
				ready_at = CASE WHEN ${isLocal} THEN NULL ELSE $4 END
			WHERE execution_id = $1 AND step_id IN (${inList(stepIds, 4 + local.length)}) AND status = 'pending'
			RETURNING *`,
			[executionId, owner, leaseUntil, now, ...local, ...stepIds],
			tx
		);
		return rows.map(toStepRun).filter(r => r.status === "running").sort((a, b) => a.position - b.position);
	}

	async markReady(tx: Transaction, executionId: string, stepIds: readonly string[], readyAt: number): Promise<void> {
		if (stepIds.length === 0) return;
		await this.run(
			`UPDATE step_runs SET ready_at = $2 WHERE execution_id = $1 AND step_id IN (${inList(stepIds, 2)}) AND status = 'pending'`,
			[executionId, readyAt, ...stepIds],
			tx
		);
	}

	/** Ends every unfinished step of an execution (it failed or was cancelled); returns them as they were. */
	async cancelUnfinished(tx: Transaction, executionId: string, now: number): Promise<{ step_id: string; child_execution_id: string | null }[]> {
		const rows = await this.select(
			`UPDATE step_runs SET status = 'cancelled', completed_at = $2, lease_owner = NULL, lease_expires_at = NULL, ready_at = NULL, waiting_for = NULL, due_at = NULL, wait_event = NULL, wait_match = NULL
			WHERE execution_id = $1 AND status IN ('pending', 'running')
			RETURNING step_id, child_execution_id`,
			[executionId, now],
			tx
		);
		return rows.map(r => ({ step_id: String(r.step_id), child_execution_id: (r.child_execution_id as string | null) ?? null }));
	}

	/** Locks the execution row for this transaction and returns it. */
	async lockExecution(tx: Transaction, id: string, dialect: "sqlite" | "postgres"): Promise<ExecutionRow | null> {
		const [row] = await this.select(`SELECT * FROM executions WHERE id = $1${dialect === "postgres" ? " FOR UPDATE" : ""}`, [id], tx);
		return row ? toExecution(row) : null;
	}

	/** The execution's changes and its events in the outbox: one statement on PostgreSQL, two on SQLite. */
	async commitExecution(tx: Transaction, id: string, changes: Partial<ExecutionRow>, events: DomainEvent[]): Promise<void> {
		const columns = Object.keys(changes).filter(c => (EXECUTION_COLUMNS as readonly string[]).includes(c) && c !== "id");
		const update = `UPDATE executions SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(", ")} WHERE id = $1`;
		const updateValues = [id, ...columns.map(c => columnValue(changes as Record<string, unknown>, c))];
		if (this.db.dialect === "postgres" && columns.length && events.length) {
			const insert = outboxInsert(events, updateValues.length);
			await this.run(`WITH changed AS (${update} RETURNING 1) ${insert.sql}`, [...updateValues, ...insert.values], tx);
			return;
		}
		if (columns.length) await this.run(update, updateValues, tx);
		if (events.length) {
			const insert = outboxInsert(events, 0);
			await this.run(insert.sql, insert.values, tx);
		}
	}

	/**
	 * The budget state of a step's tree, the rows of its execution and of its root locked
	 * for this transaction (child first, then root: the order completions lock them in).
	 * Null when there is no such execution.
	 */
	async lockBudget(tx: Transaction, ref: StepRef): Promise<BudgetState | null> {
		const pg = this.db.dialect === "postgres";
		const columns = "status, usage, tree_usage, budget, root_execution_id, reserved_tokens, reserved_cost_usd, owner_id, workflow_id";
		let row: Record<string, unknown> | undefined;
		let step: Record<string, unknown> | undefined;
		if (pg) {
			// Read after the lock is held: a row joined to one whose lock was waited for would be the version from before the wait.
			[row] = await this.select(`SELECT ${columns} FROM executions WHERE id = $1 FOR UPDATE`, [ref.execution_id], tx);
			if (row) [step] = await this.select("SELECT reserved_tokens, reserved_cost_usd FROM step_runs WHERE execution_id = $1 AND step_id = $2", [ref.execution_id, ref.step_id], tx);
		} else {
			// One writer at a time: the step's share comes with its execution's row, in one statement.
			[row] = await this.select(
				`SELECT ${columns.replace(/(\w+)/g, "e.$1")}, s.reserved_tokens AS step_reserved_tokens, s.reserved_cost_usd AS step_reserved_cost_usd
				FROM executions e LEFT JOIN step_runs s ON s.execution_id = e.id AND s.step_id = $2 WHERE e.id = $1`,
				[ref.execution_id, ref.step_id],
				tx
			);
			step = row && { reserved_tokens: row.step_reserved_tokens, reserved_cost_usd: row.step_reserved_cost_usd };
		}
		if (!row) return null;
		const rootId = (row.root_execution_id as string | null) ?? ref.execution_id;
		const [root] = rootId === ref.execution_id ? [row] : await this.select(`SELECT ${columns} FROM executions WHERE id = $1${pg ? " FOR UPDATE" : ""}`, [rootId], tx);
		if (!root) return null;
		return {
			status: row.status as ExecutionRow["status"],
			// A root from before trees were counted has spent what its own usage says.
			usage: json(root.tree_usage) ?? json(root.usage),
			budget: json(root.budget),
			reserved: { tokens: Number(root.reserved_tokens ?? 0), cost_usd: Number(root.reserved_cost_usd ?? 0) },
			step_reserved: { tokens: Number(step?.reserved_tokens ?? 0), cost_usd: Number(step?.reserved_cost_usd ?? 0) },
			root_id: rootId,
			own_usage: json(row.usage),
			owner_id: String(row.owner_id),
			workflow_id: String(row.workflow_id)
		};
	}

	/**
	 * Sets what calls in flight hold, on the tree's root and on the step, and (when a call
	 * answered) charges what it spent to the step's execution and to its tree. The rows
	 * must be locked by `lockBudget`.
	 */
	async setBudget(tx: Transaction, ref: StepRef, state: BudgetState, reserved: Reservation, stepReserved: Reservation, spent?: Usage | null): Promise<void> {
		const bind: unknown[] = [state.root_id, reserved.tokens, reserved.cost_usd];
		// A root's own usage is on the row that holds the tree's: one statement for both.
		const own = spent && state.root_id === ref.execution_id;
		if (spent) bind.push(text(addUsage(state.usage, spent)));
		if (own) bind.push(text(addUsage(state.own_usage, spent)));
		await this.run(`UPDATE executions SET reserved_tokens = $2, reserved_cost_usd = $3${spent ? ", tree_usage = $4" : ""}${own ? ", usage = $5" : ""} WHERE id = $1`, bind, tx);
		if (spent && !own) await this.run("UPDATE executions SET usage = $2 WHERE id = $1", [ref.execution_id, text(addUsage(state.own_usage, spent))], tx);
		await this.run("UPDATE step_runs SET reserved_tokens = $3, reserved_cost_usd = $4 WHERE execution_id = $1 AND step_id = $2", [ref.execution_id, ref.step_id, stepReserved.tokens, stepReserved.cost_usd], tx);
	}

	async updateExecution(tx: Transaction, id: string, changes: Partial<ExecutionRow>): Promise<void> {
		const columns = Object.keys(changes).filter(c => (EXECUTION_COLUMNS as readonly string[]).includes(c) && c !== "id");
		if (columns.length === 0) return;
		await this.run(
			`UPDATE executions SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(", ")} WHERE id = $1`,
			[id, ...columns.map(c => columnValue(changes as Record<string, unknown>, c))],
			tx
		);
	}

	/** Re-arms the unfinished steps of a failed execution (retry from where it failed); `ready` ones may start now. */
	async resetForRetry(tx: Transaction, executionId: string, steps: readonly { step_id: string; pending_deps: number }[], ready: ReadonlySet<string>, now: number): Promise<void> {
		for (const step of steps) {
			await this.run(
				`UPDATE step_runs SET status = 'pending', attempts = 0, recoveries = 0, error = NULL, output = NULL, approval = NULL, child_execution_id = NULL,
					started_at = NULL, completed_at = NULL, lease_owner = NULL, lease_expires_at = NULL, waiting_for = NULL, due_at = NULL,
					wait_event = NULL, wait_match = NULL, wait_since = NULL, pending_deps = $3, ready_at = $4
				WHERE execution_id = $1 AND step_id = $2`,
				[executionId, step.step_id, step.pending_deps, ready.has(step.step_id) ? now : null],
				tx
			);
		}
	}

	/** Gives running attempts of this owner back to the cluster (the node is draining); the attempt is not counted. */
	async releaseLeases(tx: Transaction, refs: readonly StepRef[], owner: string, now: number): Promise<number> {
		let released = 0;
		for (const ref of refs) {
			const rows = await this.select(
				`UPDATE step_runs SET status = 'pending', ready_at = $3, lease_owner = NULL, lease_expires_at = NULL, attempts = attempts - 1
				WHERE execution_id = $1 AND step_id = $2 AND status = 'running' AND waiting_for IS NULL AND lease_owner = $4 RETURNING step_id`,
				[ref.execution_id, ref.step_id, now, owner],
				tx
			);
			released += rows.length;
		}
		return released;
	}

	/** The owners of running attempts whose lease has not lapsed yet (at most one per live node, and the dead ones not yet recovered). */
	async runningLeaseOwners(now: number): Promise<string[]> {
		const rows = await this.select(
			"SELECT DISTINCT lease_owner FROM step_runs WHERE status = 'running' AND waiting_for IS NULL AND lease_owner IS NOT NULL AND lease_expires_at >= $1",
			[now]
		);
		return rows.map(r => String(r.lease_owner));
	}

	/**
	 * Makes the running attempts of `owners` (nodes known to be gone) lapse at `at`, so that
	 * `recoverExpired` takes them now rather than when their leases would have run out.
	 * Returns how many it made lapse; rows another transaction holds are left for the next sweep.
	 */
	async expireLeasesOf(tx: Transaction, owners: readonly string[], at: number, limit: number): Promise<number> {
		if (!owners.length) return 0;
		if (this.db.dialect === "postgres") {
			const rows = await this.select(
				`UPDATE step_runs SET lease_expires_at = $2 WHERE (execution_id, step_id) IN (
					SELECT execution_id, step_id FROM step_runs WHERE status = 'running' AND waiting_for IS NULL AND lease_owner = ANY($1::text[]) AND lease_expires_at > $2
					LIMIT ${Math.floor(limit)} FOR UPDATE SKIP LOCKED)
				RETURNING step_id`,
				[[...owners], at],
				tx
			);
			return rows.length;
		}
		const rows = await this.select(
			`UPDATE step_runs SET lease_expires_at = $2 WHERE rowid IN (
				SELECT rowid FROM step_runs WHERE status = 'running' AND waiting_for IS NULL AND lease_owner IN (SELECT value FROM json_each($1)) AND lease_expires_at > $2
				LIMIT ${Math.floor(limit)})
			RETURNING step_id`,
			[JSON.stringify(owners), at],
			tx
		);
		return rows.length;
	}

	/** Gives back running attempts whose lease lapsed (their node died): pending again, the lost attempt not counted. */
	async recoverExpired(tx: Transaction, now: number, maxRecoveries: number, limit: number): Promise<(StepRunRow & { lost_owner: string | null; held_budget: boolean })[]> {
		// Rows a node holds locked (one frozen inside a transaction) are skipped, not waited for: the next sweep takes them.
		const candidates = await this.select(
			`SELECT execution_id, step_id, lease_owner FROM step_runs WHERE status = 'running' AND waiting_for IS NULL AND lease_expires_at < $1
			ORDER BY lease_expires_at LIMIT ${Math.floor(limit)}${this.db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : ""}`,
			[now],
			tx
		);
		const out: (StepRunRow & { lost_owner: string | null; held_budget: boolean })[] = [];
		for (const c of candidates) {
			const [row] = await this.select(
				`UPDATE step_runs SET status = 'pending', ready_at = $3, lease_owner = NULL, lease_expires_at = NULL, attempts = attempts - 1, recoveries = recoveries + 1
				WHERE execution_id = $1 AND step_id = $2 AND status = 'running' AND waiting_for IS NULL AND lease_expires_at < $3 AND recoveries < $4
				RETURNING *`,
				[c.execution_id, c.step_id, now, maxRecoveries],
				tx
			);
			if (row) out.push({ ...toStepRun(row), lost_owner: (c.lease_owner as string | null) ?? null, held_budget: Number(row.reserved_tokens ?? 0) > 0 || Number(row.reserved_cost_usd ?? 0) > 0 });
		}
		return out;
	}

	/** Running attempts whose lease lapsed too many times: they fail rather than loop. */
	async exhaustedRecoveries(now: number, maxRecoveries: number, limit: number): Promise<StepRunRow[]> {
		return (
			await this.select(
				`SELECT * FROM step_runs WHERE status = 'running' AND waiting_for IS NULL AND lease_expires_at < $1 AND recoveries >= $2 LIMIT ${Math.floor(limit)}`,
				[now, maxRecoveries]
			)
		).map(toStepRun);
	}

	/** Ready steps nobody has taken since `before` (their message was lost, or retries came due). */
	async readyBefore(before: number, limit: number): Promise<StepRef[]> {
		const rows = await this.select(
			`SELECT execution_id, step_id FROM step_runs WHERE status = 'pending' AND ready_at IS NOT NULL AND ready_at <= $1 ORDER BY ready_at LIMIT ${Math.floor(limit)}`,
			[before]
		);
		return rows.map(r => ({ execution_id: String(r.execution_id), step_id: String(r.step_id) }));
	}

	/** Waits that came due: timers to fire, approvals and event waits that timed out. */
	async dueWaits(now: number, limit: number): Promise<(StepRef & { waiting_for: WaitingFor })[]> {
		const rows = await this.select(
			`SELECT execution_id, step_id, waiting_for FROM step_runs WHERE status = 'running' AND waiting_for IN ('timer', 'approval', 'event') AND due_at <= $1 ORDER BY due_at LIMIT ${Math.floor(limit)}`,
			[now]
		);
		return rows.map(r => ({ execution_id: String(r.execution_id), step_id: String(r.step_id), waiting_for: r.waiting_for as WaitingFor }));
	}

	/** Steps still waiting for a child execution that has already ended (a safety net; normally settled in the child's transaction). */
	async settledSubWorkflows(limit: number): Promise<(StepRef & { child_execution_id: string })[]> {
		const rows = await this.select(
			`SELECT s.execution_id, s.step_id, s.child_execution_id FROM step_runs s JOIN executions c ON c.id = s.child_execution_id
			WHERE s.status = 'running' AND s.waiting_for = 'sub_workflow' AND c.status IN ('completed', 'failed', 'cancelled') LIMIT ${Math.floor(limit)}`,
			[]
		);
		return rows.map(r => ({ execution_id: String(r.execution_id), step_id: String(r.step_id), child_execution_id: String(r.child_execution_id) }));
	}

	/** Counts one more execution in a tree, unless it has `max` already; false when refused. Locks the root's row. */
	async growTree(tx: Transaction, rootId: string, max: number): Promise<boolean> {
		const rows = await this.select("UPDATE executions SET tree_size = tree_size + 1 WHERE id = $1 AND tree_size < $2 RETURNING tree_size", [rootId, max], tx);
		return rows.length === 1;
	}

	/**
	 * A user's root runs that are running, counted up to `limit` (a scan of at most that many
	 * entries of the covering partial index kept for it, migration 0009: SQLite's planner,
	 * without statistics, would pick the index of every running execution and read each
	 * row), and whether runs wait on the user's running-cap key. One statement.
	 */
	async runningAdmission(tx: Transaction, ownerId: string, limit: number, key: string): Promise<{ running: number; waiting: boolean }> {
		const index = this.db.dialect === "sqlite" ? " INDEXED BY executions_running_roots" : "";
		const [row] = await this.select(
			`SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM executions${index} WHERE owner_id = $1 AND status = 'running' AND parent_execution_id IS NULL LIMIT ${Math.floor(limit)}) t) AS running,
				(SELECT COUNT(*) FROM (SELECT 1 FROM flow_slots WHERE key = $2 AND state = 'queued' LIMIT 1) w) AS waiting`,
			[ownerId, key],
			tx
		);
		return { running: Number(row.running), waiting: Number(row.waiting) > 0 };
	}

	/** Executions of an owner (all owners for admins), newest first. */
	async listExecutions(filter: { ownerId?: string; workflowId?: string; status?: string }, page: { pageSize: number; offset: number }): Promise<{ rows: ExecutionRow[]; total: number }> {
		const where = new Filter().add("owner_id = ?", filter.ownerId).add("workflow_id = ?", filter.workflowId).add("status = ?", filter.status);
		const { rows, total } = await selectPage<Raw>(this.db.sql, "executions", where, "created_at DESC, id", page);
		return { rows: rows.map(toExecution), total };
	}

}
