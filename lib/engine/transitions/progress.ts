import { emptyAftermath, type Aftermath, type EngineCore, type Transaction } from "../core";
import { progressOf } from "../plan";
import { TERMINAL_EXECUTION, type StepRef } from "../types";

/** An event a running step's progress adds to its execution's sequence (the step's id is added). */
export interface StepProgressEvent {
	type: string;
	fields: Record<string, unknown>;
}

/**
 * Writes a running step's progress (an agent's journal entry) in the engine's transaction:
 * it checks its own fence and returns the events to announce, or null to write nothing.
 */
export type StepProgress = (tx: Transaction) => Promise<StepProgressEvent[] | null>;

/** Records a running step's progress in one transaction with its execution's events. Returns what `progress` returned. */
export async function recordStepProgress(core: EngineCore, ref: StepRef, progress: StepProgress): Promise<StepProgressEvent[] | null> {
	const after = emptyAftermath();
	const recorded = await core.tx(tx => progressInTx(core, tx, ref, progress, after), undefined, after);
	core.afterCommit(after);
	return recorded;
}

/** `progress` in `tx`, its events numbered in the execution's sequence and published once `tx` commits. */
export async function progressInTx(core: EngineCore, tx: Transaction, ref: StepRef, progress: StepProgress, after: Aftermath): Promise<StepProgressEvent[] | null> {
	const events = await progress(tx);
	if (!events?.length) return events;
	const execution = await core.lockExecution(tx, ref.execution_id);
	if (!execution || TERMINAL_EXECUTION.has(execution.status)) return events;
	const domain = events.map(e => core.event(execution, e.type, { step_id: ref.step_id, ...e.fields }));
	await core.commitEvents(tx, execution, domain, after, ref.step_id, progressOf(execution.finished_steps, execution.total_steps));
	return events;
}
