import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * What an execution's LLM calls in flight may still use: each call reserves its worst
 * case (prompt estimate plus max_tokens, priced) before it is made and gives it back
 * when it answers, so parallel steps cannot together pass the execution's budget. The
 * step holds its share too, so the sweeper can give back what a dead node's calls held.
 */
export const llmBudgetReservations: Migration = {
	name: "0006-llm-budget-reservations",
	async up({ queryInterface: q }) {
		await q.addColumn("executions", "reserved_tokens", { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
		await q.addColumn("executions", "reserved_cost_usd", { type: DataTypes.DOUBLE, allowNull: false, defaultValue: 0 });
		await q.addColumn("step_runs", "reserved_tokens", { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
		await q.addColumn("step_runs", "reserved_cost_usd", { type: DataTypes.DOUBLE, allowNull: false, defaultValue: 0 });
	},
	async down({ queryInterface: q }) {
		await q.removeColumn("step_runs", "reserved_cost_usd");
		await q.removeColumn("step_runs", "reserved_tokens");
		await q.removeColumn("executions", "reserved_cost_usd");
		await q.removeColumn("executions", "reserved_tokens");
	}
};
