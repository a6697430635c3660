import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * The trace an execution belongs to: the W3C `traceparent` of the span that started it
 * (the `execute` action, a schedule tick, a parent's step). Every step attempt, on
 * whichever node and however late, starts its span under it, so one execution is one
 * trace. Null when tracing was off at the start.
 */
export const executionTraceContext: Migration = {
	name: "0005-execution-trace-context",
	async up({ queryInterface: q }) {
		// version (2) - trace id (32) - span id (16) - flags (2), dashes included: 55 characters.
		await q.addColumn("executions", "traceparent", { type: DataTypes.STRING(64), allowNull: true });
	},
	async down({ queryInterface: q }) {
		await q.removeColumn("executions", "traceparent");
	}
};
