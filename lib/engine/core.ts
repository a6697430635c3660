import { GroupAborted, type SqlRunner, type TransactionLimits } from "../db/database";
import { appendToOutbox, domainEvent, type DomainEvent } from "../events/outbox";
import { ExecutionCache } from "./cache";
import type { EngineOptions, EngineUpdate } from "./options";
import { EventStore } from "./event-store";
import { FlowStore } from "./flow-store";
import { EngineStore } from "./store";
import type { ExecutionRow, FlowKey, StepRef, StepRunRow } from "./types";

/** A statement runner inside one of the engine's transactions. */
export type Transaction = SqlRunner;

/** What a committed transition leaves to do once its transaction is over. */
export interface Aftermath {
	updates: EngineUpdate[];
	dispatch: StepRef[];
	/** Steps claimed for this node in the transaction: the caller runs them. */
	runHere: StepRunRow[];
	abort: string[];
	/** Retries and timers that come due on this node (the sweeper catches any this node misses). */
	retryAt: { ref: StepRef; at: number }[];
	outputs: { execution_id: string; step_id: string; output: unknown }[];
	finished: { type: string; status: string; durationMs: number }[];
	executionsFinished: { executionId: string; workflowId: string; status: string; durationMs: number }[];
	/** Flow-control due times (a debounce, a rate window) this node should look at when they come. */
	admitAt: number[];
	/** What flow control did: a run queued (by the kind of key that held it), debounced into another, admitted. */
	flowChanges: (FlowKey["kind"] | "debounced" | "admitted")[];
}

/** Where `after`'s lists end now; `rewind` cuts them back there (what a rolled-back transaction added). */
export function markAftermath(after: Aftermath): { rewind(): void } {
	const lengths = Object.entries(after).map(([key, list]) => [key as keyof Aftermath, (list as unknown[]).length] as const);
	return {
		rewind: () => {
			for (const [key, length] of lengths) (after[key] as unknown[]).length = length;
		}
	};
}

export const emptyAftermath = (): Aftermath => ({
	updates: [],
	dispatch: [],
	runHere: [],
	abort: [],
	retryAt: [],
	outputs: [],
	finished: [],
	executionsFinished: [],
	admitAt: [],
	flowChanges: []
});

/** How a wait for approval ended: by the owner (or an admin), or by its timeout. */
export interface ApprovalDecision {
	decision: "approved" | "rejected" | "timed_out";
	decided_by: string | null;
	comment: string | null;
}

/** Transactions retried on a deadlock, a busy file or a timed-out statement, at most this many times in all. */
const MAX_TX_ATTEMPTS = 5;

/** A unique index refused the row (SQLite's and PostgreSQL's codes). */
export function isUniqueViolation(err: unknown): boolean {
	const e = err as { code?: string; message?: string };
	return e?.code === "23505" || /UNIQUE constraint failed/.test(e?.message ?? "");
}

const codeOf = (err: unknown): string | undefined => {
	const e = err as { parent?: { code?: string }; original?: { code?: string }; code?: string };
	return e?.parent?.code ?? e?.original?.code ?? e?.code;
};

/** Errors a transaction may hit under contention and should simply run again. */
function isTransient(err: unknown): boolean {
	const code = codeOf(err);
	return code === "40P01" || code === "40001" || code === "SQLITE_BUSY" || /SQLITE_BUSY|deadlock detected/.test((err as { message?: string })?.message ?? "");
}

/**
 * PostgreSQL ended a statement at the engine's transaction timeout (57014) or a lock
 * timeout (55P03): a frozen session's locks (its server ends that session within the same
 * timeout) or a database slowed down by load. Run again, unless the caller set its own
 * lock timeout to give up quickly (the sweep skips such an item until its next pass).
 */
const isTimedOut = (err: unknown): boolean => {
	const code = codeOf(err);
	return code === "57014" || code === "55P03";
};

/**
 * What every transition shares: the options, the ledger's statements, the node's cache of
 * execution contexts, the clock, and the three steps of a transition's life — run it in a
 * transaction (`tx`), number and append its events with the execution's changes
 * (`commitEvents`), and act on what it decided once it committed (`afterCommit`).
 */
export class EngineCore {
	readonly store: EngineStore;
	/** Flow control's rows (./flow-store.ts) and events with the waits for them (./event-store.ts). */
	readonly flow: FlowStore;
	readonly events: EventStore;
	readonly cache: ExecutionCache;
	readonly now: () => number;
	readonly random: () => number;
	/** Set by the worker: arms a local timer for a retry or a wait that comes due at `at`. */
	scheduleLocal: (ref: StepRef, at: number) => void = () => undefined;
	/** Set by the worker: looks at flow control's due debounces and rate windows at `at`. */
	scheduleAdmission: (at: number) => void = () => undefined;
	/** Set by the worker: how many more attempts it can take now (0 while draining). */
	freeSlots: () => number = () => 0;
	/** Set by the worker: runs steps a transition outside it claimed for this node (a run's start), each in a slot of its own. */
	runLocal: (rows: StepRunRow[]) => void = () => undefined;

	constructor(readonly opts: EngineOptions) {
		this.store = new EngineStore(opts.db);
		this.flow = new FlowStore(opts.db);
		this.events = new EventStore(opts.db);
		this.cache = new ExecutionCache(this.store, opts.loadDefinition);
		this.now = opts.now ?? Date.now;
		this.random = opts.random ?? Math.random;
	}

	get log(): EngineOptions["log"] {
		return this.opts.log;
	}

	/**
	 * One transaction, bounded by the engine's transaction timeout (and `limits`), run again
	 * when the database reports a deadlock or a busy file. What `fn` adds to `after` in an
	 * attempt that rolled back is taken out before the next one, so a retried transaction
	 * does not dispatch, publish or run here twice what it did once. With `group` (the
	 * execution it transitions), it may share its commit with others (see Database.sqlTransaction).
	 */
	async tx<T>(fn: (tx: Transaction) => Promise<T>, limits?: TransactionLimits, after?: Aftermath, group?: string): Promise<T> {
		const bounds = { statementTimeoutMs: this.opts.transactionTimeoutMs, ...limits };
		const mark = after && markAftermath(after);
		for (let attempt = 1; ; attempt++) {
			try {
				return await this.opts.db.sqlTransaction(fn, bounds, group);
			} catch (err) {
				if (mark) mark.rewind();
				// Rolled back with its commit group for another's sake: at once again, on its own (not a try of its own).
				if (err instanceof GroupAborted && group !== undefined) {
					group = undefined;
					attempt--;
					continue;
				}
				const again = isTransient(err) || (limits?.lockTimeoutMs === undefined && isTimedOut(err));
				if (attempt >= MAX_TX_ATTEMPTS || !again) throw err;
				await new Promise(r => setTimeout(r, 5 * attempt + this.random() * 10));
			}
		}
	}

	lockExecution(tx: Transaction, id: string): Promise<ExecutionRow | null> {
		return this.store.lockExecution(tx, id, this.opts.db.dialect);
	}

	event(execution: ExecutionRow, type: string, fields: Record<string, unknown>): DomainEvent {
		return domainEvent(
			type,
			{ type: "execution", id: execution.id },
			{
				execution_id: execution.id,
				workflow_id: execution.workflow_id,
				workflow_version: execution.workflow_version,
				owner_id: execution.owner_id,
				...fields
			},
			this.now()
		);
	}

	/** The ApprovalDecided event that goes out with the transition an approval decision (or its timeout) causes. */
	decidedEvents(execution: ExecutionRow, stepId: string, decided: ApprovalDecision | undefined): DomainEvent[] {
		return decided ? [this.event(execution, "ApprovalDecided", { step_id: stepId, ...decided })] : [];
	}

	/**
	 * Numbers the events in the execution's sequence, writes them to the outbox and the
	 * execution's changes in the same transaction, and queues the live update.
	 */
	async commitEvents(
		tx: Transaction,
		execution: ExecutionRow,
		events: DomainEvent[],
		after: Aftermath,
		currentStep: string | null,
		progress: number,
		changes: Partial<ExecutionRow> = {},
		opts: {
			/** The execution row was just inserted with these events already counted in its event_seq. */
			inserted?: boolean;
			/** Steps to make ready (and claim here) in the same statement. */
			claim?: Parameters<EngineStore["advance"]>[2];
		} = {}
	): Promise<StepRunRow[]> {
		const first = opts.inserted ? execution.event_seq - events.length + 1 : execution.event_seq + 1;
		const numbered = events.map((e, i) => ({ ...e, seq: first + i }));
		const seqChanges = opts.inserted ? {} : { event_seq: execution.event_seq + events.length };
		let claimed: StepRunRow[] = [];
		if (opts.inserted) await appendToOutbox(tx, numbered);
		else if (opts.claim) claimed = await this.store.advance(tx, execution.id, opts.claim, { ...changes, ...seqChanges, updated_at: this.now() }, numbered);
		else await this.store.commitExecution(tx, execution.id, { ...changes, ...seqChanges, updated_at: this.now() }, numbered);
		const status = (changes.status ?? execution.status) as ExecutionRow["status"];
		after.updates.push({
			execution: {
				execution_id: execution.id,
				owner_id: execution.owner_id,
				workflow_id: execution.workflow_id,
				workflow_version: execution.workflow_version,
				status,
				progress,
				current_step: currentStep,
				parent_execution_id: execution.parent_execution_id
			},
			events: numbered
		});
		Object.assign(execution, changes, seqChanges);
		return claimed;
	}

	/** Publishes, aborts, dispatches and arms timers for what a committed transition decided. */
	afterCommit(after: Aftermath): void {
		for (const u of after.updates) this.opts.publish(u);
		if (after.abort.length) this.opts.abort(after.abort);
		if (after.dispatch.length) this.opts.dispatch(after.dispatch);
		for (const { ref, at } of after.retryAt) this.scheduleLocal(ref, at);
		for (const at of new Set(after.admitAt)) this.scheduleAdmission(at);
		for (const change of after.flowChanges) this.opts.onFlowChange?.(change);
		for (const f of after.finished) this.opts.onStepFinished?.(f.type, f.status, f.durationMs);
		for (const e of after.executionsFinished) {
			this.opts.onExecutionFinished?.(e.workflowId, e.status, e.durationMs);
			// An ended run's context is not read again unless it is retried (then it is loaded from the ledger): it would only hold memory until evicted.
			this.cache.forget(e.executionId);
		}
	}
}
