/** The `llm_calls` table (migrations/0011-llm-calls.ts): captured model calls of runs. */
import type { Database } from "../db/database";
import type { CapturedCall } from "./capture";

export interface CallKey {
	execution_id: string;
	step_id: string;
	attempt: number;
}

export interface StoredCall extends CapturedCall {
	id: number;
	step_id: string;
	attempt: number;
	/** Milliseconds since the epoch. */
	at: number;
}

interface CallRow {
	id: number | string;
	step_id: string;
	attempt: number;
	status: string;
	provider: string | null;
	model: string | null;
	request: string;
	response: string | null;
	usage: string | null;
	cost_usd: number | string | null;
	latency_ms: number;
	error: string | null;
	truncated: number | string;
	created_at: number | string;
}

const parsed = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

export class LlmCallStore {
	constructor(
		private readonly db: Database,
		private readonly now: () => number = Date.now
	) {}

	async record(key: CallKey, call: CapturedCall): Promise<void> {
		// Writes go through a transaction: SQLite's plain connection only reads.
		await this.db.sqlTransaction(tx =>
			tx.run(
			`INSERT INTO llm_calls (execution_id, step_id, attempt, status, provider, model, request, response, usage, cost_usd, latency_ms, error, truncated, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			[
				key.execution_id,
				key.step_id,
				key.attempt,
				call.status,
				call.provider,
				call.model,
				JSON.stringify(call.request),
				call.response && JSON.stringify(call.response),
				call.usage && JSON.stringify(call.usage),
				call.cost_usd,
				call.latency_ms,
				call.error,
				call.truncated ? 1 : 0,
				this.now()
			]
			)
		);
	}

	/** A page of one run's calls, in the order they were recorded. */
	async list(executionId: string, page: { pageSize: number; offset: number }): Promise<{ calls: StoredCall[]; total: number }> {
		const [{ n }] = await this.db.sql.all<{ n: number | string }>("SELECT COUNT(*) AS n FROM llm_calls WHERE execution_id = $1", [executionId]);
		const rows = await this.db.sql.all<CallRow>(`SELECT * FROM llm_calls WHERE execution_id = $1 ORDER BY id LIMIT ${Math.floor(page.pageSize)} OFFSET ${Math.floor(page.offset)}`, [executionId]);
		return {
			total: Number(n),
			calls: rows.map(r => ({
				id: Number(r.id),
				step_id: r.step_id,
				attempt: Number(r.attempt),
				status: r.status as StoredCall["status"],
				provider: r.provider,
				model: r.model,
				request: JSON.parse(r.request) as StoredCall["request"],
				response: parsed<StoredCall["response"]>(r.response),
				usage: parsed<StoredCall["usage"]>(r.usage),
				cost_usd: r.cost_usd === null ? null : Number(r.cost_usd),
				latency_ms: Number(r.latency_ms),
				error: r.error,
				truncated: Number(r.truncated) === 1,
				at: Number(r.created_at)
			}))
		};
	}
}
