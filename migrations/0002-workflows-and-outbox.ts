import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/** Workflow definitions (immutable per owner, id and version) and the transactional outbox of domain events. */
export const workflowsAndOutbox: Migration = {
	name: "0002-workflows-and-outbox",
	async up({ queryInterface: q }) {
		await q.createTable("workflows", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			owner_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: "users", key: "id" } },
			workflow_id: { type: DataTypes.STRING(128), allowNull: false },
			version: { type: DataTypes.STRING(64), allowNull: false },
			name: { type: DataTypes.STRING(300), allowNull: false },
			description: { type: DataTypes.TEXT, allowNull: true },
			status: { type: DataTypes.STRING(16), allowNull: false },
			tags: { type: DataTypes.TEXT, allowNull: false },
			schedule: { type: DataTypes.STRING(200), allowNull: true },
			definition: { type: DataTypes.TEXT, allowNull: false },
			content_hash: { type: DataTypes.STRING(64), allowNull: false },
			created_at: { type: DataTypes.DATE, allowNull: false },
			updated_at: { type: DataTypes.DATE, allowNull: false }
		});
		await q.addIndex("workflows", ["owner_id", "workflow_id", "version"], { unique: true, name: "workflows_owner_id_version_unique" });
		await q.addIndex("workflows", ["owner_id", "status"], { name: "workflows_owner_status" });
		await q.addIndex("workflows", ["schedule"], { name: "workflows_schedule" });

		await q.createTable("outbox", {
			id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
			event_id: { type: DataTypes.STRING(36), allowNull: false },
			event_type: { type: DataTypes.STRING(100), allowNull: false },
			aggregate_type: { type: DataTypes.STRING(50), allowNull: false },
			aggregate_id: { type: DataTypes.STRING(64), allowNull: false },
			payload: { type: DataTypes.TEXT, allowNull: false },
			occurred_at: { type: DataTypes.BIGINT, allowNull: false },
			published_at: { type: DataTypes.BIGINT, allowNull: true },
			attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 }
		});
		await q.addIndex("outbox", ["event_id"], { unique: true, name: "outbox_event_id_unique" });
		await q.addIndex("outbox", ["published_at", "id"], { name: "outbox_unpublished" });
	},
	async down({ queryInterface: q }) {
		await q.dropTable("outbox");
		await q.dropTable("workflows");
	}
};
