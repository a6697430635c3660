import { appendFileSync } from "node:fs";
import type { Load } from "./load";
import { PROFILE } from "./profile";

/** What one experiment did to the runs, the row of the results table (bench/README.md, chaos). */
export interface Outcome {
	experiment: string;
	profile: string;
	/** Runs the clients asked for, and those accepted (202). */
	asked: number;
	accepted: number;
	/** Accepted, but not in the ledger. */
	lost: number;
	/** In the ledger, not finished when the experiment gave up waiting. */
	stuck: number;
	/** Finished, but failed or with an output other than the workflow computes. */
	wrong: number;
	/** A step's completion, or a run's, recorded more than once. */
	duplicates: number;
	/** Domain events of finished runs that never reached their handler. */
	undelivered: number;
	/** Steps that ran more than once (at-least-once delivery; not a fault by itself). */
	rerun: number;
	/** What the experiment measures as its recovery, in ms, with what it means. */
	recoveryMs: number | null;
	recovery: string;
	/** Every answer the clients got, by status (0: no connection). */
	answers: Record<string, number>;
	/** Asks that got no answer, by why (the connection error's code). */
	noConnection: Record<string, number>;
	/** The longest a client waited for one answer (ms). */
	slowestAnswerMs: number;
	notes?: string;
}

type Query = <T extends Record<string, unknown>>(sql: string, bind?: unknown[]) => Promise<T[] | null>;

/** What an experiment reads from the ledger about its runs; null while the database cannot be read. */
export interface Ledger {
	/** Accepted runs not finished yet, plus finished runs whose completion event has not reached its handler. */
	open(ids: string[]): Promise<number | null>;
	/** Each run's status and the output of its last step (`double`). */
	runs(ids: string[]): Promise<{ id: string; status: string; output: string | null }[] | null>;
	/** Steps, or runs, whose completion was recorded more than once. */
	duplicates(ids: string[]): Promise<number | null>;
	/** Completion events of these runs that never reached their handler. */
	undelivered(ids: string[]): Promise<number | null>;
	/** When the last of these runs finished (ms epoch), and how many have. */
	lastFinished(ids: string[]): Promise<{ at: number | null; finished: number } | null>;
}

const UNDELIVERED = `o.event_type = 'WorkflowExecutionCompleted' AND NOT EXISTS (SELECT 1 FROM event_inbox i WHERE i.handler = 'execution-completed' AND i.event_id = o.event_id)`;

/** The ledger in PostgreSQL (a cluster), read through `query`. */
export function postgresLedger(query: Query): Ledger {
	const count = async (sql: string, ids: string[]) => (await query<{ n: number }>(sql, [ids]))?.[0].n ?? null;
	return {
		open: ids =>
			count(
				`SELECT (SELECT COUNT(*)::int FROM executions WHERE id = ANY($1) AND status NOT IN ('completed', 'failed', 'cancelled'))
				+ (SELECT COUNT(*)::int FROM outbox o WHERE o.aggregate_id = ANY($1) AND ${UNDELIVERED}) AS n`,
				ids
			),
		runs: ids => query(`SELECT e.id, e.status, s.output FROM executions e LEFT JOIN step_runs s ON s.execution_id = e.id AND s.step_id = 'double' WHERE e.id = ANY($1)`, [ids]),
		duplicates: ids =>
			count(
				`SELECT COUNT(*)::int AS n FROM (
					SELECT aggregate_id, payload::json->>'step_id' FROM outbox WHERE aggregate_id = ANY($1) AND event_type = 'StepExecutionCompleted' GROUP BY 1, 2 HAVING COUNT(*) > 1
					UNION ALL
					SELECT aggregate_id, '' FROM outbox WHERE aggregate_id = ANY($1) AND event_type IN ('WorkflowExecutionCompleted', 'WorkflowExecutionFailed') GROUP BY 1 HAVING COUNT(*) > 1
				) d`,
				ids
			),
		undelivered: ids => count(`SELECT COUNT(*)::int AS n FROM outbox o WHERE o.aggregate_id = ANY($1) AND ${UNDELIVERED}`, ids),
		async lastFinished(ids) {
			const rows = await query<{ at: string | null; n: number }>(`SELECT MAX(completed_at)::text AS at, COUNT(completed_at)::int AS n FROM executions WHERE id = ANY($1)`, [ids]);
			return rows && { at: rows[0].at === null ? null : Number(rows[0].at), finished: rows[0].n };
		}
	};
}

/** The ledger in an embedded node's SQLite file, read on a connection of its own each time (the node may be down or restarting). */
export function sqliteLedger(file: string): Ledger {
	const read = <T>(sql: string, ids: string[]): T[] | null => {
		const BetterSqlite3 = require("better-sqlite3") as typeof import("better-sqlite3");
		let db: import("better-sqlite3").Database | undefined;
		try {
			db = new BetterSqlite3(file, { readonly: true, timeout: 2000 });
			return db.prepare(sql).all({ ids: JSON.stringify(ids) }) as T[];
		} catch {
			return null;
		} finally {
			db?.close();
		}
	};
	// One bound JSON array of ids (a named parameter), used as often as the statement needs.
	const IDS = "(SELECT value FROM json_each(@ids))";
	const count = async (sql: string, ids: string[]) => read<{ n: number }>(sql, ids)?.[0].n ?? null;
	return {
		open: ids =>
			count(
				`SELECT (SELECT COUNT(*) FROM executions WHERE id IN ${IDS} AND status NOT IN ('completed', 'failed', 'cancelled'))
				+ (SELECT COUNT(*) FROM outbox o WHERE o.aggregate_id IN ${IDS} AND ${UNDELIVERED}) AS n`,
				ids
			),
		runs: async ids => read(`SELECT e.id, e.status, s.output FROM executions e LEFT JOIN step_runs s ON s.execution_id = e.id AND s.step_id = 'double' WHERE e.id IN ${IDS}`, ids),
		duplicates: ids =>
			count(
				`SELECT COUNT(*) AS n FROM (
					SELECT aggregate_id, json_extract(payload, '$.step_id') FROM outbox WHERE aggregate_id IN ${IDS} AND event_type = 'StepExecutionCompleted' GROUP BY 1, 2 HAVING COUNT(*) > 1
					UNION ALL
					SELECT aggregate_id, '' FROM outbox WHERE aggregate_id IN ${IDS} AND event_type IN ('WorkflowExecutionCompleted', 'WorkflowExecutionFailed') GROUP BY 1 HAVING COUNT(*) > 1
				)`,
				ids
			),
		undelivered: ids => count(`SELECT COUNT(*) AS n FROM outbox o WHERE o.aggregate_id IN ${IDS} AND ${UNDELIVERED}`, ids),
		async lastFinished(ids) {
			const rows = read<{ at: number | null; n: number }>(`SELECT MAX(completed_at) AS at, COUNT(completed_at) AS n FROM executions WHERE id IN ${IDS}`, ids);
			return rows && { at: rows[0].at === null ? null : Number(rows[0].at), finished: rows[0].n };
		}
	};
}

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

/**
 * Counts what happened to the load's runs: waits (up to `deadlineMs`) for every accepted
 * run to finish and its completion to reach its handler, then reads the ledger.
 */
export async function outcomeOf(
	experiment: string,
	load: Load,
	ledger: Ledger,
	opts: {
		deadlineMs?: number;
		/** The target server's calls by Idempotency-Key. */
		calls: Map<string, number>;
		/** Measured once every run has settled: what the experiment calls its recovery, in ms. */
		recovery: () => Promise<{ ms: number | null; what: string }>;
		notes?: string;
	}
): Promise<Outcome> {
	const accepted = load.accepted();
	const ids = accepted.map(r => r.id);
	await when(async () => (await ledger.open(ids)) === 0, "every run to finish", opts.deadlineMs ?? 90_000, 250).catch(() => undefined);
	const recovery = await opts.recovery();
	const byId = new Map(((await ledger.runs(ids)) ?? []).map(r => [r.id, r]));
	let lost = 0;
	let stuck = 0;
	let wrong = 0;
	for (const run of accepted) {
		const row = byId.get(run.id);
		if (!row) lost++;
		else if (!TERMINAL.has(row.status)) stuck++;
		else if (row.status !== "completed" || JSON.parse(row.output ?? "null") !== run.n * 2) wrong++;
	}
	// The target server counts calls by Idempotency-Key (execution:step:attempt).
	const perStep = new Map<string, number>();
	const mine = new Set(ids);
	for (const [key, n] of opts.calls) {
		const [execution, step] = key.split(":");
		if (mine.has(execution)) perStep.set(`${execution}:${step}`, (perStep.get(`${execution}:${step}`) ?? 0) + n);
	}
	const outcome: Outcome = {
		experiment,
		profile: PROFILE.name,
		asked: load.runs.length,
		accepted: accepted.length,
		lost,
		stuck,
		wrong,
		duplicates: (await ledger.duplicates(ids)) ?? -1,
		undelivered: (await ledger.undelivered(ids)) ?? -1,
		rerun: [...perStep.values()].filter(n => n > 1).length,
		recoveryMs: recovery.ms === null ? null : Math.round(recovery.ms),
		recovery: recovery.what,
		answers: load.answerCounts(),
		noConnection: Object.fromEntries(load.noConnection),
		slowestAnswerMs: load.slowestMs,
		...(opts.notes ? { notes: opts.notes } : {})
	};
	report(outcome);
	return outcome;
}

/** Every outcome goes to stderr; with CHAOS_RESULTS set (npm run test:chaos), also to that file, one JSON line each. */
export function report(outcome: Outcome): void {
	process.stderr.write(`\n[chaos] ${JSON.stringify(outcome)}\n`);
	if (process.env.CHAOS_RESULTS) appendFileSync(process.env.CHAOS_RESULTS, `${JSON.stringify({ ...outcome, at: new Date().toISOString() })}\n`);
}

/** Polls `condition` until it holds; returns when (ms epoch). A deadline, not a timed assertion: past it the test fails naming `what`. */
export async function when(condition: () => Promise<boolean> | boolean, what: string, deadlineMs = 60_000, everyMs = 50): Promise<number> {
	for (const until = Date.now() + deadlineMs; ; ) {
		if (await condition()) return Date.now();
		if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${deadlineMs} ms`);
		await new Promise(r => setTimeout(r, everyMs));
	}
}
