import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * Bounded trees of executions. Every sub-workflow knows the run at the root of its tree
 * and its depth below it; the root counts the executions of its tree (`tree_size`, at
 * most EXECUTION_MAX_TREE_SIZE) and what the tree's LLM calls spent (`tree_usage`): the
 * root's budget covers the whole tree, and the tree's calls in flight hold their
 * reservations on the root's row (the 0006 columns). A user's root runs over
 * EXECUTION_MAX_RUNNING_PER_USER wait as `queued` (a flow key, 0008): the index counts a
 * user's running roots from the index alone.
 */
export const isolationExecutionTrees: Migration = {
	name: "0009-isolation-execution-trees",
	async up({ queryInterface: q }) {
		await q.addColumn("executions", "root_execution_id", { type: DataTypes.STRING(36), allowNull: true });
		await q.addColumn("executions", "depth", { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
		await q.addColumn("executions", "tree_size", { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 });
		await q.addColumn("executions", "tree_usage", { type: DataTypes.TEXT, allowNull: true });
		// The partial condition's columns too: the count reads the index alone (SQLite checks them from the index, not the row).
		await q.addIndex("executions", ["owner_id", "status", "parent_execution_id"], { name: "executions_running_roots", where: { status: "running", parent_execution_id: null } });
	},
	async down({ queryInterface: q }) {
		await q.removeIndex("executions", "executions_running_roots");
		await q.removeColumn("executions", "tree_usage");
		await q.removeColumn("executions", "tree_size");
		await q.removeColumn("executions", "depth");
		await q.removeColumn("executions", "root_execution_id");
	}
};

