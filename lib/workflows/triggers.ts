import type { SqlRunner } from "../db/database";
import type { WorkflowRecord, WorkflowStatus } from "./store";

/**
 * The trigger index: owner and event name → the active workflow versions with a trigger
 * on it. Only active versions have rows (like schedules), kept in step with the
 * lifecycle in the transaction that changes it, so an event reads one indexed query.
 */
export async function syncTriggers(tx: SqlRunner, w: Pick<WorkflowRecord, "id" | "owner_id" | "definition">, status: WorkflowStatus): Promise<void> {
	await tx.run("DELETE FROM workflow_triggers WHERE workflow_ref = $1", [w.id]);
	if (status !== "active") return;
	const names = [...new Set(w.definition.triggers.map(t => t.event))];
	for (const [position, name] of names.entries()) {
		await tx.run("INSERT INTO workflow_triggers (workflow_ref, position, owner_id, event_name) VALUES ($1, $2, $3, $4)", [w.id, position, w.owner_id, name]);
	}
}

/** The active versions of an owner's workflows with a trigger on `name`. */
export async function triggeredWorkflows(sql: SqlRunner, ownerId: string, name: string): Promise<{ workflow_ref: string; workflow_id: string; version: string }[]> {
	const rows = await sql.all<Record<string, unknown>>(
		`SELECT DISTINCT t.workflow_ref, w.workflow_id, w.version FROM workflow_triggers t JOIN workflows w ON w.id = t.workflow_ref
		WHERE t.owner_id = $1 AND t.event_name = $2 AND w.status = 'active' ORDER BY w.workflow_id, w.version`,
		[ownerId, name]
	);
	return rows.map(r => ({ workflow_ref: String(r.workflow_ref), workflow_id: String(r.workflow_id), version: String(r.version) }));
}
