import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * Evals (issue 21): `datasets` hold their items as one JSON list (bounded by
 * EVAL_DATASET_MAX_ITEMS and EVAL_DATASET_MAX_BYTES); an eval copies them into
 * `eval_items`, so deleting the dataset leaves the eval whole. An eval is driven by the node
 * holding its lease (`lease_owner`, `lease_until`): it starts one run per item, scores each
 * run that ended, and completes the eval with the scorers' aggregates.
 */
export const evals: Migration = {
	name: "0012-evals",
	async up({ queryInterface: q }) {
		await q.createTable("datasets", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			owner_id: { type: DataTypes.STRING(36), allowNull: false },
			name: { type: DataTypes.STRING(200), allowNull: false },
			items: { type: DataTypes.TEXT, allowNull: false },
			item_count: { type: DataTypes.INTEGER, allowNull: false },
			created_at: { type: DataTypes.BIGINT, allowNull: false }
		});
		await q.addIndex("datasets", ["owner_id", "created_at"], { name: "datasets_owner" });
		await q.createTable("evals", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			owner_id: { type: DataTypes.STRING(36), allowNull: false },
			workflow_id: { type: DataTypes.STRING(128), allowNull: false },
			workflow_version: { type: DataTypes.STRING(64), allowNull: false },
			dataset_id: { type: DataTypes.STRING(36), allowNull: false },
			scorers: { type: DataTypes.TEXT, allowNull: false },
			/** running, completed or failed. */
			status: { type: DataTypes.STRING(16), allowNull: false },
			error: { type: DataTypes.TEXT, allowNull: true },
			/** `{scorer name: mean score}` once completed. */
			aggregates: { type: DataTypes.TEXT, allowNull: true },
			lease_owner: { type: DataTypes.STRING(200), allowNull: true },
			lease_until: { type: DataTypes.BIGINT, allowNull: true },
			created_at: { type: DataTypes.BIGINT, allowNull: false },
			completed_at: { type: DataTypes.BIGINT, allowNull: true }
		});
		await q.addIndex("evals", ["status"], { name: "evals_status" });
		await q.createTable("eval_items", {
			eval_id: { type: DataTypes.STRING(36), primaryKey: true, references: { model: "evals", key: "id" }, onDelete: "CASCADE" },
			position: { type: DataTypes.INTEGER, primaryKey: true },
			inputs: { type: DataTypes.TEXT, allowNull: false },
			/** JSON; null when the item has none. */
			expected: { type: DataTypes.TEXT, allowNull: true },
			execution_id: { type: DataTypes.STRING(36), allowNull: true },
			/** The run's final status once scored. */
			run_status: { type: DataTypes.STRING(16), allowNull: true },
			outputs: { type: DataTypes.TEXT, allowNull: true },
			/** `{scorer name: {score, error?, reason?}}` once scored. */
			scores: { type: DataTypes.TEXT, allowNull: true },
			error: { type: DataTypes.TEXT, allowNull: true }
		});
	},
	async down({ queryInterface: q }) {
		await q.dropTable("eval_items");
		await q.removeIndex("evals", "evals_status");
		await q.dropTable("evals");
		await q.removeIndex("datasets", "datasets_owner");
		await q.dropTable("datasets");
	}
};
