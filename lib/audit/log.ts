import type { Database, SqlRunner } from "../db/database";
import type { DomainEvent } from "../events/outbox";

/** One line of the audit log: who did what, to what, when, from where. */
export interface AuditEntry {
	event_id: string;
	occurred_at: number;
	actor_id: string | null;
	action: string;
	resource_type: string;
	resource_id: string | null;
	client_ip: string | null;
	details: Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** Picks the named fields of an event that are present. */
function pick(event: DomainEvent, fields: string[]): Record<string, unknown> {
	return Object.fromEntries(fields.filter(f => event[f] !== undefined).map(f => [f, event[f]]));
}

type Describe = (e: DomainEvent) => Omit<AuditEntry, "event_id" | "occurred_at" | "client_ip">;

const workflowStatus: Describe = e => ({
	actor_id: str(e.changed_by),
	action: "workflow.status_changed",
	resource_type: "workflow",
	resource_id: str(e.workflow_ref),
	details: pick(e, ["workflow_id", "version", "from_status", "status"])
});

/** How each audited event reads in the log. */
const AUDITED: Record<string, Describe> = {
	WorkflowCreated: e => ({
		actor_id: str(e.owner_id),
		action: "workflow.created",
		resource_type: "workflow",
		resource_id: str(e.workflow_ref),
		details: pick(e, ["workflow_id", "version", "status", "step_count"])
	}),
	WorkflowActivated: workflowStatus,
	WorkflowDeprecated: workflowStatus,
	WorkflowArchived: workflowStatus,
	WorkflowExecutionStarted: e => ({
		// Scheduled and sub-workflow runs have no person behind them; the owner is who they run for.
		actor_id: str(e.started_by) ?? str(e.owner_id),
		action: "execution.started",
		resource_type: "execution",
		resource_id: str(e.execution_id),
		details: pick(e, ["workflow_id", "workflow_version", "owner_id", "trigger", "parent_execution_id"])
	}),
	WorkflowExecutionCancelled: e => ({
		actor_id: str(e.cancelled_by),
		action: "execution.cancelled",
		resource_type: "execution",
		resource_id: str(e.execution_id),
		details: pick(e, ["workflow_id", "workflow_version", "owner_id", "reason"])
	}),
	ApprovalDecided: e => ({
		// The engine names the approver by email (details.decided_by).
		actor_id: null,
		action: "execution.approval_decided",
		resource_type: "execution",
		resource_id: str(e.execution_id),
		details: pick(e, ["workflow_id", "step_id", "decision", "decided_by", "comment"])
	}),
	UserRegistered: e => ({ actor_id: str(e.user_id), action: "auth.registered", resource_type: "user", resource_id: str(e.user_id), details: pick(e, ["email"]) }),
	UserLoggedIn: e => ({ actor_id: str(e.user_id), action: "auth.login", resource_type: "user", resource_id: str(e.user_id), details: pick(e, ["email"]) }),
	UserUpdated: e => ({
		actor_id: str(e.changed_by),
		action: "auth.user_updated",
		resource_type: "user",
		resource_id: str(e.user_id),
		details: pick(e, ["email", "changes"])
	}),
	ApiKeyCreated: e => ({
		actor_id: str(e.user_id),
		action: "auth.api_key_created",
		resource_type: "api_key",
		resource_id: str(e.api_key_id),
		details: pick(e, ["name", "prefix", "scopes", "expires_at"])
	}),
	ApiKeyRevoked: e => ({
		actor_id: str(e.revoked_by),
		action: "auth.api_key_revoked",
		resource_type: "api_key",
		resource_id: str(e.api_key_id),
		details: pick(e, ["user_id", "name"])
	})
};

/** Event types the audit-log handler takes (the execution-started handler audits its own). */
export const AUDITED_EVENTS = Object.keys(AUDITED).filter(t => t !== "WorkflowExecutionStarted");

/** The audit entry an event makes; an event type without a description is logged under its own name. */
export function auditEntryOf(event: DomainEvent): AuditEntry {
	const describe: Describe =
		AUDITED[event.event_type] ??
		(e => ({ actor_id: str(e.owner_id), action: e.event_type, resource_type: e.aggregate_type, resource_id: str(e.aggregate_id), details: {} }));
	const occurred = Date.parse(event.occurred_at);
	return {
		...describe(event),
		event_id: event.event_id,
		occurred_at: Number.isFinite(occurred) ? occurred : Date.now(),
		client_ip: str(event.client_ip)
	};
}

export async function recordAudit(tx: SqlRunner, entry: AuditEntry): Promise<void> {
	await tx.run(
		`INSERT INTO audit_log (occurred_at, actor_id, action, resource_type, resource_id, client_ip, details, event_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING`,
		[entry.occurred_at, entry.actor_id, entry.action, entry.resource_type, entry.resource_id, entry.client_ip, JSON.stringify(entry.details), entry.event_id]
	);
}

export interface AuditFilter {
	actor_id?: string;
	action?: string;
	resource_type?: string;
	resource_id?: string;
	since?: number;
	until?: number;
}

export interface AuditView {
	id: number;
	occurred_at: string;
	actor: { id: string; email: string | null } | null;
	action: string;
	resource: { type: string; id: string | null };
	client_ip: string | null;
	details: Record<string, unknown>;
	event_id: string;
}

/** Reading the log, newest first; the actor's email comes from the users table at read time. */
export async function listAudit(db: Database, filter: AuditFilter, page: number, pageSize: number): Promise<{ entries: AuditView[]; total: number }> {
	const where: string[] = [];
	const bind: unknown[] = [];
	if (filter.actor_id) where.push(`a.actor_id = $${bind.push(filter.actor_id)}`);
	if (filter.action) where.push(`a.action = $${bind.push(filter.action)}`);
	if (filter.resource_type) where.push(`a.resource_type = $${bind.push(filter.resource_type)}`);
	if (filter.resource_id) where.push(`a.resource_id = $${bind.push(filter.resource_id)}`);
	if (filter.since !== undefined) where.push(`a.occurred_at >= $${bind.push(filter.since)}`);
	if (filter.until !== undefined) where.push(`a.occurred_at < $${bind.push(filter.until)}`);
	const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
	const [count] = await db.sql.all<{ n: unknown }>(`SELECT COUNT(*) AS n FROM audit_log a ${clause}`, bind);
	const rows = await db.sql.all<Record<string, unknown>>(
		`SELECT a.*, u.email AS actor_email FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id ${clause}
		ORDER BY a.occurred_at DESC, a.id DESC LIMIT ${Math.floor(pageSize)} OFFSET ${Math.floor((page - 1) * pageSize)}`,
		bind
	);
	return {
		total: Number(count.n),
		entries: rows.map(r => ({
			id: Number(r.id),
			occurred_at: new Date(Number(r.occurred_at)).toISOString(),
			actor: r.actor_id ? { id: String(r.actor_id), email: (r.actor_email as string | null) ?? null } : null,
			action: String(r.action),
			resource: { type: String(r.resource_type), id: (r.resource_id as string | null) ?? null },
			client_ip: (r.client_ip as string | null) ?? null,
			details: JSON.parse(String(r.details)) as Record<string, unknown>,
			event_id: String(r.event_id)
		}))
	};
}
