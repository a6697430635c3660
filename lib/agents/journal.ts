/**
 * An agent step's journal: what its attempts have finished, in order. Each model turn is
 * appended in the transaction that charges it, each tool call in the transaction that
 * records its result, fenced by the step's lease (owner and attempt): a node that lost the
 * lease appends nothing. A resumed attempt replays the journal instead of asking again.
 */
import type { Database, SqlRunner } from "../db/database";
import type { ChatMessage, TokenUsage, ToolCall } from "../llm/types";

/** The conversation as it began: a thread's earlier messages, then the step's prompt. */
export interface StartEntry {
	kind: "start";
	messages: ChatMessage[];
	/** The thread continued (and saved when the step completes); null without one. */
	thread: string | null;
}

/** A model turn: what it said and which tools it asked for, with what it cost. */
export interface TurnEntry {
	kind: "turn";
	turn: number;
	text: string;
	tool_calls: ToolCall[];
	usage: TokenUsage;
	cost_usd: number;
	provider: string;
	model: string;
	latency_ms: number;
}

/** A tool call that finished: its result, or the error the model is told of. */
export interface ToolEntry {
	kind: "tool";
	call_id: string;
	name: string;
	arguments: unknown;
	result?: unknown;
	error?: string;
	duration_ms: number;
	/** A workflow tool's child execution. */
	child_execution_id?: string;
}

/** A tool call that waits for a person's decision. */
export interface ApprovalRequestedEntry {
	kind: "approval_requested";
	call_id: string;
	name: string;
	arguments: unknown;
}

export interface ApprovalEntry {
	kind: "approval";
	call_id: string;
	decision: "approved" | "rejected";
	by: string;
	comment: string | null;
}

export type JournalEntry = StartEntry | TurnEntry | ToolEntry | ApprovalRequestedEntry | ApprovalEntry;

export interface StoredEntry {
	seq: number;
	/** The attempt that appended it. */
	attempt: number;
	/** Milliseconds since the epoch. */
	at: number;
	entry: JournalEntry;
}

/** What proves an attempt still owns its step. */
export interface Lease {
	leaseOwner: string;
	attempt: number;
}

export interface StepKey {
	execution_id: string;
	step_id: string;
}

export class AgentJournal {
	constructor(
		private readonly db: Database,
		private readonly now: () => number = Date.now
	) {}

	async read(step: StepKey, sql: SqlRunner = this.db.sql): Promise<StoredEntry[]> {
		const rows = await sql.all<{ seq: number; attempt: number; created_at: number | string; entry: string }>(
			"SELECT seq, attempt, created_at, entry FROM agent_journal WHERE execution_id = $1 AND step_id = $2 ORDER BY seq",
			[step.execution_id, step.step_id]
		);
		return rows.map(r => ({ seq: Number(r.seq), attempt: Number(r.attempt), at: Number(r.created_at), entry: JSON.parse(r.entry) as JournalEntry }));
	}

	/**
	 * Appends `entry` in `tx` if `lease` still holds the running step (its row is locked
	 * until `tx` ends, so the sweeper cannot hand the step on in between). Returns the
	 * stored entry, or null when the lease is gone.
	 */
	async append(tx: SqlRunner, step: StepKey, lease: Lease, entry: JournalEntry): Promise<StoredEntry | null> {
		const lock = this.db.dialect === "postgres" ? " FOR UPDATE" : "";
		const held = await tx.all(
			`SELECT 1 AS one FROM step_runs WHERE execution_id = $1 AND step_id = $2 AND status = 'running' AND waiting_for IS NULL AND lease_owner = $3 AND attempts = $4${lock}`,
			[step.execution_id, step.step_id, lease.leaseOwner, lease.attempt]
		);
		if (!held.length) return null;
		const at = this.now();
		const [row] = await tx.all<{ seq: number }>(
			// Typed binds: PostgreSQL deduces nothing from a SELECT list.
			`INSERT INTO agent_journal (execution_id, step_id, seq, kind, attempt, entry, created_at)
			SELECT CAST($1 AS VARCHAR(36)), CAST($2 AS VARCHAR(128)), COALESCE(MAX(seq), 0) + 1, CAST($3 AS VARCHAR(32)), CAST($4 AS INTEGER), CAST($5 AS TEXT), CAST($6 AS BIGINT)
			FROM agent_journal WHERE execution_id = $7 AND step_id = $8
			RETURNING seq`,
			[step.execution_id, step.step_id, entry.kind, lease.attempt, JSON.stringify(entry), at, step.execution_id, step.step_id]
		);
		return { seq: Number(row.seq), attempt: lease.attempt, at, entry };
	}
}
