import type { CallEstimate } from "../llm/budget";
import { EngineCore } from "./core";
import type { EngineOptions } from "./options";
import type { EngineStore } from "./store";
import { sweep, type SweepResult } from "./sweep";
import { reserveLlmCall, settleLlmCall } from "./transitions/budget";
import { cancelExecution } from "./transitions/cancel";
import { decideApproval } from "./transitions/decide";
import { recordStepProgress, type StepProgress, type StepProgressEvent } from "./transitions/progress";
import { retryExecution } from "./transitions/retry-execution";
import { receiveEvent, type IncomingEvent, type ReceivedEvent } from "./transitions/receive-event";
import { startExecution, type StartOutcome, type StartRequest } from "./transitions/start";
import type { EventView } from "./event-store";
import type { TriggeredStart } from "./triggers";
import type { ExecutionRow, StepRef, Usage } from "./types";
import { StepWorker } from "./worker";

export type { EngineOptions, EngineUpdate } from "./options";
export type { StartOutcome, StartRequest } from "./transitions/start";
export type { StepProgress, StepProgressEvent } from "./transitions/progress";
export type { IncomingEvent, ReceivedEvent } from "./transitions/receive-event";

/**
 * The durable execution engine. The database is the ledger: every transition (start,
 * claim, complete, skip, fail, retry, wait, cancel) is one transaction together with its
 * outbox events (`./transitions/`, one module per state change). Ready steps travel as
 * messages, but correctness never depends on them: leases and the sweeper (`./sweep.ts`)
 * recover lost work. This class is the engine's face to the execution service, which
 * wires it to the broker; `./worker.ts` runs this node's share of the steps.
 */
export class Engine {
	private readonly core: EngineCore;
	private readonly worker: StepWorker;

	constructor(opts: EngineOptions) {
		this.core = new EngineCore(opts);
		this.worker = new StepWorker(this.core);
	}

	get store(): EngineStore {
		return this.core.store;
	}

	get runningCount(): number {
		return this.worker.runningCount;
	}

	get queueDepth(): number {
		return this.worker.queueDepth;
	}

	startExecution(req: StartRequest): Promise<{ execution: ExecutionRow; created: boolean; outcome: StartOutcome }> {
		return startExecution(this.core, req);
	}

	/** An event (or a signal) arrives: stored once, its triggered runs started, the waits it meets completed (./transitions/receive-event.ts). */
	receiveEvent(incoming: IncomingEvent, prepare: (event: EventView) => Promise<TriggeredStart[]>): Promise<ReceivedEvent> {
		return receiveEvent(this.core, incoming, prepare);
	}

	/** Ready steps arrived (a message, the sweeper, a timer): run them when a slot is free. */
	enqueue(refs: StepRef[]): void {
		this.worker.enqueue(refs);
	}

	cancel(executionId: string, reason: string, by: string | null = null): Promise<ExecutionRow | null> {
		return cancelExecution(this.core, executionId, reason, by);
	}

	/** Approves or rejects a step waiting for approval. Returns false when no such wait exists. */
	decide(ref: StepRef, decision: "approved" | "rejected", by: string, comment: string | null): Promise<boolean> {
		return decideApproval(this.core, ref, decision, by, comment);
	}

	/** Runs a failed (or cancelled) execution again from the steps that did not finish. */
	retryExecution(executionId: string): Promise<ExecutionRow | null> {
		return retryExecution(this.core, executionId);
	}

	/** Holds a call's worst case against its tree's budget: see `./transitions/budget.ts`. Returns what the tree spent and its limits. */
	reserveLlmCall(ref: StepRef, worst: CallEstimate, defaults: { max_tokens: number; max_cost_usd: number }): Promise<{ used: Usage; budget: ExecutionRow["budget"] }> {
		return reserveLlmCall(this.core, ref, worst, defaults);
	}

	/** Settles an LLM call; `progress` (an agent's turn) is recorded in the same transaction. */
	settleLlmCall(ref: StepRef, worst: CallEstimate, spent: Usage | null, progress?: StepProgress): Promise<StepProgressEvent[] | null> {
		return settleLlmCall(this.core, ref, worst, spent, progress);
	}

	/** Records a running step's progress (an agent's tool call) with its execution's events. */
	recordStepProgress(ref: StepRef, progress: StepProgress): Promise<StepProgressEvent[] | null> {
		return recordStepProgress(this.core, ref, progress);
	}

	/** Keeps this node's leases alive; called well within the lease time. */
	renewLeases(): Promise<void> {
		return this.worker.renewLeases();
	}

	/** One sweep (on the elected node): see `./sweep.ts`. `redispatchAll` sends every ready step again, however recent. */
	sweep(dispatchGraceMs: number, opts: { redispatchAll?: boolean } = {}): Promise<SweepResult> {
		return sweep(this.core, dispatchGraceMs, opts);
	}

	/** Stops taking work; waits for running attempts up to `timeoutMs`, then gives the rest back to the cluster. */
	drain(timeoutMs: number): Promise<{ finished: number; released: number }> {
		return this.worker.drain(timeoutMs);
	}

	/** Aborts this node's running attempts of executions that were cancelled or failed elsewhere. */
	abortLocal(executionIds: string[]): void {
		this.worker.abortLocal(executionIds);
	}
}
