import type { Database, SqlRunner } from "../db/database";
import type { DomainEvent } from "../events/outbox";
import { tokenCounters } from "../usage/accounting";

/** Smaller of the stored and the new value, where either may be NULL (no duration known). */
const least = (c: string) =>
	`${c} = CASE WHEN excluded.${c} IS NULL THEN step_statistics.${c} WHEN step_statistics.${c} IS NULL OR excluded.${c} < step_statistics.${c} THEN excluded.${c} ELSE step_statistics.${c} END`;
const greatest = (c: string) =>
	`${c} = CASE WHEN excluded.${c} IS NULL THEN step_statistics.${c} WHEN step_statistics.${c} IS NULL OR excluded.${c} > step_statistics.${c} THEN excluded.${c} ELSE step_statistics.${c} END`;
const sum = (c: string) => `${c} = step_statistics.${c} + excluded.${c}`;

/** Adds one completed step (a StepExecutionCompleted event) to its step's running totals. */
export async function recordStepCompletion(tx: SqlRunner, e: { owner_id: string; workflow_id: string; workflow_version: string; step_id: string; step_type: string; attempt: number; duration_ms: number | null; usage: unknown; at: number }): Promise<void> {
	const tokens = tokenCounters(e.usage);
	const timed = e.duration_ms === null ? 0 : 1;
	await tx.run(
		`INSERT INTO step_statistics (owner_id, workflow_id, workflow_version, step_id, step_type, completed_count, timed_count, total_duration_ms, min_duration_ms, max_duration_ms,
			total_attempts, retried_count, prompt_tokens, completion_tokens, total_tokens, cost_usd_micros, last_completed_at)
		VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (owner_id, workflow_id, workflow_version, step_id) DO UPDATE SET
			step_type = excluded.step_type, ${["completed_count", "timed_count", "total_duration_ms", "total_attempts", "retried_count", "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd_micros"].map(sum).join(", ")},
			${least("min_duration_ms")}, ${greatest("max_duration_ms")}, ${greatest("last_completed_at")}`,
		[
			e.owner_id,
			e.workflow_id,
			e.workflow_version,
			e.step_id,
			e.step_type,
			timed,
			e.duration_ms ?? 0,
			e.duration_ms,
			e.attempt,
			e.attempt > 1 ? 1 : 0,
			tokens.prompt_tokens,
			tokens.completion_tokens,
			tokens.total_tokens,
			tokens.cost_usd_micros,
			e.at
		]
	);
}

/** The fields of a StepExecutionCompleted event that statistics need. */
export function stepCompletionOf(event: DomainEvent): Parameters<typeof recordStepCompletion>[1] | null {
	const s = (f: string) => (typeof event[f] === "string" && event[f] !== "" ? (event[f] as string) : null);
	const owner = s("owner_id");
	const workflow = s("workflow_id");
	const version = s("workflow_version");
	const step = s("step_id");
	if (!owner || !workflow || !version || !step) return null;
	const duration = typeof event.duration_ms === "number" && Number.isFinite(event.duration_ms) ? Math.max(0, Math.round(event.duration_ms)) : null;
	const occurred = Date.parse(event.occurred_at);
	return {
		owner_id: owner,
		workflow_id: workflow,
		workflow_version: version,
		step_id: step,
		step_type: s("step_type") ?? "unknown",
		attempt: typeof event.attempt === "number" && event.attempt > 0 ? Math.round(event.attempt) : 1,
		duration_ms: duration,
		usage: event.usage,
		at: Number.isFinite(occurred) ? occurred : Date.now()
	};
}

export interface StepStatisticsView {
	step_id: string;
	step_type: string;
	completed: number;
	duration_ms: { mean: number | null; min: number | null; max: number | null; total: number };
	attempts: { total: number; mean: number | null; retried: number };
	tokens: { prompt: number; completion: number; total: number };
	cost_usd: number;
	last_completed_at: string | null;
}

const nullable = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The statistics of every step of one workflow version that has completed at least once. */
export async function stepStatisticsOf(db: Database, ownerId: string, workflowId: string, version: string): Promise<StepStatisticsView[]> {
	const rows = await db.sql.all<Record<string, unknown>>("SELECT * FROM step_statistics WHERE owner_id = $1 AND workflow_id = $2 AND workflow_version = $3", [ownerId, workflowId, version]);
	return rows.map(r => {
		const completed = Number(r.completed_count);
		const timed = Number(r.timed_count);
		const totalDuration = Number(r.total_duration_ms);
		const attempts = Number(r.total_attempts);
		const last = nullable(r.last_completed_at);
		return {
			step_id: String(r.step_id),
			step_type: String(r.step_type),
			completed,
			duration_ms: { mean: timed ? Math.round((totalDuration / timed) * 10) / 10 : null, min: nullable(r.min_duration_ms), max: nullable(r.max_duration_ms), total: totalDuration },
			attempts: { total: attempts, mean: completed ? Math.round((attempts / completed) * 100) / 100 : null, retried: Number(r.retried_count) },
			tokens: { prompt: Number(r.prompt_tokens), completion: Number(r.completion_tokens), total: Number(r.total_tokens) },
			cost_usd: Number(r.cost_usd_micros) / 1e6,
			last_completed_at: last === null ? null : new Date(last).toISOString()
		};
	});
}
