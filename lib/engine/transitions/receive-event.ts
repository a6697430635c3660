import { randomUUID } from "node:crypto";
import type { WorkflowDefinition } from "../../dsl";
import { appendToOutbox, domainEvent } from "../../events/outbox";
import { emptyAftermath, type Aftermath, type EngineCore, type Transaction } from "../core";
import { eventView, type EventProblem, type EventRun, type EventSource, type EventView, type EventWait } from "../event-store";
import type { TriggeredStart } from "../triggers";
import type { StepRef } from "../types";
import { finishInTx } from "./finish";
import { startedHere, startInTx, type StartResult } from "./start";

/** An event as it arrives: from `POST /events`, an inbound webhook, or a signal to one run. */
export interface IncomingEvent {
	ownerId: string;
	/** The sender's id (deduplicated per owner); null: a new id is made. */
	id: string | null;
	name: string;
	data: unknown;
	source: EventSource;
	hookId?: string | null;
	/** A signal's run. */
	executionId?: string | null;
}

export interface ReceivedEvent {
	event_id: string;
	duplicate: boolean;
	runs: EventRun[];
	problems: EventProblem[];
	delivered_to: StepRef[];
	received_at: number;
}

/** Waits one event is offered to; more wait on the same name only when an owner runs that many at once (documented). */
const MAX_WAITS_PER_EVENT = 1000;

/**
 * An event arrives: in one transaction it is stored (a duplicate id changes nothing), the
 * runs its triggers matched start (or queue, or join a debounce), and every wait of the
 * owner on its name whose match it meets completes with it; a signal goes to its run's
 * first matching wait only, or is kept for the wait to come. `prepare` works out the
 * triggered starts (filters, inputs) before the transaction; it is not called for a
 * duplicate or a signal.
 */
export async function receiveEvent(core: EngineCore, incoming: IncomingEvent, prepare: (event: EventView) => Promise<TriggeredStart[]>): Promise<ReceivedEvent> {
	const receivedAt = core.now();
	const id = incoming.id ?? randomUUID();
	if (incoming.id) {
		const seen = await core.events.byId(incoming.ownerId, incoming.id);
		if (seen) return { event_id: seen.id, duplicate: true, runs: seen.runs, problems: seen.problems, delivered_to: seen.delivered_to, received_at: seen.received_at };
	}
	const view = eventView({ id, name: incoming.name, data: incoming.data, received_at: receivedAt });
	const starts = incoming.source === "signal" ? [] : await prepare(view);
	const after = emptyAftermath();
	const started: { result: StartResult; definition: WorkflowDefinition }[] = [];
	const received = await core.tx(async tx => {
		started.length = 0;
		await core.events.lockName(tx, incoming.ownerId, incoming.name, "event");
		const seq = await core.events.insert(tx, {
			id,
			owner_id: incoming.ownerId,
			name: incoming.name,
			data: incoming.data,
			source: incoming.source,
			hook_id: incoming.hookId ?? null,
			execution_id: incoming.executionId ?? null,
			received_at: receivedAt
		});
		if (seq === null) return null;
		const runs: EventRun[] = [];
		const problems: EventProblem[] = [];
		for (const start of starts) {
			if ("problem" in start) {
				problems.push(start.problem);
				continue;
			}
			const result = await startInTx(core, tx, start.request, after);
			const names = { workflow_id: start.request.workflowId, workflow_version: start.request.workflowVersion };
			if ("refused" in result) {
				problems.push({ ...names, type: "queue_full", message: result.refused });
				continue;
			}
			started.push({ result, definition: start.request.definition });
			runs.push({ execution_id: result.execution.id, ...names, status: result.outcome === "queued" ? "queued" : result.outcome === "debounced" ? "debounced" : "started" });
		}
		const delivered = await deliver(core, tx, incoming, view, after);
		if (incoming.source === "signal" && delivered.length) await core.events.consume(tx, seq, delivered[0]);
		await core.events.setOutcome(tx, seq, { runs, problems, delivered_to: delivered });
		await appendToOutbox(tx, [
			domainEvent(
				"EventReceived",
				// The sender's id may be long: the aggregate is the event's row.
				{ type: "event", id: String(seq) },
				{
					// event_id is the domain event's own id; this is the event received.
					inbound_event_id: id,
					owner_id: incoming.ownerId,
					name: incoming.name,
					source: incoming.source,
					hook_id: incoming.hookId ?? null,
					execution_id: incoming.executionId ?? null,
					runs,
					problems,
					delivered_to: delivered
				},
				receivedAt
			)
		]);
		return { event_id: id, duplicate: false, runs, problems, delivered_to: delivered, received_at: receivedAt };
	}, undefined, after);
	if (!received) {
		// Another request with this id committed first.
		const seen = (await core.events.byId(incoming.ownerId, id))!;
		return { event_id: seen.id, duplicate: true, runs: seen.runs, problems: seen.problems, delivered_to: seen.delivered_to, received_at: seen.received_at };
	}
	for (const s of started) startedHere(core, s.result, s.definition);
	core.afterCommit(after);
	return received;
}

/** How long a wait's match may take (ms): it runs inside the event's transaction; past it, the event does not match. */
const MATCH_TIMEOUT_MS = 500;

/** Completes the waits this event meets (a signal: its run's first one only). */
async function deliver(core: EngineCore, tx: Transaction, incoming: IncomingEvent, view: EventView, after: Aftermath): Promise<StepRef[]> {
	const signal = incoming.source === "signal";
	const waits = await core.events.waitsFor(tx, incoming.ownerId, incoming.name, signal ? (incoming.executionId ?? null) : null, MAX_WAITS_PER_EVENT);
	const delivered: StepRef[] = [];
	for (const wait of waits) {
		if (!(await meets(core, wait, view, tx))) continue;
		if (await finishInTx(core, tx, wait, { waitingFor: "event" }, { status: "completed", output: view }, after, 0)) {
			delivered.push({ execution_id: wait.execution_id, step_id: wait.step_id });
			if (signal) break;
		}
	}
	return delivered;
}

/** Whether an event meets a wait's match (over `event`, the run's inputs and the steps it reads). A match that fails to evaluate does not match. */
export async function meets(core: EngineCore, wait: Pick<EventWait, "execution_id" | "step_id" | "wait_match">, event: EventView, tx?: Transaction): Promise<boolean> {
	if (!wait.wait_match) return true;
	try {
		const context = await core.cache.context(wait.execution_id);
		const scope = await core.cache.scope(context, context.plan.reads.get(wait.step_id) ?? [], tx);
		// A user expression over the event's data: evaluated where a limit stops it (inside this transaction, so the limit is short).
		return await core.opts.isolation.condition(wait.wait_match, { ...scope, event }, AbortSignal.timeout(MATCH_TIMEOUT_MS));
	} catch (err) {
		core.log.warn({ err, execution_id: wait.execution_id, step_id: wait.step_id }, "A wait's match failed to evaluate; the event does not match it");
		return false;
	}
}
