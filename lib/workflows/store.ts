import { createHash } from "node:crypto";
import type { Database, SqlRunner } from "../db/database";
import { containing, Filter, selectPage } from "../db/filter";
import type { WorkflowDefinition } from "../dsl";

/** Lifecycle of a stored definition (the original domain's names). */
export type WorkflowStatus = "draft" | "active" | "deprecated" | "archived";
export const WORKFLOW_STATUSES: readonly WorkflowStatus[] = ["draft", "active", "deprecated", "archived"];

/** Which moves the lifecycle allows; archived is final. */
export const LIFECYCLE: Record<WorkflowStatus, readonly WorkflowStatus[]> = {
	draft: ["active", "archived"],
	active: ["deprecated", "archived"],
	deprecated: ["active", "archived"],
	archived: []
};

export interface WorkflowRecord {
	id: string;
	owner_id: string;
	workflow_id: string;
	version: string;
	name: string;
	description: string | null;
	status: WorkflowStatus;
	tags: string[];
	schedule: string | null;
	definition: WorkflowDefinition;
	content_hash: string;
	created_at: string;
	updated_at: string;
}

/** Fields later versions of the model added, at their "not given" values: a definition that sets none hashes as it did before they existed. */
const ADDED_FIELDS: Partial<WorkflowDefinition> = { schedule_timezone: null, triggers: [], concurrency: null, rate_limit: null, debounce: null, priority: 0 };

/** What identifies a definition's content: everything but its lifecycle status (and added fields left unset). */
export function contentHash(definition: WorkflowDefinition): string {
	const { status: _status, ...content } = definition;
	const record = content as Record<string, unknown>;
	for (const [name, unset] of Object.entries(ADDED_FIELDS)) if (JSON.stringify(record[name]) === JSON.stringify(unset)) delete record[name];
	return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/** A stored definition with the fields added since it was stored, at their "not given" values. */
function withAddedFields(definition: WorkflowDefinition): WorkflowDefinition {
	return { ...(ADDED_FIELDS as WorkflowDefinition), ...definition };
}

type Raw = Record<string, unknown>;

function toRecord(r: Raw): WorkflowRecord {
	const iso = (v: unknown) => new Date(v as string).toISOString();
	return {
		id: String(r.id),
		owner_id: String(r.owner_id),
		workflow_id: String(r.workflow_id),
		version: String(r.version),
		name: String(r.name),
		description: (r.description as string | null) ?? null,
		status: r.status as WorkflowStatus,
		tags: JSON.parse(String(r.tags)) as string[],
		schedule: (r.schedule as string | null) ?? null,
		definition: withAddedFields(JSON.parse(String(r.definition)) as WorkflowDefinition),
		content_hash: String(r.content_hash),
		created_at: iso(r.created_at),
		updated_at: iso(r.updated_at)
	};
}

/** Semantic versions compared by number (1.10.0 after 1.9.0); pre-releases before their release. */
export function compareVersions(a: string, b: string): number {
	const parse = (v: string) => {
		const [core, pre] = v.split("+")[0].split(/-(.*)/s);
		return { nums: core.split(".").map(Number), pre: pre ?? null };
	};
	const x = parse(a);
	const y = parse(b);
	for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i] - y.nums[i];
	if (x.pre === y.pre) return 0;
	if (x.pre === null) return 1;
	if (y.pre === null) return -1;
	return x.pre < y.pre ? -1 : 1;
}

/** The workflows table: definitions are immutable; only the lifecycle status changes. */
export class WorkflowStore {
	constructor(private readonly db: Database) {}

	private select(sql: string, bind: unknown[], transaction?: SqlRunner): Promise<Raw[]> {
		return (transaction ?? this.db.sql).all<Raw>(sql, bind);
	}

	async insert(record: Omit<WorkflowRecord, "created_at" | "updated_at">, now: Date, transaction: SqlRunner): Promise<void> {
		await transaction.run(
			`INSERT INTO workflows (id, owner_id, workflow_id, version, name, description, status, tags, schedule, definition, content_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
			[
					record.id,
					record.owner_id,
					record.workflow_id,
					record.version,
					record.name,
					record.description,
					record.status,
					JSON.stringify(record.tags),
					record.schedule,
					JSON.stringify(record.definition),
				record.content_hash,
				now.toISOString()
			]
		);
	}

	async byRef(id: string, transaction?: SqlRunner): Promise<WorkflowRecord | null> {
		const [row] = await this.select("SELECT * FROM workflows WHERE id = $1", [id], transaction);
		return row ? toRecord(row) : null;
	}

	async byVersion(ownerId: string, workflowId: string, version: string, transaction?: SqlRunner): Promise<WorkflowRecord | null> {
		const [row] = await this.select("SELECT * FROM workflows WHERE owner_id = $1 AND workflow_id = $2 AND version = $3", [ownerId, workflowId, version], transaction);
		return row ? toRecord(row) : null;
	}

	/** Every version of one workflow of an owner, newest first. */
	async versions(ownerId: string, workflowId: string): Promise<WorkflowRecord[]> {
		const rows = (await this.select("SELECT * FROM workflows WHERE owner_id = $1 AND workflow_id = $2", [ownerId, workflowId])).map(toRecord);
		return rows.sort((a, b) => compareVersions(b.version, a.version));
	}

	/** The newest active version, which a sub-workflow or schedule without a version runs. */
	async latestActive(ownerId: string, workflowId: string): Promise<WorkflowRecord | null> {
		return (await this.versions(ownerId, workflowId)).find(w => w.status === "active") ?? null;
	}

	async list(filter: { ownerId?: string; status?: WorkflowStatus; tag?: string; q?: string }, page: { pageSize: number; offset: number }): Promise<{ rows: WorkflowRecord[]; total: number }> {
		const where = new Filter()
			.add("owner_id = ?", filter.ownerId)
			.add("status = ?", filter.status)
			// Tags are a JSON array of strings: match the quoted element.
			.add("tags LIKE ? ESCAPE '\\'", filter.tag === undefined ? undefined : containing(JSON.stringify(filter.tag)))
			.add("LOWER(name) LIKE ? ESCAPE '\\'", filter.q === undefined ? undefined : containing(filter.q.toLowerCase()));
		const { rows, total } = await selectPage<Raw>(this.db.sql, "workflows", where, "updated_at DESC, workflow_id, version", page);
		return { rows: rows.map(toRecord), total };
	}


	async setStatus(id: string, from: WorkflowStatus, to: WorkflowStatus, now: Date, transaction: SqlRunner): Promise<boolean> {
		const rows = await this.select("UPDATE workflows SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2 RETURNING id", [id, from, to, now.toISOString()], transaction);
		return rows.length === 1;
	}
}
