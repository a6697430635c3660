import { DataTypes, Op } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * Events in and flow control: events (deduplicated by id per owner), the trigger index
 * (owner and event name → active workflow versions), inbound webhooks, the waits of
 * `wait_for_event` steps (their match on the waiting step row), and the flow-control
 * slots every run with a concurrency key, rate limit or debounce holds or waits for.
 */
export const eventsAndFlowControl: Migration = {
	name: "0008-events-triggers-and-flow",
	async up({ queryInterface: q }) {
		const ms = (allowNull = true) => ({ type: DataTypes.BIGINT, allowNull });
		await q.createTable("events", {
			// Arrival order: catch-up reads and listings follow it.
			seq: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
			// The public id: the sender's (deduplicated per owner) or a generated one.
			id: { type: DataTypes.STRING(300), allowNull: false },
			owner_id: { type: DataTypes.STRING(36), allowNull: false },
			name: { type: DataTypes.STRING(200), allowNull: false },
			data: { type: DataTypes.TEXT, allowNull: false },
			source: { type: DataTypes.STRING(16), allowNull: false },
			hook_id: { type: DataTypes.STRING(36), allowNull: true },
			// A signal's run; null for events any run may hear.
			execution_id: { type: DataTypes.STRING(36), allowNull: true },
			// The wait that took a signal (`execution_id/step_id`); a signal is consumed once.
			consumed_by: { type: DataTypes.STRING(200), allowNull: true },
			runs: { type: DataTypes.TEXT, allowNull: false },
			problems: { type: DataTypes.TEXT, allowNull: false },
			delivered_to: { type: DataTypes.TEXT, allowNull: false },
			received_at: ms(false)
		});
		await q.addIndex("events", ["owner_id", "id"], { unique: true, name: "events_owner_id_unique" });
		await q.addIndex("events", ["owner_id", "name", "seq"], { name: "events_owner_name" });
		await q.addIndex("events", ["execution_id", "name"], { name: "events_signals", where: { execution_id: { [Op.ne]: null } } });

		await q.createTable("workflow_triggers", {
			workflow_ref: { type: DataTypes.STRING(36), primaryKey: true, references: { model: "workflows", key: "id" }, onDelete: "CASCADE" },
			position: { type: DataTypes.INTEGER, primaryKey: true },
			owner_id: { type: DataTypes.STRING(36), allowNull: false },
			event_name: { type: DataTypes.STRING(200), allowNull: false }
		});
		await q.addIndex("workflow_triggers", ["owner_id", "event_name"], { name: "workflow_triggers_event" });

		await q.createTable("event_hooks", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			owner_id: { type: DataTypes.STRING(36), allowNull: false },
			event: { type: DataTypes.STRING(200), allowNull: false },
			verify: { type: DataTypes.STRING(32), allowNull: false },
			secret: { type: DataTypes.STRING(600), allowNull: true },
			// The secret before the last rotation, accepted until previous_until.
			previous_secret: { type: DataTypes.STRING(600), allowNull: true },
			previous_until: ms(),
			description: { type: DataTypes.STRING(500), allowNull: true },
			created_at: ms(false),
			updated_at: ms(false)
		});
		await q.addIndex("event_hooks", ["owner_id", "created_at"], { name: "event_hooks_owner" });

		// A wait_for_event step: the event it waits for, its match and since when events count.
		await q.addColumn("step_runs", "wait_event", { type: DataTypes.STRING(200), allowNull: true });
		await q.addColumn("step_runs", "wait_match", { type: DataTypes.TEXT, allowNull: true });
		await q.addColumn("step_runs", "wait_since", ms());
		await q.addIndex("step_runs", ["wait_event"], { name: "step_runs_event_waits", where: { waiting_for: "event" } });

		await q.addColumn("executions", "priority", { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
		// The flow-control keys the run holds or waits for (JSON), null for most runs.
		await q.addColumn("executions", "flow", { type: DataTypes.TEXT, allowNull: true });
		await q.addColumn("executions", "event_id", { type: DataTypes.STRING(300), allowNull: true });
		await q.addIndex("executions", ["status"], { name: "executions_queued", where: { status: "queued" } });

		await q.createTable("flow_slots", {
			// Arrival order: first come, first served among runs of one priority.
			id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
			key: { type: DataTypes.STRING(400), allowNull: false },
			execution_id: { type: DataTypes.STRING(36), allowNull: false },
			kind: { type: DataTypes.STRING(16), allowNull: false },
			capacity: { type: DataTypes.INTEGER, allowNull: false },
			period: ms(),
			// queued: waits for the key; held: counts against it.
			state: { type: DataTypes.STRING(8), allowNull: false },
			priority: { type: DataTypes.INTEGER, allowNull: false },
			queued_at: ms(false),
			held_at: ms(),
			// A debounce fires, a rate-limited run may try again, at this time.
			due_at: ms()
		});
		await q.addIndex("flow_slots", ["key", "execution_id"], { unique: true, name: "flow_slots_key_execution" });
		await q.addIndex("flow_slots", ["key", "state", "priority", "id"], { name: "flow_slots_key_state" });
		await q.addIndex("flow_slots", ["execution_id"], { name: "flow_slots_execution" });
		await q.addIndex("flow_slots", ["due_at"], { name: "flow_slots_due", where: { state: "queued", due_at: { [Op.ne]: null } } });

		await q.addColumn("workflow_schedules", "timezone", { type: DataTypes.STRING(64), allowNull: true });
	},
	async down({ queryInterface: q }) {
		await q.removeColumn("workflow_schedules", "timezone");
		await q.dropTable("flow_slots");
		await q.removeIndex("executions", "executions_queued");
		await q.removeColumn("executions", "event_id");
		await q.removeColumn("executions", "flow");
		await q.removeColumn("executions", "priority");
		await q.removeIndex("step_runs", "step_runs_event_waits");
		await q.removeColumn("step_runs", "wait_since");
		await q.removeColumn("step_runs", "wait_match");
		await q.removeColumn("step_runs", "wait_event");
		await q.dropTable("event_hooks");
		await q.dropTable("workflow_triggers");
		await q.dropTable("events");
	}
};
