import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * What the event bus's handlers keep: the inbox (events each handler has already
 * handled, for idempotency), dead letters, the audit log, usage per user and day,
 * per-step statistics, notifications, and webhooks with their delivery log. Times are
 * epoch milliseconds (BIGINT), like the engine's ledger.
 */
export const eventBus: Migration = {
	name: "0004-event-bus",
	async up({ queryInterface: q }) {
		const ms = (allowNull = true) => ({ type: DataTypes.BIGINT, allowNull });
		const count = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });

		await q.createTable("event_inbox", {
			handler: { type: DataTypes.STRING(64), primaryKey: true },
			event_id: { type: DataTypes.STRING(64), primaryKey: true },
			processed_at: ms(false)
		});
		await q.addIndex("event_inbox", ["processed_at"], { name: "event_inbox_processed" });

		await q.createTable("dead_letters", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			handler: { type: DataTypes.STRING(64), allowNull: false },
			event_id: { type: DataTypes.STRING(64), allowNull: true },
			event_type: { type: DataTypes.STRING(100), allowNull: true },
			payload: { type: DataTypes.TEXT, allowNull: false },
			headers: { type: DataTypes.TEXT, allowNull: false },
			error_message: { type: DataTypes.TEXT, allowNull: false },
			error_type: { type: DataTypes.STRING(100), allowNull: false },
			attempts: { type: DataTypes.INTEGER, allowNull: false },
			// retrying (in-process delivery waiting for its next try), dead, replayed, discarded
			status: { type: DataTypes.STRING(16), allowNull: false },
			next_attempt_at: ms(),
			failed_at: ms(false),
			replayed_at: ms(),
			replay_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 }
		});
		await q.addIndex("dead_letters", ["status", "failed_at"], { name: "dead_letters_status" });
		await q.addIndex("dead_letters", ["next_attempt_at"], { name: "dead_letters_retrying", where: { status: "retrying" } });

		await q.createTable("audit_log", {
			id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
			occurred_at: ms(false),
			actor_id: { type: DataTypes.STRING(36), allowNull: true },
			action: { type: DataTypes.STRING(64), allowNull: false },
			resource_type: { type: DataTypes.STRING(32), allowNull: false },
			resource_id: { type: DataTypes.STRING(128), allowNull: true },
			client_ip: { type: DataTypes.STRING(64), allowNull: true },
			details: { type: DataTypes.TEXT, allowNull: false },
			event_id: { type: DataTypes.STRING(64), allowNull: false }
		});
		await q.addIndex("audit_log", ["event_id"], { unique: true, name: "audit_log_event_unique" });
		await q.addIndex("audit_log", ["occurred_at"], { name: "audit_log_occurred" });
		await q.addIndex("audit_log", ["actor_id", "occurred_at"], { name: "audit_log_actor" });
		await q.addIndex("audit_log", ["resource_type", "resource_id"], { name: "audit_log_resource" });

		await q.createTable("usage_daily", {
			user_id: { type: DataTypes.STRING(36), primaryKey: true },
			day: { type: DataTypes.STRING(10), primaryKey: true },
			executions_started: count(),
			executions_completed: count(),
			executions_failed: count(),
			prompt_tokens: count(),
			completion_tokens: count(),
			total_tokens: count(),
			cost_usd_micros: count()
		});

		await q.createTable("step_statistics", {
			owner_id: { type: DataTypes.STRING(36), primaryKey: true },
			workflow_id: { type: DataTypes.STRING(128), primaryKey: true },
			workflow_version: { type: DataTypes.STRING(64), primaryKey: true },
			step_id: { type: DataTypes.STRING(128), primaryKey: true },
			step_type: { type: DataTypes.STRING(32), allowNull: false },
			completed_count: count(),
			timed_count: count(),
			total_duration_ms: count(),
			min_duration_ms: ms(),
			max_duration_ms: ms(),
			total_attempts: count(),
			retried_count: count(),
			prompt_tokens: count(),
			completion_tokens: count(),
			total_tokens: count(),
			cost_usd_micros: count(),
			last_completed_at: ms()
		});

		await q.createTable("notifications", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			user_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: "users", key: "id" } },
			kind: { type: DataTypes.STRING(16), allowNull: false },
			title: { type: DataTypes.STRING(300), allowNull: false },
			message: { type: DataTypes.TEXT, allowNull: false },
			event_id: { type: DataTypes.STRING(64), allowNull: false },
			event_type: { type: DataTypes.STRING(100), allowNull: false },
			workflow_id: { type: DataTypes.STRING(128), allowNull: true },
			execution_id: { type: DataTypes.STRING(36), allowNull: true },
			data: { type: DataTypes.TEXT, allowNull: false },
			created_at: ms(false),
			read_at: ms()
		});
		await q.addIndex("notifications", ["user_id", "created_at"], { name: "notifications_user" });

		await q.createTable("webhooks", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			owner_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: "users", key: "id" } },
			workflow_id: { type: DataTypes.STRING(128), allowNull: false },
			url: { type: DataTypes.STRING(2048), allowNull: false },
			events: { type: DataTypes.TEXT, allowNull: false },
			secret: { type: DataTypes.STRING(128), allowNull: false },
			description: { type: DataTypes.STRING(500), allowNull: true },
			status: { type: DataTypes.STRING(16), allowNull: false },
			created_at: ms(false),
			updated_at: ms(false)
		});
		await q.addIndex("webhooks", ["owner_id", "workflow_id"], { name: "webhooks_owner_workflow" });

		await q.createTable("webhook_deliveries", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			webhook_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: "webhooks", key: "id" }, onDelete: "CASCADE" },
			owner_id: { type: DataTypes.STRING(36), allowNull: false },
			event_id: { type: DataTypes.STRING(64), allowNull: false },
			event_type: { type: DataTypes.STRING(100), allowNull: false },
			execution_id: { type: DataTypes.STRING(36), allowNull: true },
			payload: { type: DataTypes.TEXT, allowNull: false },
			// pending, delivered, failed, cancelled
			status: { type: DataTypes.STRING(16), allowNull: false },
			attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
			next_attempt_at: ms(),
			created_at: ms(false),
			last_attempt_at: ms(),
			delivered_at: ms(),
			last_status_code: { type: DataTypes.INTEGER, allowNull: true },
			last_error: { type: DataTypes.TEXT, allowNull: true },
			attempt_log: { type: DataTypes.TEXT, allowNull: false }
		});
		await q.addIndex("webhook_deliveries", ["webhook_id", "event_id"], { unique: true, name: "webhook_deliveries_event_unique" });
		await q.addIndex("webhook_deliveries", ["webhook_id", "created_at"], { name: "webhook_deliveries_log" });
		await q.addIndex("webhook_deliveries", ["next_attempt_at"], { name: "webhook_deliveries_due", where: { status: "pending" } });
	},
	async down({ queryInterface: q }) {
		for (const table of ["webhook_deliveries", "webhooks", "notifications", "step_statistics", "usage_daily", "audit_log", "dead_letters", "event_inbox"]) {
			await q.dropTable(table);
		}
	}
};
