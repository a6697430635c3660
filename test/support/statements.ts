import type { Database, SqlRunner } from "../../lib/db/database";

/**
 * Shows `watch` every statement the ledger's transactions run, before it runs; `watch` may
 * throw, as the database would (a database failing at a chosen moment), or just count.
 * `restore` gives the database its own `sqlTransaction` back.
 */
export function watchStatements(db: Database, watch: (sql: string, params: readonly unknown[]) => void): { restore(): void } {
	const target = db as { sqlTransaction: Database["sqlTransaction"] };
	const original = db.sqlTransaction.bind(db);
	const watched = (runner: SqlRunner): SqlRunner => ({
		all: async (sql, params = []) => (watch(sql, params), runner.all(sql, params)),
		run: async (sql, params = []) => (watch(sql, params), runner.run(sql, params))
	});
	target.sqlTransaction = (fn, limits, group) => original(runner => fn(watched(runner)), limits, group);
	return { restore: () => void (target.sqlTransaction = original) };
}
