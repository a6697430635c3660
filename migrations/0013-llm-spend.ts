import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * LLM spend (issue 21, the cost API): every answered model call of a run adds its tokens
 * and cost to one row per UTC day, owner, workflow, provider and model, in the transaction
 * that charges the call to the run's budget, whether or not its transcript is captured.
 * Rows hold no content and are not pruned with runs: a month's costs outlive its runs.
 * Cost is in nano-dollars (1e-9 USD) so a sum of cheap calls stays exact.
 */
export const llmSpend: Migration = {
	name: "0013-llm-spend",
	async up({ queryInterface: q }) {
		const count = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
		await q.createTable("llm_spend_daily", {
			day: { type: DataTypes.STRING(10), primaryKey: true },
			owner_id: { type: DataTypes.STRING(36), primaryKey: true },
			workflow_id: { type: DataTypes.STRING(128), primaryKey: true },
			provider: { type: DataTypes.STRING(32), primaryKey: true },
			model: { type: DataTypes.STRING(200), primaryKey: true },
			calls: count(),
			input_tokens: count(),
			output_tokens: count(),
			cost_usd_nanos: count()
		});
		// A user's costs over a range: the owner's view reads only their rows.
		await q.addIndex("llm_spend_daily", ["owner_id", "day"], { name: "llm_spend_daily_owner" });
	},
	async down({ queryInterface: q }) {
		await q.removeIndex("llm_spend_daily", "llm_spend_daily_owner");
		await q.dropTable("llm_spend_daily");
	}
};
