import type { Dialect } from "../db";
import { classifyStatement, sanitizeStatement, stripLogPrefix } from "./sql";
import { recordFinishedSpan, SpanKind, tracingEnabled } from "./tracing";

export interface QueryMetricsSink {
	/** One statement ran: its operation, main table and duration in seconds. */
	query(operation: string, table: string, seconds: number): void;
}

export type QueryObserver = (logged: string, ms: number) => void;

/**
 * What happens with each SQL statement the node runs (lib/db's `onQuery` hook): it is
 * counted and timed by operation and table, and becomes a span of the active trace.
 */
export function createQueryObserver(dialect: Dialect, metrics?: QueryMetricsSink): QueryObserver {
	const tracing = tracingEnabled();
	// The engine runs the same few prepared statements over and over: classify each text once.
	const classified = new Map<string, { operation: string; table: string }>();
	return (logged, ms) => {
		const sql = stripLogPrefix(logged);
		let kind = classified.get(sql);
		if (!kind) {
			kind = classifyStatement(sql);
			if (classified.size > 2000) classified.clear();
			classified.set(sql, kind);
		}
		const { operation, table } = kind;
		metrics?.query(operation, table, ms / 1000);
		if (!tracing) return;
		const end = Date.now();
		recordFinishedSpan(`${operation} ${table}`, end - ms, end, SpanKind.CLIENT, () => ({
			"db.system.name": dialect === "postgres" ? "postgresql" : "sqlite",
			"db.operation.name": operation,
			"db.collection.name": table,
			"db.query.text": sanitizeStatement(sql)
		}));
	};
}
