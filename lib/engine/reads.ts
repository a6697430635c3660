import type { Database } from "../db/database";
import { Filter } from "../db/filter";
import { EXECUTION_COLUMNS, json, STEP_COLUMNS, toExecution, toStepRun } from "./store";
import type { ExecutionRow, StepRunRow } from "./types";
import type { RunFilter } from "./fork";

/**
 * Reads of runs for the API, bounded: a run's stored inputs, outputs and step outputs
 * are measured in SQL (their JSON text's length) before they are loaded, and those that
 * do not fit the answer's budget stay in the database; the answer names them
 * (`omitted`). However a run was written, reading it never loads hundreds of MB.
 */

type Raw = Record<string, unknown>;

export interface ExecutionRead {
	execution: ExecutionRow;
	/** Fields left out ("inputs", "outputs"); they read as null. */
	omitted: string[];
}

export interface StepsRead {
	steps: StepRunRow[];
	/** Steps whose output was left out (it reads as null). */
	omitted: Set<string>;
}

const BIG_EXECUTION_COLUMNS = new Set(["inputs", "outputs"]);
const executionColumns = EXECUTION_COLUMNS.filter(c => !BIG_EXECUTION_COLUMNS.has(c)).join(", ");
const stepColumns = STEP_COLUMNS.filter(c => c !== "output").join(", ");

/** Inputs and outputs of at most `$n` characters, and their lengths. */
const boundedExecution = (n: number) =>
	`${executionColumns}, CASE WHEN LENGTH(inputs) <= $${n} THEN inputs END AS inputs, CASE WHEN LENGTH(outputs) <= $${n} THEN outputs END AS outputs,
	LENGTH(inputs) AS inputs_bytes, LENGTH(outputs) AS outputs_bytes`;

function executionOf(row: Raw, cap: number): ExecutionRead {
	const omitted: string[] = [];
	if (Number(row.inputs_bytes ?? 0) > cap) omitted.push("inputs");
	if (Number(row.outputs_bytes ?? 0) > cap) omitted.push("outputs");
	const execution = toExecution(row);
	if (omitted.includes("inputs")) execution.inputs = null as unknown as ExecutionRow["inputs"];
	return { execution, omitted };
}

export class RunReads {
	constructor(private readonly db: Database) {}

	/** One execution; inputs and outputs longer than `cap` characters are left out. */
	async execution(id: string, cap: number): Promise<ExecutionRead | null> {
		const [row] = await this.db.sql.all<Raw>(`SELECT ${boundedExecution(2)} FROM executions WHERE id = $1`, [id, cap]);
		return row ? executionOf(row, cap) : null;
	}

	/** A page of executions, newest first; each one's inputs and outputs longer than `cap` characters are left out. */
	async list(filter: { ownerId?: string; workflowId?: string; status?: string }, page: { pageSize: number; offset: number }, cap: number): Promise<{ rows: ExecutionRead[]; total: number }> {
		const where = new Filter().add("owner_id = ?", filter.ownerId).add("workflow_id = ?", filter.workflowId).add("status = ?", filter.status);
		const n = where.bind.length + 1;
		const [count] = await this.db.sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM executions ${where.where}`, where.bind);
		const rows = await this.db.sql.all<Raw>(
			`SELECT ${boundedExecution(n)} FROM executions ${where.where} ORDER BY created_at DESC, id LIMIT ${Math.floor(page.pageSize)} OFFSET ${Math.floor(page.offset)}`,
			[...where.bind, cap]
		);
		return { rows: rows.map(r => executionOf(r, cap)), total: Number(count.n) };
	}

	/**
	 * The inputs and outputs of the newest `limit` runs `filter` selects (a dataset from past
	 * runs), newest first; null when together they pass `maxChars` characters of JSON,
	 * measured in SQL before anything is loaded.
	 */
	async inputsAndOutputs(
		filter: { ownerId: string; workflowId: string; workflowVersion?: string; status: string },
		limit: number,
		maxChars: number
	): Promise<{ inputs: unknown; outputs: unknown }[] | null> {
		const where = new Filter().add("owner_id = ?", filter.ownerId).add("workflow_id = ?", filter.workflowId).add("workflow_version = ?", filter.workflowVersion).add("status = ?", filter.status);
		const sizes = await this.db.sql.all<{ id: string; chars: number | string | null }>(
			`SELECT id, COALESCE(LENGTH(inputs), 0) + COALESCE(LENGTH(outputs), 0) AS chars FROM executions ${where.where} ORDER BY created_at DESC, id LIMIT ${Math.floor(limit)}`,
			where.bind
		);
		if (sizes.reduce((sum, r) => sum + Number(r.chars ?? 0), 0) > maxChars) return null;
		if (!sizes.length) return [];
		const ids = sizes.map(r => r.id);
		const rows = await this.db.sql.all<Raw>(`SELECT id, inputs, outputs FROM executions WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(", ")})`, ids);
		const byId = new Map(rows.map(r => [String(r.id), r]));
		// A run pruned between the two reads is left out.
		return ids.flatMap(id => {
			const row = byId.get(id);
			return row ? [{ inputs: json(row.inputs), outputs: json(row.outputs) }] : [];
		});
	}

	/** Ids of the runs a bulk operation selects, oldest first, at most `limit`. */
	async matching(filter: RunFilter, limit: number): Promise<string[]> {
		const where = new Filter()
			.add("owner_id = ?", filter.ownerId)
			.add("workflow_id = ?", filter.workflowId)
			.add("workflow_version = ?", filter.workflowVersion)
			.add("status = ?", filter.status)
			.add("created_at >= ?", filter.createdAfter)
			.add("created_at < ?", filter.createdBefore);
		const rows = await this.db.sql.all<{ id: string }>(`SELECT id FROM executions ${where.where} ORDER BY created_at, id LIMIT ${Math.floor(limit)}`, where.bind);
		return rows.map(r => r.id);
	}

	/** The steps of an execution in order; their outputs are loaded, in order, while they fit in `budget` characters. */
	async steps(executionId: string, budget: number): Promise<StepsRead> {
		const rows = await this.db.sql.all<Raw>(`SELECT ${stepColumns}, LENGTH(output) AS output_bytes FROM step_runs WHERE execution_id = $1 ORDER BY position`, [executionId]);
		const load: string[] = [];
		const omitted = new Set<string>();
		let left = budget;
		for (const r of rows) {
			const bytes = Number(r.output_bytes ?? 0);
			if (bytes === 0) continue;
			if (bytes <= left) {
				load.push(String(r.step_id));
				left -= bytes;
			} else omitted.add(String(r.step_id));
		}
		const outputs = new Map<string, unknown>();
		// Chunks keep each statement well under SQLite's bound-parameter limit.
		for (let i = 0; i < load.length; i += 200) {
			const chunk = load.slice(i, i + 200);
			const found = await this.db.sql.all<Raw>(`SELECT step_id, output FROM step_runs WHERE execution_id = $1 AND step_id IN (${chunk.map((_, j) => `$${j + 2}`).join(", ")})`, [executionId, ...chunk]);
			for (const f of found) outputs.set(String(f.step_id), f.output);
		}
		return { steps: rows.map(r => toStepRun({ ...r, output: outputs.get(String(r.step_id)) ?? null })), omitted };
	}

	/** One step with its output, unless that is longer than `cap` characters. */
	async step(executionId: string, stepId: string, cap: number): Promise<{ step: StepRunRow; omitted: boolean } | null> {
		const [row] = await this.db.sql.all<Raw>(
			`SELECT ${stepColumns}, CASE WHEN LENGTH(output) <= $3 THEN output END AS output, LENGTH(output) AS output_bytes FROM step_runs WHERE execution_id = $1 AND step_id = $2`,
			[executionId, stepId, cap]
		);
		return row ? { step: toStepRun(row), omitted: Number(row.output_bytes ?? 0) > cap } : null;
	}
}
