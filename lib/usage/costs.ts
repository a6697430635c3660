/**
 * LLM spend per UTC day, owner, workflow, provider and model (`llm_spend_daily`): charged
 * per answered call in the transaction that charges the run's budget, read back grouped
 * for the cost API.
 */
import type { Database, SqlRunner } from "../db/database";

/** What one answered model call spent, and whose it was. */
export interface LlmSpend {
	day: string;
	owner_id: string;
	workflow_id: string;
	provider: string;
	model: string;
	input_tokens: number;
	output_tokens: number;
	cost_usd: number;
}

export const COST_GROUPS = ["workflow", "model", "user", "day"] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

/** The column each grouping reads. */
const GROUP_COLUMN: Record<CostGroup, string> = { workflow: "workflow_id", model: "model", user: "owner_id", day: "day" };

// Nano-dollars: a call of a few tokens costs millionths of a dollar, and sums of them must stay exact.
const NANOS_PER_USD = 1e9;

const whole = (n: number) => (Number.isFinite(n) && n > 0 ? Math.round(n) : 0);

/** Adds one call to its day's row (one upsert). */
export async function chargeLlmSpend(tx: SqlRunner, spend: LlmSpend): Promise<void> {
	await tx.run(
		`INSERT INTO llm_spend_daily (day, owner_id, workflow_id, provider, model, calls, input_tokens, output_tokens, cost_usd_nanos) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8)
		ON CONFLICT (day, owner_id, workflow_id, provider, model) DO UPDATE SET calls = llm_spend_daily.calls + 1,
		input_tokens = llm_spend_daily.input_tokens + excluded.input_tokens, output_tokens = llm_spend_daily.output_tokens + excluded.output_tokens,
		cost_usd_nanos = llm_spend_daily.cost_usd_nanos + excluded.cost_usd_nanos`,
		[spend.day, spend.owner_id, spend.workflow_id, spend.provider, spend.model, whole(spend.input_tokens), whole(spend.output_tokens), whole(spend.cost_usd * NANOS_PER_USD)]
	);
}

export interface CostFigures {
	calls: number;
	input_tokens: number;
	output_tokens: number;
	cost_usd: number;
}

export interface CostQuery {
	group_by: CostGroup;
	/** First and last UTC day, inclusive (YYYY-MM-DD). */
	from: string;
	to: string;
	/** One owner's spend; every owner's when undefined. */
	owner_id?: string;
	/** At most this many rows, the biggest cost first (days in order when grouped by day). */
	max_rows: number;
}

export interface CostReport {
	group_by: CostGroup;
	from: string;
	to: string;
	rows: (CostFigures & { key: string })[];
	total: CostFigures;
}

const SUMS = "COALESCE(SUM(calls), 0) AS calls, COALESCE(SUM(input_tokens), 0) AS input_tokens, COALESCE(SUM(output_tokens), 0) AS output_tokens, COALESCE(SUM(cost_usd_nanos), 0) AS cost_usd_nanos";

function figures(r: Record<string, unknown>): CostFigures {
	return {
		calls: Number(r.calls ?? 0),
		input_tokens: Number(r.input_tokens ?? 0),
		output_tokens: Number(r.output_tokens ?? 0),
		cost_usd: Number(r.cost_usd_nanos ?? 0) / NANOS_PER_USD
	};
}

/** The spend between `from` and `to` grouped as asked, and its total over every group (rows past `max_rows` included). */
export async function costsOf(db: Database, q: CostQuery): Promise<CostReport> {
	const column = GROUP_COLUMN[q.group_by];
	const bind: unknown[] = [q.from, q.to];
	let where = "day >= $1 AND day <= $2";
	if (q.owner_id !== undefined) {
		bind.push(q.owner_id);
		where += " AND owner_id = $3";
	}
	const order = q.group_by === "day" ? "day" : `SUM(cost_usd_nanos) DESC, SUM(calls) DESC, ${column}`;
	const rows = await db.sql.all<Record<string, unknown>>(
		`SELECT ${column} AS group_key, ${SUMS} FROM llm_spend_daily WHERE ${where} GROUP BY ${column} ORDER BY ${order} LIMIT ${Math.floor(q.max_rows)}`,
		bind
	);
	const [total] = await db.sql.all<Record<string, unknown>>(`SELECT ${SUMS} FROM llm_spend_daily WHERE ${where}`, bind);
	return { group_by: q.group_by, from: q.from, to: q.to, rows: rows.map(r => ({ key: String(r.group_key), ...figures(r) })), total: figures(total ?? {}) };
}
