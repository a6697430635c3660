import { formatDuration } from "../../duration";
import type { EventWaitSpec } from "../../steps";
import { emptyAftermath, type Aftermath, type EngineCore, type Transaction } from "../core";
import { eventView } from "../event-store";
import { progressOf } from "../plan";
import { recordStepOutcome } from "../tracing";
import type { StepRef, StepRunRow } from "../types";
import { failInTx } from "./fail";
import { finishInTx } from "./finish";
import { meets } from "./receive-event";

/** Stored events a beginning wait looks through (signals kept for its run; with `since: run_start`, the owner's events since the run began). */
const CATCH_UP_LIMIT = 500;

/**
 * The attempt now waits for an event, holding no worker: the step row records the
 * event's name, the match and since when events count, and its due time (the step's
 * timeout). Under the lock an arriving event of that name takes too, so every event
 * committed after this sees the wait; a signal kept for the run (or, with `since:
 * run_start`, an event received since the run started) that meets the match completes
 * it at once.
 */
export async function recordEventWait(core: EngineCore, row: StepRunRow, fence: { leaseOwner: string; attempt: number }, wait: { dueAt: number | null; event: EventWaitSpec }): Promise<void> {
	const after = emptyAftermath();
	recordStepOutcome("waiting");
	const context = await core.cache.context(row.execution_id);
	const ownerId = context.execution.owner_id;
	await core.tx(async tx => {
		await core.events.lockName(tx, ownerId, wait.event.event, "wait");
		const execution = await core.store.execution(row.execution_id, tx);
		if (!execution) return;
		const since = wait.event.since === "run_start" ? execution.created_at : core.now();
		const waiting = await core.events.setWaiting(tx, row, fence, { event: wait.event.event, match: wait.event.match, since, dueAt: wait.dueAt });
		if (!waiting) return;
		const locked = (await core.lockExecution(tx, row.execution_id))!;
		const event = core.event(locked, "StepExecutionWaiting", {
			step_id: row.step_id,
			waiting_for: "event",
			event: wait.event.event,
			due_at: wait.dueAt ? new Date(wait.dueAt).toISOString() : null,
			child_execution_id: null
		});
		await core.commitEvents(tx, locked, [event], after, row.step_id, progressOf(locked.finished_steps, locked.total_steps));
		await catchUp(core, tx, row, ownerId, wait.event, wait.event.since === "run_start" ? since : null, after);
	}, undefined, after);
	if (wait.dueAt) after.retryAt.push({ ref: row, at: wait.dueAt });
	core.afterCommit(after);
}

/** The first stored event the wait may take and whose match it meets completes it now. */
async function catchUp(core: EngineCore, tx: Transaction, ref: StepRef, ownerId: string, wait: EventWaitSpec, since: number | null, after: Aftermath): Promise<void> {
	for (const stored of await core.events.storedFor(tx, ownerId, wait.event, ref.execution_id, since, CATCH_UP_LIMIT)) {
		const view = eventView(stored);
		if (!(await meets(core, { ...ref, wait_match: wait.match }, view, tx))) continue;
		const signal = stored.execution_id !== null;
		if (!(await core.events.addDelivered(tx, stored, ref, signal))) continue;
		await finishInTx(core, tx, ref, { waitingFor: "event" }, { status: "completed", output: view }, after, 0);
		return;
	}
}

/** No event came within the step's timeout: the step fails (`event_timeout`), or completes with null when its `on_timeout` says continue. */
export async function timeOutEventWait(core: EngineCore, tx: Transaction, row: StepRunRow, after: Aftermath): Promise<boolean> {
	const step = (await core.cache.context(row.execution_id)).plan.steps.get(row.step_id);
	if (step?.params.on_timeout === "continue") {
		return finishInTx(core, tx, row, { waitingFor: "event" }, { status: "completed", output: null }, after, 0);
	}
	const waited = step?.timeout ? ` within ${formatDuration(step.timeout)}` : "";
	const error = { message: `No ${row.wait_event ?? "matching"} event came${waited}`, type: "event_timeout", attempt: row.attempts };
	return failInTx(core, tx, row, { waitingFor: "event" }, error, after);
}
