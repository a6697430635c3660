import type { Database, SqlRunner } from "../db/database";

/** What one user used on one (UTC) day. Cost is kept in micro-dollars so sums stay exact. */
export interface UsageCounters {
	executions_started: number;
	executions_completed: number;
	executions_failed: number;
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
	cost_usd_micros: number;
}

const COUNTERS: (keyof UsageCounters)[] = ["executions_started", "executions_completed", "executions_failed", "prompt_tokens", "completion_tokens", "total_tokens", "cost_usd_micros"];

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Token usage as events carry it (`usage` of an execution or a step), as counters. */
export function tokenCounters(usage: unknown): Partial<UsageCounters> {
	const u = (usage ?? {}) as Record<string, unknown>;
	const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);
	return {
		prompt_tokens: Math.round(n(u.prompt_tokens)),
		completion_tokens: Math.round(n(u.completion_tokens)),
		total_tokens: Math.round(n(u.total_tokens)),
		cost_usd_micros: Math.round(n(u.cost_usd) * 1e6)
	};
}

/** Adds `delta` to a user's day (one upsert). */
export async function addUsage(tx: SqlRunner, userId: string, day: string, delta: Partial<UsageCounters>): Promise<void> {
	const values = COUNTERS.map(c => delta[c] ?? 0);
	await tx.run(
		`INSERT INTO usage_daily (user_id, day, ${COUNTERS.join(", ")}) VALUES ($1, $2, ${COUNTERS.map((_, i) => `$${i + 3}`).join(", ")})
		ON CONFLICT (user_id, day) DO UPDATE SET ${COUNTERS.map(c => `${c} = usage_daily.${c} + excluded.${c}`).join(", ")}`,
		[userId, day, ...values]
	);
}

export interface UsageView {
	executions: { started: number; completed: number; failed: number };
	tokens: { prompt: number; completion: number; total: number };
	cost_usd: number;
}

function view(r: Record<string, unknown>): UsageView {
	const n = (c: string) => Number(r[c] ?? 0);
	return {
		executions: { started: n("executions_started"), completed: n("executions_completed"), failed: n("executions_failed") },
		tokens: { prompt: n("prompt_tokens"), completion: n("completion_tokens"), total: n("total_tokens") },
		cost_usd: n("cost_usd_micros") / 1e6
	};
}

const SUMS = COUNTERS.map(c => `COALESCE(SUM(${c}), 0) AS ${c}`).join(", ");

/** One user's days between `from` and `to` (inclusive, YYYY-MM-DD) and their totals. */
export async function usageOf(db: Database, userId: string, from: string, to: string): Promise<{ days: (UsageView & { day: string })[]; totals: UsageView }> {
	const rows = await db.sql.all<Record<string, unknown>>("SELECT * FROM usage_daily WHERE user_id = $1 AND day >= $2 AND day <= $3 ORDER BY day", [userId, from, to]);
	const [sum] = await db.sql.all<Record<string, unknown>>(`SELECT ${SUMS} FROM usage_daily WHERE user_id = $1 AND day >= $2 AND day <= $3`, [userId, from, to]);
	return { days: rows.map(r => ({ day: String(r.day), ...view(r) })), totals: view(sum ?? {}) };
}

/** Every user's totals between `from` and `to`, the biggest spenders first. */
export async function usageByUser(db: Database, from: string, to: string, page: number, pageSize: number): Promise<{ users: (UsageView & { user_id: string; email: string | null })[]; total: number }> {
	const [count] = await db.sql.all<{ n: unknown }>("SELECT COUNT(DISTINCT user_id) AS n FROM usage_daily WHERE day >= $1 AND day <= $2", [from, to]);
	const rows = await db.sql.all<Record<string, unknown>>(
		`SELECT d.user_id, u.email, ${COUNTERS.map(c => `SUM(d.${c}) AS ${c}`).join(", ")}
		FROM usage_daily d LEFT JOIN users u ON u.id = d.user_id WHERE d.day >= $1 AND d.day <= $2
		GROUP BY d.user_id, u.email ORDER BY SUM(d.cost_usd_micros) DESC, SUM(d.executions_started) DESC, d.user_id
		LIMIT ${Math.floor(pageSize)} OFFSET ${Math.floor((page - 1) * pageSize)}`,
		[from, to]
	);
	return { total: Number(count.n), users: rows.map(r => ({ user_id: String(r.user_id), email: (r.email as string | null) ?? null, ...view(r) })) };
}
