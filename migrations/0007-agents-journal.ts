import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * An agent step's progress (`lib/agents/journal.ts`): each model turn and tool call is a
 * row appended in the transaction that finishes it, numbered per step; and conversation
 * threads that outlive a run, one row per owner and thread id.
 */
export const agentsJournal: Migration = {
	name: "0007-agents-journal",
	async up({ queryInterface: q }) {
		await q.createTable("agent_journal", {
			execution_id: { type: DataTypes.STRING(36), primaryKey: true, references: { model: "executions", key: "id" }, onDelete: "CASCADE" },
			step_id: { type: DataTypes.STRING(128), primaryKey: true },
			seq: { type: DataTypes.INTEGER, primaryKey: true },
			kind: { type: DataTypes.STRING(32), allowNull: false },
			/** The attempt that appended it. */
			attempt: { type: DataTypes.INTEGER, allowNull: false },
			entry: { type: DataTypes.TEXT, allowNull: false },
			created_at: { type: DataTypes.BIGINT, allowNull: false }
		});
		await q.createTable("agent_threads", {
			owner_id: { type: DataTypes.STRING(36), primaryKey: true },
			thread_id: { type: DataTypes.STRING(200), primaryKey: true },
			messages: { type: DataTypes.TEXT, allowNull: false },
			message_count: { type: DataTypes.INTEGER, allowNull: false },
			/** Messages dropped from the front to keep the thread under its cap. */
			dropped: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			last_execution_id: { type: DataTypes.STRING(36), allowNull: true },
			created_at: { type: DataTypes.BIGINT, allowNull: false },
			updated_at: { type: DataTypes.BIGINT, allowNull: false }
		});
	},
	async down({ queryInterface: q }) {
		await q.dropTable("agent_threads");
		await q.dropTable("agent_journal");
	}
};
