/** Datasets and evals in the database (migrations/0012-evals.ts). */
import { randomUUID } from "node:crypto";
import type { Database } from "../db/database";
import type { Score, Scorer } from "./scorers";

export interface DatasetItem {
	inputs: Record<string, unknown>;
	expected?: unknown;
}

export interface Dataset {
	id: string;
	owner_id: string;
	name: string;
	item_count: number;
	created_at: number;
}

export type EvalStatus = "running" | "completed" | "failed";

export interface EvalRecord {
	id: string;
	owner_id: string;
	workflow_id: string;
	workflow_version: string;
	dataset_id: string;
	scorers: Scorer[];
	status: EvalStatus;
	error: string | null;
	aggregates: Record<string, number> | null;
	created_at: number;
	completed_at: number | null;
}

export interface EvalItem {
	position: number;
	inputs: Record<string, unknown>;
	expected: unknown;
	execution_id: string | null;
	run_status: string | null;
	outputs: unknown;
	scores: Record<string, Score> | null;
	error: string | null;
}

type Raw = Record<string, unknown>;
const json = <T>(v: unknown): T => (v === null || v === undefined ? (null as T) : (JSON.parse(String(v)) as T));

function evalOf(r: Raw): EvalRecord {
	return {
		id: String(r.id),
		owner_id: String(r.owner_id),
		workflow_id: String(r.workflow_id),
		workflow_version: String(r.workflow_version),
		dataset_id: String(r.dataset_id),
		scorers: json<Scorer[]>(r.scorers),
		status: r.status as EvalStatus,
		error: (r.error as string | null) ?? null,
		aggregates: json<Record<string, number> | null>(r.aggregates),
		created_at: Number(r.created_at),
		completed_at: r.completed_at === null ? null : Number(r.completed_at)
	};
}

function itemOf(r: Raw): EvalItem {
	return {
		position: Number(r.position),
		inputs: json<Record<string, unknown>>(r.inputs),
		expected: json<unknown>(r.expected),
		execution_id: (r.execution_id as string | null) ?? null,
		run_status: (r.run_status as string | null) ?? null,
		outputs: json<unknown>(r.outputs),
		scores: json<Record<string, Score> | null>(r.scores),
		error: (r.error as string | null) ?? null
	};
}

export class EvalStore {
	constructor(
		private readonly db: Database,
		private readonly now: () => number = Date.now
	) {}

	async createDataset(ownerId: string, name: string, items: DatasetItem[]): Promise<Dataset> {
		const dataset = { id: randomUUID(), owner_id: ownerId, name, item_count: items.length, created_at: this.now() };
		await this.db.sqlTransaction(tx =>
			tx.run("INSERT INTO datasets (id, owner_id, name, items, item_count, created_at) VALUES ($1, $2, $3, $4, $5, $6)", [
				dataset.id,
				ownerId,
				name,
				JSON.stringify(items),
				items.length,
				dataset.created_at
			])
		);
		return dataset;
	}

	async datasets(ownerId: string | undefined, page: { pageSize: number; offset: number }): Promise<{ rows: Dataset[]; total: number }> {
		const where = ownerId ? "WHERE owner_id = $1" : "";
		const bind = ownerId ? [ownerId] : [];
		const [{ n }] = await this.db.sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM datasets ${where}`, bind);
		const rows = await this.db.sql.all<Raw>(
			`SELECT id, owner_id, name, item_count, created_at FROM datasets ${where} ORDER BY created_at DESC, id LIMIT ${Math.floor(page.pageSize)} OFFSET ${Math.floor(page.offset)}`,
			bind
		);
		return { total: Number(n), rows: rows.map(r => ({ id: String(r.id), owner_id: String(r.owner_id), name: String(r.name), item_count: Number(r.item_count), created_at: Number(r.created_at) })) };
	}

	async dataset(id: string): Promise<(Dataset & { items: DatasetItem[] }) | null> {
		const [r] = await this.db.sql.all<Raw>("SELECT * FROM datasets WHERE id = $1", [id]);
		if (!r) return null;
		return { id: String(r.id), owner_id: String(r.owner_id), name: String(r.name), item_count: Number(r.item_count), created_at: Number(r.created_at), items: json<DatasetItem[]>(r.items) };
	}

	async deleteDataset(id: string): Promise<void> {
		await this.db.sqlTransaction(tx => tx.run("DELETE FROM datasets WHERE id = $1", [id]));
	}

	/** A running eval with one item per dataset item, in the dataset's order. */
	async createEval(e: Pick<EvalRecord, "owner_id" | "workflow_id" | "workflow_version" | "dataset_id" | "scorers">, items: DatasetItem[]): Promise<EvalRecord> {
		const record: EvalRecord = { ...e, id: randomUUID(), status: "running", error: null, aggregates: null, created_at: this.now(), completed_at: null };
		await this.db.sqlTransaction(async tx => {
			await tx.run(
				"INSERT INTO evals (id, owner_id, workflow_id, workflow_version, dataset_id, scorers, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
				[record.id, e.owner_id, e.workflow_id, e.workflow_version, e.dataset_id, JSON.stringify(e.scorers), "running", record.created_at]
			);
			for (const [position, item] of items.entries()) {
				await tx.run("INSERT INTO eval_items (eval_id, position, inputs, expected) VALUES ($1, $2, $3, $4)", [
					record.id,
					position,
					JSON.stringify(item.inputs),
					item.expected === undefined ? null : JSON.stringify(item.expected)
				]);
			}
		});
		return record;
	}

	async eval(id: string): Promise<EvalRecord | null> {
		const [r] = await this.db.sql.all<Raw>("SELECT * FROM evals WHERE id = $1", [id]);
		return r ? evalOf(r) : null;
	}

	/** A page of evals, newest first, each with its item and scored counts; of one owner, or everyone's (`ownerId` undefined). */
	async evals(
		filter: { ownerId?: string; workflowId?: string; workflowVersion?: string; status?: EvalStatus },
		page: { pageSize: number; offset: number }
	): Promise<{ rows: (EvalRecord & { items: number; scored: number })[]; total: number }> {
		const conditions: string[] = [];
		const bind: unknown[] = [];
		const add = (column: string, value: string | undefined) => {
			if (value === undefined) return;
			bind.push(value);
			conditions.push(`e.${column} = $${bind.length}`);
		};
		add("owner_id", filter.ownerId);
		add("workflow_id", filter.workflowId);
		add("workflow_version", filter.workflowVersion);
		add("status", filter.status);
		const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
		const [{ n }] = await this.db.sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM evals e ${where}`, bind);
		const rows = await this.db.sql.all<Raw>(
			`SELECT e.*, (SELECT COUNT(*) FROM eval_items i WHERE i.eval_id = e.id) AS item_count, (SELECT COUNT(*) FROM eval_items i WHERE i.eval_id = e.id AND i.scores IS NOT NULL) AS scored_count
			 FROM evals e ${where} ORDER BY e.created_at DESC, e.id LIMIT ${Math.floor(page.pageSize)} OFFSET ${Math.floor(page.offset)}`,
			bind
		);
		return { total: Number(n), rows: rows.map(r => ({ ...evalOf(r), items: Number(r.item_count), scored: Number(r.scored_count) })) };
	}

	async items(evalId: string): Promise<EvalItem[]> {
		const rows = await this.db.sql.all<Raw>("SELECT * FROM eval_items WHERE eval_id = $1 ORDER BY position", [evalId]);
		return rows.map(itemOf);
	}

	/** Ids of running evals whose lease is free or this node's. */
	async runnable(leaseOwner: string): Promise<string[]> {
		const rows = await this.db.sql.all<{ id: string }>("SELECT id FROM evals WHERE status = 'running' AND (lease_until IS NULL OR lease_until < $1 OR lease_owner = $2) ORDER BY created_at", [
			this.now(),
			leaseOwner
		]);
		return rows.map(r => r.id);
	}

	/** Takes (or extends) the eval's lease; false when another node holds it. */
	async lease(id: string, leaseOwner: string, ms: number): Promise<boolean> {
		const now = this.now();
		const n = await this.db.sqlTransaction(tx =>
			tx.run("UPDATE evals SET lease_owner = $1, lease_until = $2 WHERE id = $3 AND status = 'running' AND (lease_until IS NULL OR lease_until < $4 OR lease_owner = $5)", [
				leaseOwner,
				now + ms,
				id,
				now,
				leaseOwner
			])
		);
		return n > 0;
	}

	async itemStarted(evalId: string, position: number, executionId: string): Promise<void> {
		await this.db.sqlTransaction(tx => tx.run("UPDATE eval_items SET execution_id = $1 WHERE eval_id = $2 AND position = $3", [executionId, evalId, position]));
	}

	async itemScored(evalId: string, position: number, result: { run_status: string | null; outputs: unknown; scores: Record<string, Score>; error: string | null }): Promise<void> {
		await this.db.sqlTransaction(tx =>
			tx.run("UPDATE eval_items SET run_status = $1, outputs = $2, scores = $3, error = $4 WHERE eval_id = $5 AND position = $6 AND scores IS NULL", [
				result.run_status,
				result.outputs === undefined ? null : JSON.stringify(result.outputs),
				JSON.stringify(result.scores),
				result.error,
				evalId,
				position
			])
		);
	}

	async finish(id: string, status: "completed" | "failed", aggregates: Record<string, number> | null, error: string | null): Promise<void> {
		await this.db.sqlTransaction(tx =>
			tx.run("UPDATE evals SET status = $1, aggregates = $2, error = $3, completed_at = $4, lease_owner = NULL, lease_until = NULL WHERE id = $5 AND status = 'running'", [
				status,
				aggregates && JSON.stringify(aggregates),
				error,
				this.now(),
				id
			])
		);
	}
}
