import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * LLM transcripts (issue 21): one row per model call of a run whose calls are captured
 * (LLM_CAPTURE, or its workflow's `llm_capture`), written after the call answered or
 * failed, with secrets masked and texts cut to LLM_CAPTURE_MAX_BYTES. The JSON columns
 * hold what `lib/transcripts/capture.ts` built. Pruned and archived with the run.
 */
export const llmCalls: Migration = {
	name: "0011-llm-calls",
	async up({ queryInterface: q }) {
		await q.createTable("llm_calls", {
			id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
			execution_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: "executions", key: "id" }, onDelete: "CASCADE" },
			step_id: { type: DataTypes.STRING(128), allowNull: false },
			attempt: { type: DataTypes.INTEGER, allowNull: false },
			/** completed (the model answered) or failed (the call raised; `error` says why). */
			status: { type: DataTypes.STRING(16), allowNull: false },
			provider: { type: DataTypes.STRING(32), allowNull: true },
			model: { type: DataTypes.STRING(200), allowNull: true },
			/** `{messages, system, tools, ...}` as JSON. */
			request: { type: DataTypes.TEXT, allowNull: false },
			/** `{text, tool_calls, finish_reason}` as JSON; null when the call failed. */
			response: { type: DataTypes.TEXT, allowNull: true },
			usage: { type: DataTypes.TEXT, allowNull: true },
			cost_usd: { type: DataTypes.DOUBLE, allowNull: true },
			latency_ms: { type: DataTypes.INTEGER, allowNull: false },
			error: { type: DataTypes.TEXT, allowNull: true },
			/** 1 when some text was cut to LLM_CAPTURE_MAX_BYTES (an integer: SQLite binds no booleans). */
			truncated: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			created_at: { type: DataTypes.BIGINT, allowNull: false }
		});
		// The API lists one run's calls in order.
		await q.addIndex("llm_calls", ["execution_id", "id"], { name: "llm_calls_execution" });
	},
	async down({ queryInterface: q }) {
		await q.removeIndex("llm_calls", "llm_calls_execution");
		await q.dropTable("llm_calls");
	}
};
