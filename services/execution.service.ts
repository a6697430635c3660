import { randomBytes } from "node:crypto";
import type { Context, ServiceSchema } from "moleculer";
import { canAccess, isAdmin, type Principal } from "../lib/auth/principal";
import { leaderTakeOverMs, type Database, type HeldLock } from "../lib/db/database";
import { coerceInputs, type TemplateScope, type WorkflowDefinition } from "../lib/dsl";
import type { ExecutionContext } from "../lib/engine/cache";
import { Engine, type EngineOptions, type EngineUpdate } from "../lib/engine/engine";
import { planOf, progressOf, type ExecutionPlan } from "../lib/engine/plan";
import { presenceLockName } from "../lib/engine/presence";
import { RunReads, type ExecutionRead, type StepsRead } from "../lib/engine/reads";
import { nextTick } from "../lib/engine/schedule";
import { TERMINAL_EXECUTION, type ExecutionRow, type StepRef, type StepRunRow } from "../lib/engine/types";
import { AppError, conflict, forbidden, notFound, validationFailed } from "../lib/errors";
import { formatBytes, jsonSize } from "../lib/isolation";
import { readOutbox } from "../lib/events/outbox";
import { activeTraceparent, inSpan } from "../lib/observability/tracing";
import { PAGE_PARAMS, pageOf } from "../lib/pagination";
import { engineTransactionTimeoutMs } from "../lib/config";
import { runtimeOf, type Runtime } from "../lib/runtime";
import { llmSettingsFrom, type LlmSettings } from "../lib/llm";
import { completionRequestOf, worstCaseOf, type CompleteParams } from "../lib/llm/request";
import { StepFailure, type LlmStepResult, type StepServices } from "../lib/steps";
import { BULK_RESULT, PRUNE_REPORT, EXECUTION, EXECUTION_PAGE, EXECUTION_STATUSES, EXECUTION_SUMMARY, STEP_RUN_VIEW, THREAD, TRANSCRIPT } from "../lib/workflows/openapi";
import { reusedSteps, type RunFilter } from "../lib/engine/fork";
import type { ReusedStep } from "../lib/engine/plan";
import { WorkflowStore, type WorkflowRecord } from "../lib/workflows/store";
import { LabelValues } from "../lib/observability/labels";
import { TtlCache } from "../lib/ttl-cache";
import { isoTime as iso } from "../lib/views";
import { LapsedNodesMixin } from "../mixins/lapsed-nodes.mixin";
import { AgentJournal, type JournalEntry, type StoredEntry } from "../lib/agents/journal";
import { inputsSchema } from "../lib/agents/input-schema";
import type { McpServers } from "../lib/agents/mcp-servers";
import type { AgentEvent, AgentServices, ChildRun, StepBudget, TurnResult } from "../lib/agents/services";
import { ThreadStore } from "../lib/agents/threads";
import { ExecutionWaiters } from "../lib/agents/waiters";
import { checkBudget } from "../lib/llm/budget";
import { budgetExceeded } from "../lib/llm/errors";
import { flowKeysOf } from "../lib/engine/flow";
import { triggeredStarts, type TriggerCandidate } from "../lib/engine/triggers";
import type { IncomingEvent, ReceivedEvent, StartOutcome } from "../lib/engine/engine";
import type { EventSource } from "../lib/engine/event-store";
import { EVENT_NAME_PATTERN, LIMITS } from "../lib/dsl/model";
import { SIGNAL_ANSWER } from "../lib/inbound/openapi";
import { triggeredWorkflows } from "../lib/workflows/triggers";
import { ENGINE_METRICS, ensureMetrics, EVENT_METRICS } from "../mixins/metrics";
import { SecretStore } from "../lib/secrets/store";
import { Pruner } from "../lib/retention/prune";
import { parseDuration } from "../lib/duration";
import { Mutex } from "../lib/mutex";
import path from "node:path";
import { LlmCallStore } from "../lib/transcripts/store";
import { LlmCallRecorder } from "../lib/transcripts/recorder";
import { LLM_CALL_PAGE } from "../lib/transcripts/openapi";

/** Batches one pass of the elected node prunes at most: the rest waits for the next pass. */
const PRUNE_BATCHES_PER_PASS = 50;

/** Runs one bulk call selects at most, and when it does not say. */
const MAX_BULK = 500;
const DEFAULT_BULK = 100;

/** How long a trigger's filter may take over an event's data (ms): past it, the filter failed (a problem on the event). */
const USER_CONDITION_TIMEOUT_MS = 1000;

interface Meta {
	user: Principal;
	client_ip?: string;
	idempotency_key?: string;
	$statusCode?: number;
	$location?: string;
}
type Ctx<P = Record<string, unknown>> = Context<P, Meta>;

interface Vars {
	runtime: Runtime;
	/** What an LLM call may cost at most is worked out here, with the same settings as the LLM service. */
	llmSettings: LlmSettings;
	database: Database;
	engine: Engine;
	workflows: WorkflowStore;
	/** The API's reads of runs, bounded by EXECUTION_VIEW_MAX_BYTES. */
	reads: RunReads;
	/** Definitions by workflow ref, least recently used first out, bounded by DEFINITION_CACHE_MAX_BYTES. */
	definitions: TtlCache<WorkflowDefinition>;
	leader: HeldLock | null;
	/** This node's presence lock (lib/engine/presence.ts), held while it lives; null while lost and not yet taken again. */
	presence: HeldLock | null;
	/** The next sweep sends every ready step again: this node was just elected, and the last sweeper may have died sending some. */
	sweepAllReady: boolean;
	timers: NodeJS.Timeout[];
	leaseTimer: NodeJS.Timeout;
	stopping: boolean;
	lastGauge: number;
	leaseOwner: string;
	journal: AgentJournal;
	threads: ThreadStore;
	/** Agents' tool calls waiting for child executions to end. */
	waiters: ExecutionWaiters;
	/** Configured MCP servers (MCP_SERVERS), connected on first use; null when none are. */
	mcp: McpServers | null;
	pruner: Pruner;
	llmCalls: LlmCallStore;
	/** Captures model calls of runs that keep them (LLM_CAPTURE, a workflow's llm_capture). */
	llmCapture: LlmCallRecorder;
	/** One prune at a time on this node (the elected node's pass, an admin's request). */
	pruning: Mutex;
}
interface Methods {
	dispatch(refs: StepRef[]): void;
	forgetNodes(nodeIDs: string[]): void;
	loadDefinition(ref: string): Promise<WorkflowDefinition>;
	stepServices(context: ExecutionContext, row: StepRunRow, secretValues?: readonly string[]): StepServices;
	callLlm(
		execution: ExecutionRow,
		row: StepRunRow,
		request: Record<string, unknown>,
		signal: AbortSignal,
		extra?: {
			stepBudget?: StepBudget;
			journal?: (result: TurnResult) => { entry: JournalEntry; events: AgentEvent[] };
			stored?: { entry: StoredEntry | null };
			/** Set when the run's calls are captured: the secret values to mask in the transcript. */
			capture?: readonly string[] | null;
		}
	): Promise<LlmStepResult>;
	agentServices(execution: ExecutionRow, row: StepRunRow, startChild: StepServices["startSubWorkflow"], capture: readonly string[] | null): AgentServices;
	accessible(ctx: Ctx, id: string): Promise<ExecutionRow>;
	accessibleRead(ctx: Ctx, id: string): Promise<ExecutionRead>;
	view(execution: ExecutionRow, omitted?: string[], steps?: StepsRead): Promise<Record<string, unknown>>;
	fullView(id: string): Promise<Record<string, unknown>>;
	leaderTick(): Promise<void>;
	holdPresence(): Promise<void>;
	triggerSchedules(): Promise<void>;
	startOf(
		workflow: WorkflowRecord,
		inputs: Record<string, unknown>,
		extra: {
			ownerId: string;
			trigger: "api" | "schedule" | "sub_workflow";
			idempotencyKey?: string | null;
			parent?: StepRef | null;
			startedBy?: string;
			clientIp?: string | null;
			priority?: number;
			fork?: { from: string; reused: ReadonlyMap<string, ReusedStep> };
		}
	): Promise<{ execution: ExecutionRow; created: boolean; outcome: StartOutcome }>;
	ingest(incoming: IncomingEvent): Promise<ReceivedEvent>;
	forkRun(source: ExecutionRow, fromStep: string, edits: { inputs?: Record<string, unknown>; version?: string }, by: Principal, clientIp: string | null): Promise<ExecutionRow>;
	triggerCandidates(ownerId: string, name: string): Promise<TriggerCandidate[]>;
}





/**
 * Executions: the API to start, watch, cancel, approve and retry runs, and the engine's
 * worker on this node (ready steps arrive as balanced events; leases are renewed; the
 * elected node sweeps and triggers schedules).
 */
/** A step as the API shows it. */
function stepView(s: StepRunRow, plan: ExecutionPlan): Record<string, unknown> {
	return {
		step_id: s.step_id,
		name: plan.steps.get(s.step_id)?.name ?? s.step_id,
		type: s.type,
		depends_on: plan.steps.get(s.step_id)?.depends_on ?? [],
		status: s.status,
		waiting_for: s.waiting_for,
		wait_event: s.waiting_for === "event" ? s.wait_event : null,
		due_at: s.waiting_for ? iso(s.due_at) : null,
		output: s.output,
		error: s.error,
		attempts: s.attempts,
		usage: s.usage,
		approval: s.approval ? { ...s.approval, at: iso(s.approval.at) } : null,
		child_execution_id: s.child_execution_id,
		started_at: iso(s.started_at),
		completed_at: iso(s.completed_at)
	};
}

const ExecutionService: ServiceSchema<{ rest: string }, Methods, Vars> = {
	name: "execution",
	// The sweeper's news of lapsed leases: steps recovered from a dead node are not sent back into it.
	mixins: [LapsedNodesMixin],

	settings: { rest: "workflows" },

	actions: {
		execute: {
			rest: "POST /execute",
			auth: "write",
			openapi: {
				summary: "Execute a workflow",
				description:
					"Starts an execution of an active workflow version with the given inputs (checked and coerced against its declarations). An `Idempotency-Key` header returns the same execution when a client retries. A workflow with flow control may answer a `queued` run (it starts when its concurrency or rate-limit key has room), or, with a debounce, the run waiting out its quiet period, now with these inputs. `priority` (-100 to 100, default the workflow's) orders queued runs.",
				responses: {
					202: { description: "Started or queued (Location names the execution)", schema: EXECUTION_SUMMARY },
					404: "No such workflow version in the caller's namespace",
					409: "The version is not active, or the Idempotency-Key was used for another request",
					429: "Too many runs already wait for this run's flow-control key",
					507: "Embedded: the data directory is nearly full (DATA_DIR_MIN_FREE); no new runs until space is freed"
				},
				example: { workflow_id: "hello", workflow_version: "1.0.0", inputs: { who: "Ada" } }
			},
			params: {
				workflow_id: { type: "string", min: 1, max: 128 },
				workflow_version: { type: "string", min: 1, max: 64 },
				inputs: { type: "object", optional: true },
				priority: { type: "number", integer: true, min: -LIMITS.maxPriority, max: LIMITS.maxPriority, optional: true },
				owner_id: { type: "string", optional: true }
			},
			async handler(ctx: Ctx<{ workflow_id: string; workflow_version: string; inputs?: Record<string, unknown>; priority?: number; owner_id?: string }>) {
				const ownerId = ctx.params.owner_id && isAdmin(ctx.meta.user) ? ctx.params.owner_id : ctx.meta.user.id;
				const workflow = await this.workflows.byVersion(ownerId, ctx.params.workflow_id, ctx.params.workflow_version);
				if (!workflow) throw notFound(`Workflow ${ctx.params.workflow_id} version ${ctx.params.workflow_version}`);
				if (workflow.status !== "active") throw conflict(`Workflow ${workflow.workflow_id} version ${workflow.version} is ${workflow.status}; only active versions can be executed`);
				const inputs = coerceInputs(workflow.definition.inputs, ctx.params.inputs ?? {});
				const key = ctx.meta.idempotency_key ?? null;
				const { execution, outcome } = await this.startOf(workflow, inputs, {
					ownerId,
					trigger: "api",
					idempotencyKey: key,
					startedBy: ctx.meta.user.id,
					clientIp: ctx.meta.client_ip ?? null,
					priority: ctx.params.priority
				});
				if (outcome === "existing" && (execution.workflow_ref !== workflow.id || JSON.stringify(execution.inputs) !== JSON.stringify(inputs))) {
					throw conflict("This Idempotency-Key was already used for a different request");
				}
				ctx.meta.$statusCode = 202;
				ctx.meta.$location = `/api/v3/workflows/executions/${execution.id}`;
				return this.view(execution);
			}
		},

		list: {
			rest: "GET /executions",
			auth: "read",
			openapi: {
				summary: "List executions",
				description: "The caller's executions, newest first (admins see everyone's).",
				responses: { 200: { description: "A page of executions", schema: EXECUTION_PAGE } },
				example: { page: 1, page_size: 20 }
			},
			params: {
				...PAGE_PARAMS,
				workflow_id: { type: "string", max: 128, optional: true },
				status: { type: "enum", values: [...EXECUTION_STATUSES], optional: true }
			},
			async handler(ctx: Ctx<{ page?: number; page_size?: number; workflow_id?: string; status?: string }>) {
				const { page, pageSize, offset } = pageOf(ctx.params);
				// Each run's inputs and outputs get an equal share of the answer's budget; larger ones are left out, and named.
				const cap = Math.floor(this.runtime.config.EXECUTION_VIEW_MAX_BYTES / (2 * pageSize));
				const { rows, total } = await this.reads.list(
					{ ownerId: isAdmin(ctx.meta.user) ? undefined : ctx.meta.user.id, workflowId: ctx.params.workflow_id, status: ctx.params.status },
					{ pageSize, offset },
					cap
				);
				return { executions: await Promise.all(rows.map(r => this.view(r.execution, r.omitted))), total, page, page_size: pageSize };
			}
		},

		get: {
			rest: "GET /executions/:id",
			auth: "read",
			openapi: {
				summary: "Get an execution",
				description: "Status, progress (0–100), inputs, outputs, error, usage, and every step's status, output, error and attempts.",
				responses: { 200: { description: "The execution", schema: EXECUTION }, 404: "No such execution for the caller" }
			},
			params: { id: { type: "string", max: 36 } },
			async handler(ctx: Ctx<{ id: string }>) {
				// The row read to check access is the one shown: one read of it, not two.
				const read = await this.accessibleRead(ctx, ctx.params.id);
				return this.view(read.execution, read.omitted, await this.reads.steps(read.execution.id, this.runtime.config.EXECUTION_VIEW_MAX_BYTES / 2));
			}
		},

		step: {
			rest: "GET /executions/:id/steps/:step_id",
			auth: "read",
			openapi: {
				summary: "Get one step of an execution",
				description: "The step with its whole output: what an execution's answer leaves out when its outputs together pass EXECUTION_VIEW_MAX_BYTES (it names them in `omitted`).",
				responses: { 200: { description: "The step", schema: STEP_RUN_VIEW }, 404: "No such execution or step for the caller" }
			},
			params: { id: { type: "string", max: 36 }, step_id: { type: "string", max: 128 } },
			async handler(ctx: Ctx<{ id: string; step_id: string }>) {
				const execution = await this.accessible(ctx, ctx.params.id);
				const read = await this.reads.step(execution.id, ctx.params.step_id, this.runtime.config.EXECUTION_VIEW_MAX_BYTES);
				if (!read) throw notFound(`Step ${ctx.params.step_id}`);
				const plan = planOf(await this.loadDefinition(execution.workflow_ref));
				return { ...stepView(read.step, plan), ...(read.omitted ? { omitted: ["output"] } : {}) };
			}
		},

		cancel: {
			rest: "POST /executions/:id/cancel",
			auth: "write",
			openapi: {
				summary: "Cancel an execution",
				description: "Unfinished steps are cancelled and running attempts aborted on every node.",
				responses: { 200: { description: "The cancelled execution", schema: EXECUTION }, 404: "No such execution", 409: "It has already ended" }
			},
			params: { id: { type: "string", max: 36 }, reason: { type: "string", max: 500, optional: true } },
			async handler(ctx: Ctx<{ id: string; reason?: string }>) {
				const execution = await this.accessible(ctx, ctx.params.id);
				const cancelled = await this.engine.cancel(execution.id, ctx.params.reason ?? `cancelled by ${ctx.meta.user.email}`, ctx.meta.user.id);
				if (!cancelled) throw conflict(`The execution is already ${(await this.engine.store.execution(execution.id))?.status}`);
				return this.fullView(execution.id);
			}
		},

		approve: {
			rest: "POST /executions/:id/steps/:step_id/approve",
			auth: "write",
			openapi: {
				summary: "Approve a waiting step",
				responses: { 200: { description: "The execution after the decision", schema: EXECUTION }, 404: "No such execution", 409: "The step is not waiting for approval" },
				example: { comment: "Looks good" }
			},
			params: { id: { type: "string", max: 36 }, step_id: { type: "string", max: 128 }, comment: { type: "string", max: 2000, optional: true } },
			async handler(ctx: Ctx<{ id: string; step_id: string; comment?: string }>) {
				const execution = await this.accessible(ctx, ctx.params.id);
				const ok = await this.engine.decide({ execution_id: execution.id, step_id: ctx.params.step_id }, "approved", ctx.meta.user.email, ctx.params.comment ?? null);
				if (!ok) throw conflict(`Step ${ctx.params.step_id} is not waiting for approval`);
				return this.fullView(execution.id);
			}
		},

		reject: {
			rest: "POST /executions/:id/steps/:step_id/reject",
			auth: "write",
			openapi: {
				summary: "Reject a waiting step",
				description: "The step fails (type `rejected`), and with it the execution.",
				responses: { 200: { description: "The execution after the decision", schema: EXECUTION }, 404: "No such execution", 409: "The step is not waiting for approval" },
				example: { comment: "Not today" }
			},
			params: { id: { type: "string", max: 36 }, step_id: { type: "string", max: 128 }, comment: { type: "string", max: 2000, optional: true } },
			async handler(ctx: Ctx<{ id: string; step_id: string; comment?: string }>) {
				const execution = await this.accessible(ctx, ctx.params.id);
				const ok = await this.engine.decide({ execution_id: execution.id, step_id: ctx.params.step_id }, "rejected", ctx.meta.user.email, ctx.params.comment ?? null);
				if (!ok) throw conflict(`Step ${ctx.params.step_id} is not waiting for approval`);
				return this.fullView(execution.id);
			}
		},

		retry: {
			rest: "POST /executions/:id/retry",
			auth: "write",
			openapi: {
				summary: "Retry a failed execution",
				description: "Runs a failed or cancelled execution again from the steps that did not finish; completed steps keep their outputs.",
				responses: { 202: { description: "Running again", schema: EXECUTION }, 404: "No such execution", 409: "Only failed or cancelled executions can be retried" }
			},
			params: { id: { type: "string", max: 36 } },
			async handler(ctx: Ctx<{ id: string }>) {
				const execution = await this.accessible(ctx, ctx.params.id);
				const retried = await this.engine.retryExecution(execution.id);
				if (!retried) throw conflict(`Only failed or cancelled executions can be retried; this one is ${execution.status}`);
				ctx.meta.$statusCode = 202;
				return this.fullView(retried.id);
			}
		},

		fork: {
			rest: "POST /executions/:id/fork",
			auth: "write",
			openapi: {
				summary: "Fork an execution from a step (replay)",
				description:
					"Starts a new execution of the run's workflow that reuses the recorded outputs of every step that does not depend on `from_step` (they are not run again) and runs `from_step` and its dependents, with `inputs` instead of the run's when given, and on another `version` of the same workflow when given (steps are matched by id). The run must have ended. The new run records `forked_from`.",
				responses: {
					202: { description: "The fork, started (Location names it)", schema: EXECUTION },
					404: "No such execution for the caller, or no such version",
					409: "The run has not ended, or the version is not active",
					422: "`from_step` is not a step of the version, or the inputs do not fit its declarations"
				},
				example: { from_step: "summarize", inputs: { topic: "durable execution" } }
			},
			params: {
				id: { type: "string", max: 36 },
				from_step: { type: "string", min: 1, max: 128 },
				inputs: { type: "object", optional: true },
				version: { type: "string", min: 1, max: 64, optional: true }
			},
			async handler(ctx: Ctx<{ id: string; from_step: string; inputs?: Record<string, unknown>; version?: string }>) {
				const source = await this.accessible(ctx, ctx.params.id);
				const fork = await this.forkRun(source, ctx.params.from_step, { inputs: ctx.params.inputs, version: ctx.params.version }, ctx.meta.user, ctx.meta.client_ip ?? null);
				ctx.meta.$statusCode = 202;
				ctx.meta.$location = `/api/v3/workflows/executions/${fork.id}`;
				return this.fullView(fork.id);
			}
		},

		bulk: {
			rest: "POST /executions/bulk",
			auth: "write",
			openapi: {
				summary: "Cancel, retry or fork many executions",
				description:
					"Applies `action` to the runs `filter` selects, oldest first, at most `limit` (≤ 500) per call: the caller's runs (admins: everyone's, or one owner's with `filter.owner_id`). `fork` needs `from_step` (and takes `inputs`, `version` as a single fork does). Each run's result is reported; one that does not apply (a cancel of a run that has ended) does not stop the others.",
				responses: { 200: { description: "What happened to each selected run", schema: BULK_RESULT }, 422: "A field is missing or wrong (`from_step` for a fork, a date)" },
				example: { action: "cancel", filter: { workflow_id: "hello", status: "running" }, limit: 100 }
			},
			params: {
				action: { type: "enum", values: ["cancel", "retry", "fork"] },
				filter: {
					type: "object",
					strict: "remove",
					props: {
						workflow_id: { type: "string", max: 128, optional: true },
						workflow_version: { type: "string", max: 64, optional: true },
						status: { type: "enum", values: [...EXECUTION_STATUSES], optional: true },
						created_after: { type: "string", max: 40, optional: true },
						created_before: { type: "string", max: 40, optional: true },
						owner_id: { type: "string", max: 36, optional: true }
					}
				},
				from_step: { type: "string", min: 1, max: 128, optional: true },
				inputs: { type: "object", optional: true },
				version: { type: "string", min: 1, max: 64, optional: true },
				reason: { type: "string", max: 500, optional: true },
				limit: { type: "number", integer: true, min: 1, max: MAX_BULK, optional: true, convert: true }
			},
			async handler(
				ctx: Ctx<{
					action: "cancel" | "retry" | "fork";
					filter: { workflow_id?: string; workflow_version?: string; status?: string; created_after?: string; created_before?: string; owner_id?: string };
					from_step?: string;
					inputs?: Record<string, unknown>;
					version?: string;
					reason?: string;
					limit?: number;
				}>
			) {
				const { action, filter } = ctx.params;
				if (action === "fork" && !ctx.params.from_step) throw validationFailed("A bulk fork needs from_step", [{ path: "from_step", message: "is required when action is fork" }]);
				const time = (field: "created_after" | "created_before") => {
					const raw = filter[field];
					if (raw === undefined) return undefined;
					const ms = Date.parse(raw);
					if (Number.isNaN(ms)) throw validationFailed(`filter.${field} is not a date`, [{ path: `filter.${field}`, message: "must be an ISO 8601 date-time" }]);
					return ms;
				};
				const selection: RunFilter = {
					ownerId: isAdmin(ctx.meta.user) ? filter.owner_id : ctx.meta.user.id,
					workflowId: filter.workflow_id,
					workflowVersion: filter.workflow_version,
					status: filter.status,
					createdAfter: time("created_after"),
					createdBefore: time("created_before")
				};
				const ids = await this.reads.matching(selection, ctx.params.limit ?? DEFAULT_BULK);
				const results: { execution_id: string; ok: boolean; status?: string; new_execution_id?: string; error?: string }[] = [];
				// One run after the other: a bulk call never puts more than one run's transition in flight.
				for (const id of ids) {
					try {
						const execution = (await this.engine.store.execution(id))!;
						if (action === "cancel") {
							const cancelled = await this.engine.cancel(id, ctx.params.reason ?? `cancelled in bulk by ${ctx.meta.user.email}`, ctx.meta.user.id);
							results.push(cancelled ? { execution_id: id, ok: true, status: "cancelled" } : { execution_id: id, ok: false, error: `it is already ${execution.status}` });
						} else if (action === "retry") {
							const retried = await this.engine.retryExecution(id);
							results.push(retried ? { execution_id: id, ok: true, status: retried.status } : { execution_id: id, ok: false, error: `only failed or cancelled runs can be retried; it is ${execution.status}` });
						} else {
							const fork = await this.forkRun(execution, ctx.params.from_step!, { inputs: ctx.params.inputs, version: ctx.params.version }, ctx.meta.user, ctx.meta.client_ip ?? null);
							results.push({ execution_id: id, ok: true, status: fork.status, new_execution_id: fork.id });
						}
					} catch (err) {
						results.push({ execution_id: id, ok: false, error: (err as Error).message });
					}
				}
				const succeeded = results.filter(r => r.ok).length;
				return { action, matched: ids.length, succeeded, failed: results.length - succeeded, results };
			}
		},

		prune: {
			rest: { method: "POST", path: "/prune", basePath: "admin" },
			auth: "admin",
			openapi: {
				tags: ["admin"],
				summary: "Prune ended runs now",
				description:
					"Archives (gzipped JSON lines under EXECUTION_ARCHIVE_DIR, one closed file per batch) and deletes every run that ended more than `older_than` ago (and past its workflow's own `retention`, when it has one: `forever` keeps), with its steps, agent journal, captured LLM calls and sub-workflow runs, in batches of EXECUTION_PRUNE_BATCH; then published outbox rows, events, processed-event records, notifications and agent threads older than that, and audit rows older than AUDIT_RETENTION. Answers when done. The elected node does the same on its own every EXECUTION_PRUNE_INTERVAL, with each run's retention.",
				responses: { 200: { description: "What was pruned", schema: PRUNE_REPORT }, 403: "Needs the admin role", 422: "`older_than` is not a duration" },
				example: { older_than: "30d" }
			},
			params: { older_than: { type: "string", min: 1, max: 64 } },
			async handler(ctx: Ctx<{ older_than: string }>) {
				if (!isAdmin(ctx.meta.user)) throw forbidden("This needs the admin role");
				const ms = parseDuration(ctx.params.older_than);
				if (ms === null) throw validationFailed("older_than is not a duration", [{ path: "older_than", message: 'must be a duration such as "30d", "12h" or "0s"' }]);
				const report = await this.pruning.run(() => this.pruner.prune({ kind: "older_than", ms, auditMs: this.runtime.config.AUDIT_RETENTION }));
				this.logger.info({ older_than: ctx.params.older_than, executions: report.executions, archives: report.archives.length }, "Pruned ended runs on request");
				return { ...report, archives: report.archives.map(a => path.basename(a)) };
			}
		},

		transcript: {
			rest: "GET /executions/:id/steps/:step_id/transcript",
			auth: "read",
			openapi: {
				summary: "An agent step's transcript",
				description: "The agent's journal in order: the conversation it began with, each model turn (text, tool calls, usage, cost), each finished tool call (result or error, duration, child execution), approval requests and decisions.",
				responses: { 200: { description: "The transcript", schema: TRANSCRIPT }, 404: "No such execution or step" }
			},
			params: { id: { type: "string", max: 36 }, step_id: { type: "string", max: 128 } },
			async handler(ctx: Ctx<{ id: string; step_id: string }>) {
				const execution = await this.accessible(ctx, ctx.params.id);
				const step = await this.engine.store.stepRun({ execution_id: execution.id, step_id: ctx.params.step_id });
				if (!step) throw notFound("Step");
				const entries = await this.journal.read({ execution_id: execution.id, step_id: step.step_id });
				return { execution_id: execution.id, step_id: step.step_id, status: step.status, entries: entries.map(e => ({ seq: e.seq, attempt: e.attempt, at: iso(e.at), ...e.entry })) };
			}
		},

		llmCalls: {
			rest: "GET /executions/:id/llm-calls",
			auth: "read",
			openapi: {
				summary: "An execution's LLM calls",
				description:
					"Each model call of the run's steps (ai_generate, agent turns), in order: the messages sent, the answer's text and tool calls, usage, cost, latency, provider and model, or the error. Kept only when LLM_CAPTURE is on or the workflow says `llm_capture: true`; secrets are masked and texts past LLM_CAPTURE_MAX_BYTES are cut (`truncated`). Pruned and archived with the run.",
				responses: { 200: { description: "A page of the run's LLM calls", schema: LLM_CALL_PAGE }, 404: "No such execution for the caller" },
				example: { page: 1, page_size: 20 }
			},
			params: { id: { type: "string", max: 36 }, ...PAGE_PARAMS },
			async handler(ctx: Ctx<{ id: string; page?: number; page_size?: number }>) {
				const execution = await this.accessible(ctx, ctx.params.id);
				const { page, pageSize, offset } = pageOf(ctx.params);
				const { calls, total } = await this.llmCalls.list(execution.id, { pageSize, offset });
				return { llm_calls: calls.map(({ at, ...call }) => ({ ...call, at: iso(at) })), total, page, page_size: pageSize };
			}
		},

		threadGet: {
			rest: { method: "GET", path: "/:id", basePath: "threads" },
			auth: "read",
			openapi: {
				summary: "Get a conversation thread",
				description: "The messages (tool calls and results included) an agent step with `thread` continues from, newest last. Capped: past 200 messages or 256 KiB the oldest turns are dropped (`dropped` counts them).",
				responses: { 200: { description: "The thread", schema: THREAD }, 404: "No such thread of the caller" }
			},
			params: { id: { type: "string", min: 1, max: 200 } },
			async handler(ctx: Ctx<{ id: string }>) {
				const thread = await this.threads.get(ctx.meta.user.id, ctx.params.id);
				if (!thread) throw notFound("Thread");
				return { ...thread, created_at: iso(thread.created_at), updated_at: iso(thread.updated_at) };
			}
		},

		threadDelete: {
			rest: { method: "DELETE", path: "/:id", basePath: "threads" },
			auth: "write",
			openapi: {
				summary: "Delete a conversation thread",
				description: "The next run of an agent step with this thread starts a new conversation.",
				responses: { 204: "Deleted", 404: "No such thread of the caller" }
			},
			params: { id: { type: "string", min: 1, max: 200 } },
			async handler(ctx: Ctx<{ id: string }>) {
				if (!(await this.threads.delete(ctx.meta.user.id, ctx.params.id))) throw notFound("Thread");
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		signal: {
			rest: "POST /executions/:id/signals/:name",
			auth: "write",
			openapi: {
				summary: "Send a signal to an execution",
				description:
					"Delivers `data` to the run's first `wait_for_event` step waiting for `event: name` whose match it meets; a signal that arrives before such a wait begins is kept for the run and taken by the wait when it begins. The wait's output is `{id, name, data, received_at}`. An `Idempotency-Key` header makes a retried signal a duplicate (200) instead of a second signal.",
				responses: {
					200: { description: "A duplicate of an earlier signal (same Idempotency-Key): nothing new happened", schema: SIGNAL_ANSWER },
					202: { description: "Taken by a waiting step (`delivered_to`), or kept for the run (`delivered_to` empty)", schema: SIGNAL_ANSWER },
					404: "No such execution for the caller",
					409: "The execution has ended"
				},
				example: { data: { approved: true } }
			},
			params: {
				id: { type: "string", max: 36 },
				name: { type: "string", pattern: EVENT_NAME_PATTERN, messages: { stringPattern: "The 'name' field must be an event name: 1 to 200 letters, digits, and . _ : / -" } },
				data: { type: "any", optional: true }
			},
			async handler(ctx: Ctx<{ id: string; name: string; data?: unknown }>) {
				const execution = await this.accessible(ctx, ctx.params.id);
				if (TERMINAL_EXECUTION.has(execution.status)) throw conflict(`The execution is ${execution.status}; it takes no more signals`);
				const key = ctx.meta.idempotency_key;
				const received = await this.ingest({
					ownerId: execution.owner_id,
					id: key ? `signal:${execution.id}:${key}` : null,
					name: ctx.params.name,
					data: ctx.params.data ?? null,
					source: "signal",
					executionId: execution.id
				});
				ctx.meta.$statusCode = received.duplicate ? 200 : 202;
				return { event_id: received.event_id, duplicate: received.duplicate, delivered_to: received.delivered_to };
			}
		},

		/** An event of an owner arrives (the events service: POST /events, inbound webhooks): stored, its runs started, its waits completed. */
		ingest: {
			visibility: "public",
			params: {
				owner_id: { type: "string", max: 36 },
				id: { type: "string", max: 300, optional: true, nullable: true },
				name: { type: "string", pattern: EVENT_NAME_PATTERN },
				data: { type: "any", optional: true },
				source: { type: "enum", values: ["api", "webhook"] },
				hook_id: { type: "string", max: 36, optional: true, nullable: true }
			},
			async handler(ctx: Context<{ owner_id: string; id?: string | null; name: string; data?: unknown; source: EventSource; hook_id?: string | null }>) {
				const received = await this.ingest({
					ownerId: ctx.params.owner_id,
					id: ctx.params.id ?? null,
					name: ctx.params.name,
					data: ctx.params.data ?? null,
					source: ctx.params.source,
					hookId: ctx.params.hook_id ?? null
				});
				return { ...received, received_at: iso(received.received_at) };
			}
		},

		/** The transactional outbox, for operators (the REPL): newest rows first, and the backlog not yet published. */
		outbox: {
			visibility: "public",
			auth: "admin",
			params: {
				pending: { type: "boolean", optional: true, convert: true },
				event_type: { type: "string", max: 100, optional: true },
				limit: { type: "number", integer: true, positive: true, max: 500, convert: true, optional: true }
			},
			async handler(ctx: Ctx<{ pending?: boolean; event_type?: string; limit?: number }>) {
				if (!isAdmin(ctx.meta.user)) throw forbidden("This needs the admin role");
				return readOutbox(this.database.sql, { pendingOnly: ctx.params.pending, eventType: ctx.params.event_type, limit: ctx.params.limit ?? 20 });
			}
		},

		/** This node's share of the work, for operators (the REPL calls it on each execution node). */
		load: {
			visibility: "public",
			auth: "admin",
			handler(ctx: Ctx) {
				if (!isAdmin(ctx.meta.user)) throw forbidden("This needs the admin role");
				return {
					node_id: this.broker.nodeID,
					running: this.engine.runningCount,
					queued: this.engine.queueDepth,
					concurrency: this.runtime.config.ENGINE_WORKER_CONCURRENCY,
					draining: this.stopping,
					sweeper: this.leader !== null
				};
			}
		},

		/** Ready steps handed to this node by name (a draining node gives its work to the others this way). */
		enqueue: {
			visibility: "public",
			params: { refs: { type: "array", items: { type: "object", props: { execution_id: "string", step_id: "string" } } } },
			handler(ctx: Context<{ refs: StepRef[] }>) {
				this.engine?.enqueue(ctx.params.refs);
				return { queued: ctx.params.refs.length };
			}
		}
	},

	events: {
		"engine.steps.ready": {
			group: "execution",
			handler(ctx: Context<{ refs: StepRef[] }>) {
				this.engine?.enqueue(ctx.params.refs);
			}
		},
		/** A child execution ended on some node: an agent's tool call here may wait for it. */
		"execution.child.ended"(ctx: Context<{ execution_id: string; status: string }>) {
			this.waiters?.updated(ctx.params.execution_id, ctx.params.status);
		},
		"engine.abort"(ctx: Context<{ execution_ids: string[] }>) {
			this.engine?.abortLocal(ctx.params.execution_ids);
		}
	},

	methods: {
		/**
		 * Sends ready steps to execution nodes: one balanced event per step, so a fan-out spreads.
		 * A draining node hands them to the other nodes by name instead: a balanced event could
		 * come back to it, and it takes nothing new. With no other node, the sweeper finds them.
		 */
		dispatch(refs: StepRef[]) {
			if (!this.stopping) {
				for (const ref of refs) void this.broker.emit("engine.steps.ready", { refs: [ref] }, { groups: ["execution"] });
				return;
			}
			const others = this.broker.registry
				.getServiceList({ onlyAvailable: true })
				.filter(s => s.name === "execution" && s.nodeID !== this.broker.nodeID)
				.map(s => s.nodeID as string);
			refs.forEach((ref, i) => {
				if (!others.length) return;
				this.broker.call("execution.enqueue", { refs: [ref] }, { nodeID: others[i % others.length] }).catch(() => undefined);
			});
		},

		async loadDefinition(ref: string) {
			let definition = this.definitions.get(ref);
			if (!definition) {
				const workflow = await this.workflows.byRef(ref);
				if (!workflow) throw new Error(`Workflow ${ref} is gone`);
				definition = workflow.definition;
				// Definitions never change once stored.
				// What one weighs is the size of its JSON.
				this.definitions.set(ref, definition, Infinity, jsonSize(definition, Infinity));
			}
			return definition;
		},

		/** A fork of an ended run from one of its steps (see lib/engine/fork.ts), started like an execute request. */
		async forkRun(source, fromStep, edits, by, clientIp) {
			if (!TERMINAL_EXECUTION.has(source.status)) throw conflict(`Only a run that has ended can be forked; this one is ${source.status}`);
			const workflow = edits.version ? await this.workflows.byVersion(source.owner_id, source.workflow_id, edits.version) : await this.workflows.byRef(source.workflow_ref);
			if (!workflow) throw notFound(`Workflow ${source.workflow_id} version ${edits.version ?? source.workflow_version}`);
			if (workflow.status !== "active") throw conflict(`Workflow ${workflow.workflow_id} version ${workflow.version} is ${workflow.status}; only active versions can run`);
			const definition = await this.loadDefinition(workflow.id);
			const plan = planOf(definition);
			if (!plan.steps.has(fromStep)) {
				throw validationFailed(`Step ${fromStep} is not a step of ${workflow.workflow_id} ${workflow.version}`, [
					{ path: "from_step", message: `is not a step of version ${workflow.version} (its steps: ${[...plan.steps.keys()].join(", ")})` }
				]);
			}
			// The whole row: the API's read may have left large inputs out.
			const full = (await this.engine.store.execution(source.id))!;
			const inputs = coerceInputs(definition.inputs, edits.inputs ?? full.inputs);
			const reused = reusedSteps(plan, await this.engine.store.stepRuns(source.id), fromStep);
			const { execution } = await this.startOf(workflow, inputs, {
				ownerId: source.owner_id,
				trigger: "api",
				startedBy: by.id,
				clientIp,
				priority: full.priority,
				fork: { from: source.id, reused }
			});
			return execution;
		},

		async ingest(incoming) {
			// Trigger filters are user expressions over the event's data: evaluated where a limit stops them.
			const holds = (condition: string, scope: TemplateScope) => this.runtime.isolation().condition(condition, scope, AbortSignal.timeout(USER_CONDITION_TIMEOUT_MS));
			const received = await this.engine.receiveEvent(incoming, async event => triggeredStarts(await this.triggerCandidates(incoming.ownerId, incoming.name), event, incoming.ownerId, holds));
			const metrics = this.broker.isMetricsEnabled() ? this.broker.metrics : null;
			metrics?.increment("events_received_total", { source: incoming.source, outcome: received.duplicate ? "duplicate" : "accepted" });
			if (!received.duplicate) {
				if (received.runs.length) metrics?.increment("event_runs_started_total", { source: incoming.source }, received.runs.length);
				if (received.delivered_to.length) metrics?.increment("event_waits_completed_total", { source: incoming.source }, received.delivered_to.length);
				if (received.problems.length) metrics?.increment("event_problems_total", { source: incoming.source }, received.problems.length);
				// Every gateway's notifier tells the owner's sockets.
				void this.broker.broadcast("events.received", {
					owner_id: incoming.ownerId,
					event: { event_id: received.event_id, name: incoming.name, source: incoming.source, runs: received.runs, problems: received.problems, delivered_to: received.delivered_to, received_at: iso(received.received_at) }
				});
			}
			return received;
		},

		/** The active versions of the owner's workflows with a trigger on this event name, with their definitions. */
		async triggerCandidates(ownerId, name) {
			const refs = await triggeredWorkflows(this.database.sql, ownerId, name);
			return Promise.all(refs.map(async r => ({ workflowRef: r.workflow_ref, workflowId: r.workflow_id, version: r.version, definition: await this.loadDefinition(r.workflow_ref) })));
		},

		async startOf(workflow, inputs, extra) {
			// A nearly full disk (embedded) takes no new runs; a sub-workflow belongs to a run in flight and goes on.
			if (extra.trigger !== "sub_workflow") this.runtime.disk?.assertRoom();
			// Inputs are written with the run and read by every step: bounded like outputs, before anything is written.
			const max = this.runtime.config.EXECUTION_MAX_INPUT_BYTES;
			if (jsonSize(inputs, max) > max) {
				const message = `The inputs are larger than ${formatBytes(max)} (EXECUTION_MAX_INPUT_BYTES)`;
				if (extra.trigger === "sub_workflow") throw new StepFailure(message, "input_too_large", true);
				throw validationFailed(message, [{ path: "inputs", message: `is larger than ${formatBytes(max)}` }]);
			}
			const definition = (await this.loadDefinition(workflow.id)) ?? workflow.definition;
			return this.engine.startExecution({
				ownerId: extra.ownerId,
				workflowRef: workflow.id,
				workflowId: workflow.workflow_id,
				workflowVersion: workflow.version,
				definition,
				inputs,
				priority: extra.priority ?? definition.priority,
				flow: flowKeysOf(definition, extra.ownerId, inputs),
				idempotencyKey: extra.idempotencyKey ?? null,
				trigger: extra.trigger,
				parent: extra.parent ?? null,
				budget: workflow.definition.budget,
				startedBy: extra.startedBy ?? null,
				clientIp: extra.clientIp ?? null,
				// The span starting the run (the execute action, a schedule tick, the parent's step) is the parent of its steps' spans.
				traceparent: activeTraceparent(),
				fork: extra.fork ?? null
			});
		},

		stepServices(context, row, secretValues = []): StepServices {
			const execution = context.execution;
			const capture = this.llmCapture.captures(context.plan.definition) ? secretValues : null;
			const services: StepServices = {
				httpAllowedHosts: this.runtime.config.STEP_HTTP_ALLOWED_HOSTS,
				userCode: this.runtime.isolation(),
				limits: { maxMapItems: this.runtime.config.MAP_MAX_ITEMS, maxOutputBytes: this.runtime.config.STEP_MAX_OUTPUT_BYTES },
				llm: (request: Record<string, unknown>, signal: AbortSignal) => this.callLlm(execution, row, request, signal, { capture }),
				// Depth and tree size are checked (and counted) where the child is created: transitions/start.ts.
				startSubWorkflow: async (req: Parameters<StepServices["startSubWorkflow"]>[0], idempotencyKey: string) => {
					const workflow = req.version
						? await this.workflows.byVersion(execution.owner_id, req.workflow_id, req.version)
						: await this.workflows.latestActive(execution.owner_id, req.workflow_id);
					if (!workflow) throw new StepFailure(`Sub-workflow ${req.workflow_id}${req.version ? ` version ${req.version}` : ""} does not exist`, "sub_workflow_missing", true);
					if (workflow.status !== "active") throw new StepFailure(`Sub-workflow ${workflow.workflow_id} ${workflow.version} is ${workflow.status}`, "sub_workflow_inactive", true);
					let inputs: Record<string, unknown>;
					try {
						inputs = coerceInputs(workflow.definition.inputs, req.inputs);
					} catch (err) {
						throw new StepFailure(`Inputs of sub-workflow ${workflow.workflow_id}: ${(err as AppError).message}`, "invalid_params", true);
					}
					const { execution: child } = await this.startOf(workflow, inputs, {
						ownerId: execution.owner_id,
						trigger: "sub_workflow",
						idempotencyKey,
						parent: { execution_id: execution.id, step_id: row.step_id }
					});
					return { execution_id: child.id };
				}
			};
			if (row.type === "agent") services.agent = this.agentServices(execution, row, services.startSubWorkflow, capture);
			return services;
		},

		async callLlm(execution, row, request, signal, extra = {}) {
			signal.throwIfAborted();
			const settings = this.llmSettings;
			// The call's worst case is held against the budget until it answers (see Engine.reserveLlmCall).
			const completion = completionRequestOf(request as CompleteParams);
			const worst = worstCaseOf(completion, settings);
			const ref = { execution_id: execution.id, step_id: row.step_id };
			const step = extra.stepBudget;
			if (step && (step.max_tokens || step.max_cost_usd)) {
				// An agent step's own budget: checked with the same worst case before the run's is reserved.
				const check = checkBudget({ max_tokens: step.max_tokens ?? Infinity, max_cost_usd: step.max_cost_usd ?? Infinity, used_tokens: step.used_tokens, used_cost_usd: step.used_cost_usd }, worst);
				if (!check.ok) throw budgetExceeded(check.message.replace("the execution's", "the step's"), { reason: check.reason, scope: "step", ...step });
			}
			// The tree's budget: a sub-workflow spends from its root's.
			const { used, budget } = await this.engine.reserveLlmCall(ref, worst, settings.defaultBudget);
			// The step's signal (cancel, timeout, the execution failing) aborts the call on whichever node runs it.
			const callId = `${execution.id}:${row.step_id}:${row.attempts}:${randomBytes(6).toString("hex")}`;
			const abort = () => void this.broker.broadcast("llm.abort", { call_id: callId }, { groups: ["llm"] });
			signal.addEventListener("abort", abort, { once: true });
			let result: LlmStepResult | undefined;
			const callStarted = Date.now();
			try {
				signal.throwIfAborted();
				result = (await this.broker.call(
					"llm.complete",
					{
						...request,
						call_id: callId,
						correlation: { execution_id: execution.id, step_id: row.step_id, attempt: row.attempts },
						budget: {
							...(budget?.max_tokens ? { max_tokens: budget.max_tokens } : {}),
							...(budget?.max_cost_usd ? { max_cost_usd: budget.max_cost_usd } : {}),
							used_tokens: used.total_tokens,
							used_cost_usd: used.cost_usd
						}
					},
					{ timeout: 0 }
				)) as LlmStepResult;
				if (extra.capture) await this.llmCapture.record({ ...ref, attempt: row.attempts }, { request: completion, outcome: { answer: result }, latencyMs: result.latency_ms, secretValues: extra.capture });
				return result;
			} catch (err) {
				if (extra.capture && !result) {
					await this.llmCapture.record({ ...ref, attempt: row.attempts }, { request: completion, outcome: { error: err as Error }, latencyMs: Date.now() - callStarted, secretValues: extra.capture });
				}
				throw err;
			} finally {
				signal.removeEventListener("abort", abort);
				const answered = result;
				// An agent's turn is journaled in the transaction that charges it: charged exactly when it is recorded.
				const progress =
					answered && extra.journal
						? async (tx: Parameters<NonNullable<Parameters<Engine["settleLlmCall"]>[3]>>[0]) => {
								const { entry, events } = extra.journal!(answered as TurnResult);
								const stored = await this.journal.append(tx, ref, { leaseOwner: this.leaseOwner, attempt: row.attempts }, entry);
								if (extra.stored) extra.stored.entry = stored;
								return stored ? events : null;
							}
						: undefined;
				// Every answered call is charged now, whatever becomes of the attempt (bad JSON, a timeout, a cancel).
				await this.engine.settleLlmCall(ref, worst, answered ? { ...answered.usage, cost_usd: answered.cost_usd, provider: answered.provider, model: answered.model } : null, progress);
			}
		},

		agentServices(execution, row, startChild, capture) {
			const ref = { execution_id: execution.id, step_id: row.step_id };
			const lease = { leaseOwner: this.leaseOwner, attempt: row.attempts };
			const mcp = () => {
				if (!this.mcp) throw new Error("No MCP servers are configured (MCP_SERVERS)");
				return this.mcp;
			};
			const workflowOf = async (workflowId: string, version: string | null) => {
				const workflow = version ? await this.workflows.byVersion(execution.owner_id, workflowId, version) : await this.workflows.latestActive(execution.owner_id, workflowId);
				if (!workflow) throw new StepFailure(`Tool workflow ${workflowId}${version ? ` version ${version}` : ""} does not exist`, "sub_workflow_missing", true);
				return workflow;
			};
			const services: AgentServices = {
				read: () => this.journal.read(ref),
				append: async (entry, events) => {
					let stored: StoredEntry | null = null;
					await this.engine.recordStepProgress(ref, async tx => {
						stored = await this.journal.append(tx, ref, lease, entry);
						return stored ? events : null;
					});
					return stored;
				},
				turn: async (request, signal, stepBudget, journal) => {
					const stored = { entry: null as StoredEntry | null };
					const result = await this.callLlm(execution, row, request, signal, { stepBudget, journal, stored, capture });
					return { result: result as TurnResult, stored: stored.entry };
				},
				approval: row.approval,
				describeWorkflow: async (workflowId, version) => {
					const workflow = await workflowOf(workflowId, version);
					return { description: workflow.definition.description ?? workflow.definition.name, parameters: inputsSchema(workflow.definition.inputs) };
				},
				startWorkflow: (request, key) => startChild(request, key),
				waitForExecution: (id, signal) => this.waiters.wait(id, signal),
				cancelExecution: async (id, reason) => {
					await this.engine.cancel(id, reason);
				},
				describeMcpTool: (server, tool, signal) => mcp().describe(server, tool, signal),
				callMcpTool: (server, tool, args, signal) => mcp().call(server, tool, args, signal),
				loadThread: thread => this.threads.messages(execution.owner_id, thread),
				saveThread: (thread, messages) => this.threads.save(execution.owner_id, thread, messages, execution.id)
			};
			return services;
		},

		async accessible(ctx, id) {
			return (await this.accessibleRead(ctx, id)).execution;
		},

		/** The execution, if the caller may see it; inputs and outputs past a quarter of EXECUTION_VIEW_MAX_BYTES are left out. */
		async accessibleRead(ctx, id) {
			const read = await this.reads.execution(id, this.runtime.config.EXECUTION_VIEW_MAX_BYTES / 4);
			// Another user's execution is reported as missing: ids are not an oracle.
			if (!read || !canAccess(ctx.meta.user, read.execution.owner_id)) throw notFound("Execution");
			return read;
		},

		/** An execution with its steps, within EXECUTION_VIEW_MAX_BYTES: inputs and outputs a quarter each, step outputs the half left. */
		async fullView(id) {
			const max = this.runtime.config.EXECUTION_VIEW_MAX_BYTES;
			const read = await this.reads.execution(id, max / 4);
			if (!read) throw notFound("Execution");
			return this.view(read.execution, read.omitted, await this.reads.steps(id, max / 2));
		},

		async view(execution, omitted = [], steps) {
			const base: Record<string, unknown> = {
				execution_id: execution.id,
				workflow_id: execution.workflow_id,
				workflow_version: execution.workflow_version,
				status: execution.status,
				progress: execution.status === "completed" ? 100 : progressOf(execution.finished_steps, execution.total_steps),
				trigger: execution.trigger,
				priority: execution.priority,
				event_id: execution.event_id,
				forked_from: execution.forked_from,
				inputs: execution.inputs,
				outputs: execution.outputs,
				error: execution.error,
				usage: execution.usage,
				owner_id: execution.owner_id,
				parent_execution_id: execution.parent_execution_id,
				parent_step_id: execution.parent_step_id,
				created_at: iso(execution.created_at),
				started_at: iso(execution.started_at),
				completed_at: iso(execution.completed_at)
			};
			const left = [...omitted, ...[...(steps?.omitted ?? [])].map(id => `steps.${id}.output`)];
			if (left.length) base.omitted = left;
			if (!steps) return base;
			const plan = planOf(await this.loadDefinition(execution.workflow_ref));
			return { ...base, steps: steps.steps.map((s: StepRunRow) => stepView(s, plan)) };
		},

		/** One pass of the elected node: the engine's sweep, schedules, the in-progress gauge. */
		async leaderTick() {
			await this.engine.sweep(this.runtime.config.ENGINE_DISPATCH_GRACE, { redispatchAll: this.sweepAllReady });
			this.sweepAllReady = false;
			await this.triggerSchedules();
			if (this.broker.isMetricsEnabled() && Date.now() - this.lastGauge > 5000) {
				this.lastGauge = Date.now();
				const [row] = await this.database.sql.all<{ n: number }>("SELECT COUNT(*) AS n FROM executions WHERE status = 'running'");
				this.broker.metrics.set("workflows_in_progress", Number(row.n));
				const [queued] = await this.database.sql.all<{ n: number }>("SELECT COUNT(*) AS n FROM executions WHERE status = 'queued'");
				this.broker.metrics.set("workflow_runs_queued", Number(queued.n));
			}
		},

		/**
		 * Takes this node's presence lock, and takes it again if its connection breaks (the
		 * sweeper may meanwhile give this node's running steps to others: their results here
		 * are then refused by the lease fence, as after a lapse).
		 */
		async holdPresence() {
			const held = await this.database.tryHoldLock(presenceLockName(this.leaseOwner));
			if (!held) throw new Error(`The presence lock of ${this.leaseOwner} is held elsewhere`);
			this.presence = held;
			void held.lost.then(() => {
				if (this.presence !== held || this.stopping) return;
				this.presence = null;
				this.logger.warn("This node lost its presence lock (its database connection broke); it takes it again, and may lose its running steps to other nodes meanwhile");
			});
		},

		/**
		 * Schedules due: each tick starts one execution (its idempotency key is the tick), then
		 * moves to the next tick after now. Missed ticks (no leader for a while) collapse into
		 * one run, not a burst.
		 */
		async triggerSchedules() {
			const now = Date.now();
			const due = await this.database.sql.all<{ workflow_ref: string; owner_id: string; cron: string; next_run_at: string | number; timezone: string | null }>(
				"SELECT * FROM workflow_schedules WHERE next_run_at <= $1 ORDER BY next_run_at LIMIT 100",
				[now]
			);
			for (const s of due) {
				const tick = Number(s.next_run_at);
				try {
					const workflow = await this.workflows.byRef(s.workflow_ref);
					// A deactivated owner's schedules skip their ticks until the owner is active again.
					const owner = workflow?.status === "active" ? ((await this.broker.call("auth.principal", { id: s.owner_id })) as { is_active: boolean } | null) : null;
					if (workflow && owner?.is_active) {
						const inputs = coerceInputs(workflow.definition.inputs, {});
						// The tick is the root of the run's trace, as an execute request is of its run's.
						const attributes = { "cognitionos.workflow.id": workflow.workflow_id, "cognitionos.workflow.version": workflow.version, "cognitionos.schedule.tick": tick };
						const { execution } = await inSpan(`schedule ${workflow.workflow_id}`, attributes, () =>
							this.startOf(workflow, inputs, { ownerId: s.owner_id, trigger: "schedule", idempotencyKey: `schedule:${s.workflow_ref}:${tick}` })
						);
						await this.database.sqlTransaction(sql => sql.run("UPDATE workflow_schedules SET last_run_at = $2, last_execution_id = $3 WHERE workflow_ref = $1", [s.workflow_ref, now, execution.id]));
					}
				} catch (err) {
					this.logger.error({ err, workflow_ref: s.workflow_ref }, "A scheduled run could not start; the schedule moves on to its next tick");
				}
				await this.database.sqlTransaction(sql => sql.run("UPDATE workflow_schedules SET next_run_at = $3 WHERE workflow_ref = $1 AND next_run_at = $2", [s.workflow_ref, tick, nextTick(s.cron, now, s.timezone)]));
			}
		}
	},

	created() {
		this.runtime = runtimeOf(this.broker);
		this.llmSettings = llmSettingsFrom(this.runtime.config);
		ensureMetrics(this.broker, ENGINE_METRICS);
		ensureMetrics(this.broker, EVENT_METRICS);
		this.definitions = new TtlCache(100_000, Date.now, this.runtime.config.DEFINITION_CACHE_MAX_BYTES);
		this.timers = [];
		this.leader = null;
		this.presence = null;
		this.sweepAllReady = false;
		this.stopping = false;
		this.lastGauge = 0;
	},

	async started() {
		const config = this.runtime.config;
		this.database = await this.runtime.database();
		this.workflows = new WorkflowStore(this.database);
		this.reads = new RunReads(this.database);
		const metrics = this.broker.isMetricsEnabled() ? this.broker.metrics : null;
		const leaseOwner = `${this.broker.nodeID}:${randomBytes(4).toString("hex")}`;
		const workflowLabels = new LabelValues(config.OBSERVABILITY_METRICS_WORKFLOW_LABELS);
		this.leaseOwner = leaseOwner;
		this.journal = new AgentJournal(this.database);
		this.llmCalls = new LlmCallStore(this.database);
		this.llmCapture = new LlmCallRecorder(this.llmCalls, {
			enabled: config.LLM_CAPTURE,
			maxBytes: config.LLM_CAPTURE_MAX_BYTES,
			warn: (err, key) => this.logger.warn({ err, ...key }, `An LLM call's transcript could not be stored: ${err.message}`)
		});
		this.threads = new ThreadStore(this.database);
		const secrets = new SecretStore(this.database, () => this.runtime.secretCipher());
		this.waiters = new ExecutionWaiters(id => this.engine.store.execution(id) as Promise<{ status: string } & ChildRun | null>);
		const servers = config.MCP_SERVERS;
		// The MCP client (and its SDK) loads only when servers are configured.
		// Before this node can claim a step: a lease whose owner holds no presence lock is taken back by the sweeper.
		await this.holdPresence();
		this.mcp = Object.keys(servers).length ? new (require("../lib/agents/mcp-servers") as typeof import("../lib/agents/mcp-servers")).McpServers(servers, config.STEP_HTTP_ALLOWED_HOSTS) : null;
		this.engine = new Engine({
			db: this.database,
			leaseOwner,
			leaseMs: config.ENGINE_LEASE_TTL,
			concurrency: config.ENGINE_WORKER_CONCURRENCY,
			defaultMaxParallel: config.ENGINE_MAX_PARALLEL_STEPS,
			defaultStepTimeoutMs: config.ENGINE_STEP_TIMEOUT,
			maxRecoveries: config.ENGINE_MAX_LEASE_RECOVERIES,
			transactionTimeoutMs: engineTransactionTimeoutMs(config),
			flowMaxQueued: config.FLOW_MAX_QUEUED,
			isolation: this.runtime.isolation(),
			maxOutputBytes: config.STEP_MAX_OUTPUT_BYTES,
			trees: { maxDepth: config.EXECUTION_MAX_DEPTH, maxTreeSize: config.EXECUTION_MAX_TREE_SIZE, maxRunningPerUser: config.EXECUTION_MAX_RUNNING_PER_USER },
			loadDefinition: ref => this.loadDefinition(ref),
			services: (context, row, secretValues) => this.stepServices(context, row, secretValues),
			secrets: (ownerId, names) => secrets.values(ownerId, names),
			dispatch: refs => this.dispatch(refs),
			abort: ids => void this.broker.broadcast("engine.abort", { execution_ids: ids }),
			publish: (update: EngineUpdate) => {
				const { execution_id, status, parent_execution_id } = update.execution;
				// Only child runs wake waiters, and only when they end: every other update goes to the gateways alone.
				if (parent_execution_id && ["completed", "failed", "cancelled"].includes(status)) {
					void this.broker.broadcast("execution.child.ended", { execution_id, status }, { groups: ["execution"] });
				}
				void this.broker.broadcast("engine.execution.updated", update);
			},
			onStepFinished: (type, status, ms) => {
				metrics?.increment("workflow_steps_executed_total", { step_type: type, status });
				metrics?.observe("workflow_step_duration_seconds", ms / 1000, { step_type: type });
			},
			onExecutionFinished: (workflowId, status, ms) => {
				// Workflow ids are the users': a label only behind OBSERVABILITY_METRICS_WORKFLOW_LABELS, and capped there.
				const workflow_id = workflowLabels.of(workflowId);
				metrics?.increment("workflow_executions_total", { workflow_id, status });
				metrics?.observe("workflow_execution_duration_seconds", ms / 1000, { workflow_id, status });
			},
			onRecovered: n => metrics?.increment("workflow_lease_recoveries_total", {}, n),
			onFlowChange: change => metrics?.increment("workflow_flow_control_total", { outcome: change }),
			onLeasesLapsed: owners => {
				// A lease owner is `<nodeID>:<random>` (see above).
				const nodeIDs = [...new Set(owners.map(o => o.slice(0, o.lastIndexOf(":"))))].filter(n => n && n !== this.broker.nodeID);
				if (!nodeIDs.length) return;
				this.forgetNodes(nodeIDs);
				void this.broker.broadcast("engine.nodes.lapsed", { node_ids: nodeIDs });
			},
			log: this.logger as unknown as EngineOptions["log"]
		});

		// Stop taking steps the moment draining begins.
		this.runtime.onShutdown(() => {
			this.stopping = true;
		});

		const every = (ms: number, fn: () => Promise<void>, { whileDraining = false, atOnce = false } = {}) => {
			let running = false;
			const tick = () => {
				if (running || (this.stopping && !whileDraining)) return;
				running = true;
				fn()
					.catch(err => this.logger.warn({ err }, "An engine background task failed; it runs again shortly"))
					.finally(() => (running = false));
			};
			const t = setInterval(tick, ms);
			t.unref();
			this.timers.push(t);
			if (atOnce) setImmediate(tick);
			return t;
		};
		// Renew leases three times per lease: one missed renewal never loses a live step. Steps that
		// are finishing while the node drains keep their leases too (stopped() clears this timer last).
		this.leaseTimer = every(Math.max(100, Math.floor(config.ENGINE_LEASE_TTL / 3)), () => this.engine.renewLeases(), { whileDraining: true });
		const sweepPass = async () => {
			if (!this.presence) await this.holdPresence();
			if (!this.leader) {
				this.leader = await this.database.tryHoldLock("cognitionos:engine-sweeper", { takeOverAfterMs: leaderTakeOverMs(config) });
				if (this.leader && this.stopping) {
					// Elected while the node was stopping: stopped() has already let go, so give the lock back here.
					await this.leader.release();
					this.leader = null;
				}
				if (this.leader) {
					this.logger.info("This node now sweeps the engine (elected)");
					this.sweepAllReady = true;
					const held = this.leader;
					void held.lost.then(() => {
						if (this.leader === held) this.leader = null;
					});
				}
			}
			if (this.leader) {
				await this.leader.heartbeat();
				await this.leaderTick();
			}
		};
		// The first pass runs as soon as the node has started: a restarted embedded node takes back the steps its
		// dead predecessor held (it owns the data directory) without waiting out a sweep interval first.
		every(config.ENGINE_SWEEP_INTERVAL, sweepPass, { atOnce: true });
		// Retention: the elected node archives and prunes ended runs past theirs, a few batches per pass.
		const archive = config.EXECUTION_ARCHIVE_DIR === "off" ? null : config.EXECUTION_ARCHIVE_DIR || path.join(config.DATA_DIR, "archive");
		this.pruner = new Pruner({ db: this.database, archiveDir: archive, batchSize: config.EXECUTION_PRUNE_BATCH });
		this.pruning = new Mutex();
		every(config.EXECUTION_PRUNE_INTERVAL, async () => {
			if (!this.leader) return;
			const report = await this.pruning.run(() => this.pruner.prune({ kind: "policy", defaultMs: config.EXECUTION_RETENTION, auditMs: config.AUDIT_RETENTION }, PRUNE_BATCHES_PER_PASS));
			if (report.executions || report.outbox || report.events || report.threads || report.notifications || report.audit) this.logger.info({ ...report, archives: report.archives.length }, "Pruned what passed its retention");
		});
		every(1000, async () => {
			metrics?.set("workflow_step_queue_depth", this.engine.queueDepth);
			metrics?.set("workflow_steps_running", this.engine.runningCount);
		});
	},

	async stopped() {
		this.stopping = true;
		for (const t of this.timers) if (t !== this.leaseTimer) clearInterval(t);
		if (this.engine) {
			const { finished, released } = await this.engine.drain(Math.max(0, this.runtime.config.SHUTDOWN_TIMEOUT - 1000));
			if (finished || released) this.logger.info({ finished, released }, "Drained this node's steps");
		}
		clearInterval(this.leaseTimer);
		this.waiters?.close();
		await this.mcp?.close();
		const leader = this.leader;
		this.leader = null;
		await leader?.release();
		// Last: once it is free, the sweeper takes back at once whatever the drain left running here.
		const presence = this.presence;
		this.presence = null;
		await presence?.release();
	}
};

export default ExecutionService;
