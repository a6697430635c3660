import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * Running AI in production (issue 21). `secrets`: one row per owner (or `*`, shared) and
 * name, the value encrypted with AES-256-GCM (lib/secrets/cipher.ts) and the id of the key
 * that encrypted it, so a rotation can tell which rows still use an old key.
 * `executions.forked_from`: the run a fork reused the outputs of. `executions.retention_ms`:
 * its workflow's retention when the run started (null: EXECUTION_RETENTION; 0: forever).
 */
export const aiops: Migration = {
	name: "0010-aiops",
	async up({ queryInterface: q }) {
		await q.createTable("secrets", {
			owner_id: { type: DataTypes.STRING(36), primaryKey: true },
			name: { type: DataTypes.STRING(64), primaryKey: true },
			value: { type: DataTypes.TEXT, allowNull: false },
			key_id: { type: DataTypes.STRING(16), allowNull: false },
			created_by: { type: DataTypes.STRING(36), allowNull: true },
			created_at: { type: DataTypes.BIGINT, allowNull: false },
			updated_at: { type: DataTypes.BIGINT, allowNull: false }
		});
		await q.addColumn("executions", "forked_from", { type: DataTypes.STRING(36), allowNull: true });
		await q.addColumn("executions", "retention_ms", { type: DataTypes.BIGINT, allowNull: true });
		// The pruner reads ended runs oldest first.
		await q.addIndex("executions", ["completed_at"], { name: "executions_completed" });
		await q.addIndex("executions", ["root_execution_id"], { name: "executions_root" });
		await q.addIndex("events", ["received_at"], { name: "events_received" });
		await q.addIndex("agent_threads", ["updated_at"], { name: "agent_threads_updated" });
	},
	async down({ queryInterface: q }) {
		await q.removeIndex("agent_threads", "agent_threads_updated");
		await q.removeIndex("events", "events_received");
		await q.removeIndex("executions", "executions_root");
		await q.removeIndex("executions", "executions_completed");
		await q.removeColumn("executions", "retention_ms");
		await q.removeColumn("executions", "forked_from");
		await q.dropTable("secrets");
	}
};
