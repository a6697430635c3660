import { DataTypes, Op } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * The engine's ledger: one row per execution, one per step of it, and the schedule of
 * cron-triggered workflows. Times the engine compares on its hot path are epoch
 * milliseconds (BIGINT), the same on SQLite and PostgreSQL.
 */
export const executions: Migration = {
	name: "0003-executions",
	async up({ queryInterface: q }) {
		const ms = (allowNull = true) => ({ type: DataTypes.BIGINT, allowNull });
		await q.createTable("executions", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			owner_id: { type: DataTypes.STRING(36), allowNull: false },
			workflow_ref: { type: DataTypes.STRING(36), allowNull: false, references: { model: "workflows", key: "id" } },
			workflow_id: { type: DataTypes.STRING(128), allowNull: false },
			workflow_version: { type: DataTypes.STRING(64), allowNull: false },
			status: { type: DataTypes.STRING(16), allowNull: false },
			trigger: { type: DataTypes.STRING(16), allowNull: false },
			inputs: { type: DataTypes.TEXT, allowNull: false },
			outputs: { type: DataTypes.TEXT, allowNull: true },
			error: { type: DataTypes.TEXT, allowNull: true },
			total_steps: { type: DataTypes.INTEGER, allowNull: false },
			finished_steps: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			active_steps: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			max_parallel: { type: DataTypes.INTEGER, allowNull: false },
			event_seq: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
			idempotency_key: { type: DataTypes.STRING(255), allowNull: true },
			parent_execution_id: { type: DataTypes.STRING(36), allowNull: true },
			parent_step_id: { type: DataTypes.STRING(128), allowNull: true },
			usage: { type: DataTypes.TEXT, allowNull: true },
			budget: { type: DataTypes.TEXT, allowNull: true },
			created_at: ms(false),
			started_at: ms(),
			completed_at: ms(),
			updated_at: ms(false)
		});
		await q.addIndex("executions", ["owner_id", "idempotency_key"], { unique: true, name: "executions_owner_idempotency_unique" });
		await q.addIndex("executions", ["owner_id", "created_at"], { name: "executions_owner_created" });
		await q.addIndex("executions", ["workflow_ref"], { name: "executions_workflow" });
		await q.addIndex("executions", ["status"], { name: "executions_status", where: { status: "running" } });
		await q.addIndex("executions", ["parent_execution_id"], { name: "executions_parent", where: { parent_execution_id: { [Op.ne]: null } } });

		await q.createTable("step_runs", {
			execution_id: { type: DataTypes.STRING(36), primaryKey: true, references: { model: "executions", key: "id" }, onDelete: "CASCADE" },
			step_id: { type: DataTypes.STRING(128), primaryKey: true },
			position: { type: DataTypes.INTEGER, allowNull: false },
			type: { type: DataTypes.STRING(32), allowNull: false },
			status: { type: DataTypes.STRING(16), allowNull: false },
			pending_deps: { type: DataTypes.INTEGER, allowNull: false },
			ready_at: ms(),
			attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			max_attempts: { type: DataTypes.INTEGER, allowNull: false },
			recoveries: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			lease_owner: { type: DataTypes.STRING(200), allowNull: true },
			lease_expires_at: ms(),
			waiting_for: { type: DataTypes.STRING(16), allowNull: true },
			due_at: ms(),
			approval: { type: DataTypes.TEXT, allowNull: true },
			child_execution_id: { type: DataTypes.STRING(36), allowNull: true },
			output: { type: DataTypes.TEXT, allowNull: true },
			error: { type: DataTypes.TEXT, allowNull: true },
			usage: { type: DataTypes.TEXT, allowNull: true },
			started_at: ms(),
			completed_at: ms()
		});
		// Partial indexes: a row is in one only while it is in that state, so a transition touches few index pages.
		await q.addIndex("step_runs", ["ready_at"], { name: "step_runs_ready", where: { status: "pending", ready_at: { [Op.ne]: null } } });
		await q.addIndex("step_runs", ["lease_expires_at"], { name: "step_runs_leases", where: { status: "running", waiting_for: null } });
		await q.addIndex("step_runs", ["lease_owner"], { name: "step_runs_lease_owner", where: { status: "running" } });
		await q.addIndex("step_runs", ["due_at"], { name: "step_runs_waiting", where: { status: "running", waiting_for: { [Op.ne]: null } } });

		await q.createTable("workflow_schedules", {
			workflow_ref: { type: DataTypes.STRING(36), primaryKey: true, references: { model: "workflows", key: "id" }, onDelete: "CASCADE" },
			owner_id: { type: DataTypes.STRING(36), allowNull: false },
			cron: { type: DataTypes.STRING(200), allowNull: false },
			next_run_at: ms(false),
			last_run_at: ms(),
			last_execution_id: { type: DataTypes.STRING(36), allowNull: true }
		});
		await q.addIndex("workflow_schedules", ["next_run_at"], { name: "workflow_schedules_due" });
	},
	async down({ queryInterface: q }) {
		await q.dropTable("workflow_schedules");
		await q.dropTable("step_runs");
		await q.dropTable("executions");
	}
};
