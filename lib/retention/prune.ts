/**
 * Retention: ended runs past their retention are archived (runs of a tree together, with
 * their steps, agent journals and captured LLM calls) and deleted, a small batch per transaction; published
 * outbox rows, events, processed-event records, notifications and idle agent threads past
 * the default retention, and audit rows past AUDIT_RETENTION, are deleted in batches too.
 * Pruning is at least once: a batch whose delete did
 * not commit is archived again the next time (its records carry their ids).
 */
import type { Database, SqlRunner } from "../db/database";
import { writeArchive } from "./archive";

/**
 * Which ended runs go: by their retention (their workflow's, else `defaultMs`; 0 keeps), or
 * (an admin's prune) those ended more than `ms` ago whose workflow's retention allows it.
 */
export type PruneRule = { kind: "policy"; defaultMs: number; auditMs?: number } | { kind: "older_than"; ms: number; auditMs?: number };

export interface PrunerOptions {
	db: Database;
	/** Where archives go; null prunes without archiving. */
	archiveDir: string | null;
	/** Root runs per batch (their sub-workflow runs go with them). */
	batchSize: number;
	now?: () => number;
}

export interface PruneReport {
	executions: number;
	archives: string[];
	outbox: number;
	events: number;
	threads: number;
	notifications: number;
	audit: number;
}

const ENDED = "status IN ('completed', 'failed', 'cancelled')";

/** Tables whose rows belong to one execution, deleted with it (children before the run). */
const PER_EXECUTION = ["step_runs", "agent_journal", "llm_calls", "flow_slots"] as const;

export class Pruner {
	private readonly now: () => number;

	constructor(private readonly opts: PrunerOptions) {
		this.now = opts.now ?? Date.now;
	}

	/** Prunes until nothing is left under `rule`, or `maxBatches` batches were done. */
	async prune(rule: PruneRule, maxBatches = Infinity): Promise<PruneReport> {
		const report: PruneReport = { executions: 0, archives: [], outbox: 0, events: 0, threads: 0, notifications: 0, audit: 0 };
		for (let i = 0; i < maxBatches; i++) {
			const batch = await this.pruneBatch(rule);
			if (!batch) break;
			report.executions += batch.executions;
			if (batch.archive) report.archives.push(batch.archive);
		}
		const cutoff = rule.kind === "older_than" ? this.now() - rule.ms : rule.defaultMs > 0 ? this.now() - rule.defaultMs : null;
		if (cutoff !== null) {
			const side = await this.pruneSidecars(cutoff, maxBatches);
			Object.assign(report, side);
		}
		// The audit log has a retention of its own (AUDIT_RETENTION; 0 keeps it).
		if (rule.auditMs) report.audit = await this.drain("audit_log", "SELECT id FROM audit_log WHERE occurred_at < $1 ORDER BY id", ["id"], "occurred_at", this.now() - rule.auditMs, maxBatches);
		return report;
	}

	/** One batch: the oldest ended root runs due, their trees, archived then deleted in one transaction. Null when none is due. */
	async pruneBatch(rule: PruneRule): Promise<{ executions: number; archive: string | null } | null> {
		const { db } = this.opts;
		return db.sqlTransaction(async tx => {
			const roots = await this.dueRoots(tx, rule);
			if (!roots.length) return null;
			const ids = [...roots, ...(await this.descendants(tx, roots))];
			let archive: string | null = null;
			if (this.opts.archiveDir) archive = writeArchive(this.opts.archiveDir, await this.records(tx, ids), this.now());
			for (const chunk of chunks(ids, 200)) {
				const list = chunk.map((_, i) => `$${i + 1}`).join(", ");
				for (const table of PER_EXECUTION) await tx.run(`DELETE FROM ${table} WHERE execution_id IN (${list})`, chunk);
				await tx.run(`DELETE FROM events WHERE execution_id IN (${list})`, chunk);
				await tx.run(`DELETE FROM executions WHERE id IN (${list})`, chunk);
			}
			return { executions: ids.length, archive };
		});
	}

	private async dueRoots(tx: SqlRunner, rule: PruneRule): Promise<string[]> {
		const now = this.now();
		const limit = Math.floor(this.opts.batchSize);
		// Rows another pruner holds are skipped (PostgreSQL): two nodes never archive one run twice at once.
		const lock = this.opts.db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
		const base = `SELECT id FROM executions WHERE parent_execution_id IS NULL AND ${ENDED} AND completed_at IS NOT NULL`;
		if (rule.kind === "older_than") {
			// A workflow's own retention still holds: "forever" keeps its runs, a longer one keeps them longer.
			const rows = await tx.all<{ id: string }>(
				`${base} AND completed_at < $1 AND (retention_ms IS NULL OR (retention_ms > 0 AND completed_at < $2 - retention_ms)) ORDER BY completed_at LIMIT ${limit}${lock}`,
				[now - rule.ms, now]
			);
			return rows.map(r => r.id);
		}
		// A run's own retention (its workflow's), else the default; 0 keeps it.
		const byDefault = rule.defaultMs > 0 ? ` OR (retention_ms IS NULL AND completed_at < $2)` : "";
		const rows = await tx.all<{ id: string }>(
			`${base} AND ((retention_ms > 0 AND completed_at < $1 - retention_ms)${byDefault}) ORDER BY completed_at LIMIT ${limit}${lock}`,
			rule.defaultMs > 0 ? [now, now - rule.defaultMs] : [now]
		);
		return rows.map(r => r.id);
	}

	/** Every run below these roots (sub-workflows, and theirs). */
	private async descendants(tx: SqlRunner, roots: readonly string[]): Promise<string[]> {
		const out: string[] = [];
		for (const chunk of chunks(roots, 200)) {
			const rows = await tx.all<{ id: string }>(`SELECT id FROM executions WHERE root_execution_id IN (${chunk.map((_, i) => `$${i + 1}`).join(", ")})`, chunk);
			out.push(...rows.map(r => r.id).filter(id => !roots.includes(id)));
		}
		return out;
	}

	/** One archive line per run: the row, its steps, its agent journal and its captured LLM calls, as stored. */
	private async records(tx: SqlRunner, ids: readonly string[]): Promise<unknown[]> {
		const out: unknown[] = [];
		for (const id of ids) {
			const [execution] = await tx.all("SELECT * FROM executions WHERE id = $1", [id]);
			const steps = await tx.all("SELECT * FROM step_runs WHERE execution_id = $1 ORDER BY position", [id]);
			const journal = await tx.all("SELECT * FROM agent_journal WHERE execution_id = $1 ORDER BY step_id, seq", [id]);
			const llmCalls = await tx.all("SELECT * FROM llm_calls WHERE execution_id = $1 ORDER BY id", [id]);
			out.push({ type: "execution", archived_at: new Date(this.now()).toISOString(), execution, steps, journal, llm_calls: llmCalls });
		}
		return out;
	}

	/** Published outbox rows, events, processed-event records, notifications and threads idle since before `cutoff`, in batches. */
	private async pruneSidecars(cutoff: number, maxBatches: number): Promise<Pick<PruneReport, "outbox" | "events" | "threads" | "notifications">> {
		const outbox = await this.drain("outbox", "SELECT id FROM outbox WHERE published_at IS NOT NULL AND published_at < $1 ORDER BY id", ["id"], "published_at", cutoff, maxBatches);
		// A signal kept for a run that still exists stays with it.
		const events = await this.drain(
			"events",
			"SELECT seq FROM events WHERE received_at < $1 AND (execution_id IS NULL OR execution_id NOT IN (SELECT id FROM executions)) ORDER BY seq",
			["seq"],
			"received_at",
			cutoff,
			maxBatches
		);
		await this.drain("event_inbox", "SELECT handler, event_id FROM event_inbox WHERE processed_at < $1", ["handler", "event_id"], "processed_at", cutoff, maxBatches);
		const notifications = await this.drain("notifications", "SELECT id FROM notifications WHERE created_at < $1", ["id"], "created_at", cutoff, maxBatches);
		const threads = await this.drain("agent_threads", "SELECT owner_id, thread_id FROM agent_threads WHERE updated_at < $1", ["owner_id", "thread_id"], "updated_at", cutoff, maxBatches);
		return { outbox, events, threads, notifications };
	}

	/** Deletes the rows `select` finds (with `cutoff` as $1), a batch per transaction; `key` names a row in the delete. */
	private async drain(table: string, select: string, key: string[], cutoffColumn: string, cutoff: number, maxBatches: number): Promise<number> {
		const size = Math.floor(this.opts.batchSize) * 10;
		let total = 0;
		for (let i = 0; i < maxBatches; i++) {
			const n = await this.opts.db.sqlTransaction(async tx => {
				const rows = await tx.all<Record<string, unknown>>(`${select} LIMIT ${size}`, [cutoff]);
				for (const row of rows) {
					const where = key.map((k, j) => `${k} = $${j + 2}`).join(" AND ");
					await tx.run(`DELETE FROM ${table} WHERE ${cutoffColumn} < $1 AND ${where}`, [cutoff, ...key.map(k => row[k])]);
				}
				return rows.length;
			});
			total += n;
			if (n < size) break;
		}
		return total;
	}
}

function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
