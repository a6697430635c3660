import type { AgentServices } from "../agents/services";
import type { StepDefinition } from "../dsl/model";
import type { TemplateScope } from "../dsl/templates";
import type { FieldProblem } from "../errors";

/**
 * What a step type is: its name, what it does, the JSON Schema of its `params`, and the
 * checks a schema cannot express. The engine issue adds each type's `execute` to the
 * same module (`lib/steps/<type>.ts`), extending this interface.
 */

export type StepTypeName = "transform" | "http_request" | "ai_generate" | "delay" | "approval" | "sub_workflow" | "map" | "agent" | "wait_for_event";

/** A JSON Schema (draft-07) as ajv takes it. */
export type JsonSchema = Record<string, unknown>;

/** What a type's `check` may ask about the workflow around the step. */
export interface ParamsCheckContext {
	/** Path of the params object in the definition (`steps[3].params`). */
	path: string;
	workflowId: string;
	/**
	 * Why a data reference (`["steps", "fetch", "output", "items"]`, `["inputs", "url"]`) is
	 * wrong for this step (undeclared input, unknown or non-ancestor step), or null when it is fine.
	 */
	referenceProblem(path: readonly string[]): string | null;
}

export interface StepTypeDefinition {
	readonly type: StepTypeName;
	readonly description: string;
	/** Checks `params`; wherever a value may be computed at run time it also accepts a `${{ … }}` template string. */
	readonly paramsSchema: JsonSchema;
	/** Params read as written, never templated (a JSONata expression reads inputs and steps itself). */
	readonly literalParams?: readonly string[];
	/** Params that are conditions the engine evaluates later, with `event` in scope (a wait's match): validated as conditions, never templated. */
	readonly conditionParams?: readonly string[];
	/** The param holding a step template run once per item, where `${{ item }}` and `${{ index }}` exist; resolved per item, not before the step. */
	readonly itemStepParam?: string;
	/** The param holding tool definitions, where `${{ args… }}` (a tool call's arguments) exists; those templates resolve per call. */
	readonly toolsParam?: string;
	/** Checks beyond the schema (an expression compiles, a schema is a schema); runs only when the schema passed. */
	check?(params: Record<string, unknown>, context: ParamsCheckContext): FieldProblem[];
	/**
	 * Runs one attempt with resolved params. Throws to fail the attempt (a `StepFailure`
	 * with `final` set skips the remaining retries). Types the engine settles itself
	 * (approval) have none.
	 */
	execute?(params: Record<string, unknown>, context: StepRunContext): Promise<StepOutcome>;
}

/**
 * Token use and cost of an attempt (LLM steps), with the provider and model that answered
 * and how long the call took. The execution was charged when the call answered
 * (`StepServices.llm`); the engine records this on the step.
 */
export interface StepUsage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
	cost_usd: number;
	provider?: string;
	model?: string;
	latency_ms?: number;
}

/** What a `wait_for_event` step waits for: the event's name, the condition it must meet, since when events count. */
export interface EventWaitSpec {
	event: string;
	/** A condition over `event`, `inputs` and `steps`; null takes the first event of that name. */
	match: string | null;
	/** `wait_start`: only events that arrive after the wait began; `run_start`: any since the run started. */
	since: "wait_start" | "run_start";
	/** When the wait times out: `fail` the step, or `continue` with a null output. */
	onTimeout: "fail" | "continue";
}

/** What an attempt ends with: an output, or a wait that holds no worker. */
export type StepOutcome =
	| { kind: "completed"; output: unknown; usage?: StepUsage | null }
	| { kind: "wait"; waitingFor: "approval" | "timer" | "sub_workflow"; dueAt: number | null; childExecutionId?: string | null }
	| { kind: "wait"; waitingFor: "event"; dueAt: number | null; event: EventWaitSpec };

/** What the node offers a step: the LLM service, the HTTP guard's allow-list, sub-workflows. */
export interface StepServices {
	/**
	 * `llm.complete` with the execution's budget and the step's correlation filled in. The
	 * call's worst case is reserved against the budget before it is made and its usage is
	 * charged to the execution when it answers; aborting `signal` aborts the call.
	 */
	llm(request: Record<string, unknown>, signal: AbortSignal): Promise<LlmStepResult>;
	/** Hosts an http_request may reach even on private addresses; "*" allows any. */
	httpAllowedHosts: readonly string[];
	/** Starts (idempotently, per attempt) a child execution of the same owner. */
	startSubWorkflow(request: { workflow_id: string; version: string | null; inputs: Record<string, unknown> }, idempotencyKey: string): Promise<{ execution_id: string }>;
	/** An agent step's journal, turns, tools and threads (`lib/agents`); absent for other steps. */
	agent?: AgentServices;
}

export interface LlmStepResult {
	text: string;
	json?: unknown;
	json_error?: string;
	usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
	cost_usd: number;
	provider: string;
	model: string;
	latency_ms: number;
}

export interface StepRunContext {
	executionId: string;
	stepId: string;
	attempt: number;
	ownerId: string;
	/** `execution_id:step_id:attempt`: the same for every delivery of one attempt. */
	idempotencyKey: string;
	/** Aborted on cancel, on the execution failing elsewhere, and at the step's timeout. */
	signal: AbortSignal;
	scope: TemplateScope;
	step: StepDefinition;
	services: StepServices;
}
