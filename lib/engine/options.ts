import type { Database } from "../db";
import type { WorkflowDefinition } from "../dsl";
import type { Isolation } from "../isolation";
import type { DomainEvent } from "../events/outbox";
import type { StepServices } from "../steps";
import type { ExecutionContext } from "./cache";
import type { TreeLimits } from "./trees";
import type { ExecutionRow, StepRef, StepRunRow } from "./types";
import type { SecretSource } from "../secrets/attempt";

/** What the engine publishes after each committed transition (for live streams and metrics). */
export interface EngineUpdate {
	execution: {
		execution_id: string;
		owner_id: string;
		workflow_id: string;
		workflow_version: string;
		status: ExecutionRow["status"];
		progress: number;
		current_step: string | null;
		parent_execution_id: string | null;
	};
	/** The transition's domain events, each numbered in its execution's sequence (`seq`). */
	events: (DomainEvent & { seq: number })[];
}

export interface EngineLog {
	info(obj: object, msg: string): void;
	warn(obj: object, msg: string): void;
	error(obj: object, msg: string): void;
}

export interface EngineOptions {
	db: Database;
	/** Unique per process start: leases name it, so a restarted node never renews a dead one's leases. */
	leaseOwner: string;
	leaseMs: number;
	/** Steps this node runs at once. */
	concurrency: number;
	defaultMaxParallel: number;
	/** Per-attempt timeout of steps that set none. */
	defaultStepTimeoutMs: number;
	/** Lost leases a step may have before it fails instead of running again. */
	maxRecoveries: number;
	/** Where conditions run (lib/isolation), under the step's timeout. */
	isolation: Pick<Isolation, "condition">;
	/** Largest output a step may record, and largest text its params' templates may interpolate (bytes). */
	maxOutputBytes: number;
	/** How deep and wide sub-workflow trees may grow, and how many runs a user may have running. */
	trees: TreeLimits;
	/**
	 * Longest any statement of an engine transaction may run, a lock wait included (ms;
	 * PostgreSQL): under `leaseMs`, so no transition waits on a frozen holder past its lease.
	 * Unbounded when absent.
	 */
	transactionTimeoutMs?: number;
	/** Runs that may wait (queued) for one flow-control key; more are refused. */
	flowMaxQueued: number;
	loadDefinition(workflowRef: string): Promise<WorkflowDefinition>;
	/** Services a step may use, for one attempt; `secretValues` are the secrets its params read (masked in what the services record). */
	services(execution: ExecutionContext, step: StepRunRow, secretValues?: readonly string[]): StepServices;
	/** The owner's secrets a step's params read (lib/secrets); steps that read secrets fail without it. */
	secrets?: SecretSource;
	/** Sends ready steps to some execution node (possibly this one). */
	dispatch(refs: StepRef[]): void;
	/** Tells every node to abort the running attempts of these executions. */
	abort(executionIds: string[]): void;
	publish(update: EngineUpdate): void;
	onStepFinished?(type: string, status: string, durationMs: number): void;
	onExecutionFinished?(workflowId: string, status: string, durationMs: number): void;
	onRecovered?(count: number): void;
	/** Flow control queued a run (by the kind of key that held it), debounced one into another, or admitted one. */
	onFlowChange?(change: "concurrency" | "rate_limit" | "debounce" | "running" | "debounced" | "admitted"): void;
	/**
	 * The lease owners whose leases lapsed in a sweep: their nodes stopped renewing (dead or
	 * stuck). Called before the recovered steps are dispatched, so the caller can stop sending
	 * work to those nodes first.
	 */
	onLeasesLapsed?(owners: string[]): void;
	log: EngineLog;
	now?: () => number;
	random?: () => number;
}
