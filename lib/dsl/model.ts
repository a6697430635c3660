/**
 * The one normalized workflow model. Both formats (the summary's JSON and the YAML DSL)
 * normalize to it, the printers write it back, and the engine runs it. Every field is
 * present: absent optional values are `null`, lists are `[]`, durations are milliseconds.
 */

export type InputType = "string" | "integer" | "float" | "boolean" | "enum" | "json";
export const INPUT_TYPES: readonly InputType[] = ["string", "integer", "float", "boolean", "enum", "json"];

/** A workflow input, checked and coerced when the workflow is executed (`coerceInputs`). */
export interface InputDeclaration {
	/** Identifier (`[A-Za-z_][A-Za-z0-9_]*`), referenced as `${{ inputs.NAME }}`. */
	name: string;
	type: InputType;
	/** A required input without a default must be given at execution. */
	required: boolean;
	/** Value used when the input is not given, already of `type`; null when there is none. */
	default: unknown;
	/** The allowed values of an `enum` input; null for every other type. */
	values: string[] | null;
	description: string | null;
}

/** A workflow output: what a finished run reports, computed from `value` after its last step. */
export interface OutputDeclaration {
	name: string;
	/** Declared type (documentation for callers); null when not declared. */
	type: InputType | null;
	values: string[] | null;
	description: string | null;
	/** Any JSON with templates (`${{ steps.deploy.output.url }}`), resolved when the run ends; null when the workflow does not compute it. */
	value: unknown;
}

export interface StepDefinition {
	/** Unique within the workflow: letters, digits, `_` and `-`. */
	id: string;
	/** Human label; the id when none was given. */
	name: string;
	/** One of the engine's step types (`lib/steps`); validation refuses any other. */
	type: string;
	/** The type's parameters as written: strings may hold templates, durations stay as written (`"30s"` or seconds). */
	params: Record<string, unknown>;
	/** Ids of the steps that must complete before this one starts. */
	depends_on: string[];
	/** Per attempt, in milliseconds; null leaves it to the engine's default. */
	timeout: number | null;
	/** Retries after a failed attempt (so at most `retry + 1` attempts). */
	retry: number;
	/** Wait between attempts, in milliseconds. */
	retry_delay: number;
	/** Condition (`${{ inputs.run_tests }} == true`); the step is skipped when it is false. Null runs it always. */
	condition: string | null;
	agent_role: string | null;
	/** true/false, or a condition evaluated when the step is reached (`${{ inputs.environment }} == 'prod'`). */
	approval_required: boolean | string;
	/**
	 * How long the step waits for its approval (milliseconds), for a gate (`approval_required`)
	 * and an `approval` step alike; when it lapses the step fails with `approval_timeout`.
	 * Null: an approval step waits its `timeout`, a gate waits until decided or cancelled.
	 */
	approval_timeout: number | null;
	/** The capability a summary-style agent step asked for (its prompt is built from it); null otherwise. */
	agent_capability: string | null;
}

/** Spending limits of one execution; a null field is unlimited. */
export interface WorkflowBudget {
	max_tokens: number | null;
	max_cost_usd: number | null;
}

/** Starts a run of the workflow for each matching event of its owner (`POST /events`, an inbound webhook). */
export interface EventTrigger {
	/** The event's name (`order.created`). */
	event: string;
	/** A condition over `event` (`${{ event.data.total }} > 100`); null starts a run for every such event. */
	filter: string | null;
}

/**
 * Runs sharing a key (a template over inputs; null: one key for the whole workflow) run at
 * most `limit` at once; the others wait, status `queued`, first by priority then first come.
 */
export interface ConcurrencyLimit {
	key: string | null;
	limit: number;
}

/** Runs sharing a key start at most `limit` times per `period` (ms); the others wait, `queued`, until the window allows. */
export interface RateLimit {
	key: string | null;
	limit: number;
	period: number;
}

/** Runs sharing a key wait `period` (ms) for a quieter moment: each new one restarts the wait and replaces the waiting run's inputs (the last of a burst wins). */
export interface Debounce {
	key: string | null;
	period: number;
}

/** `draft` definitions cannot be executed until activated; new definitions are `active` unless they say `draft`. */
export type DefinitionStatus = "draft" | "active";

export interface WorkflowDefinition {
	workflow_id: string;
	/** Semantic version (`1.0.0`, `2.1.0-beta.1`). */
	version: string;
	/** The workflow id when none was given. */
	name: string;
	description: string | null;
	status: DefinitionStatus;
	tags: string[];
	/** Cron expression (five fields, or `@daily` and friends); null when not scheduled. */
	schedule: string | null;
	/** The IANA time zone the schedule's fields are read in (`Europe/Berlin`); null: UTC. */
	schedule_timezone: string | null;
	budget: WorkflowBudget | null;
	/** Events that start a run, their `data` as its inputs. */
	triggers: EventTrigger[];
	concurrency: ConcurrencyLimit | null;
	rate_limit: RateLimit | null;
	debounce: Debounce | null;
	/** Runs' default priority (-100 to 100; higher first when flow-control slots are scarce); `execute` may give its own. */
	priority: number;
	/** How long its ended runs are kept before they are archived and pruned ("30d", "forever"); absent: EXECUTION_RETENTION. */
	retention?: string;
	/** Keeps its runs' model calls (lib/transcripts) even when LLM_CAPTURE is off; absent when not written. */
	llm_capture?: boolean;
	inputs: InputDeclaration[];
	outputs: OutputDeclaration[];
	steps: StepDefinition[];
}

/** Values a step gets when the definition does not say. */
export const STEP_DEFAULTS = {
	retry: 0,
	// One second between attempts keeps a flaky endpoint from being hammered.
	retry_delay: 1000,
	timeout: null,
	condition: null,
	agent_role: null,
	approval_required: false,
	approval_timeout: null,
	agent_capability: null
} as const;

export const LIMITS = {
	maxSteps: 1000,
	// 1 MiB of definition text (or of its JSON when the body arrives parsed).
	maxBytes: 1024 * 1024,
	// Object/array levels from the document root; the deepest real definition (a map step's params) needs about 8.
	maxDepth: 32,
	maxIdLength: 128,
	maxRetries: 100,
	// Longest per-attempt timeout: an approval may wait a month.
	maxTimeoutMs: 30 * 86_400_000,
	// Longest delay step: a durable wait (a due time in the ledger) of up to a year.
	maxDelayMs: 366 * 86_400_000,
	maxRetryDelayMs: 86_400_000,
	maxTags: 50,
	maxTagLength: 64,
	maxTriggers: 20,
	// A key's limit: runs at once, or starts per period.
	maxFlowLimit: 10_000,
	// Longest rate-limit window and debounce wait.
	maxFlowPeriodMs: 86_400_000,
	// Templates over inputs resolve to at most this many characters of key.
	maxFlowKeyLength: 256,
	maxPriority: 100
} as const;

/** Event names: `order.created`, `github/push`, `stripe:invoice.paid`. */
export const EVENT_NAME_PATTERN = /^[A-Za-z0-9_.:/-]{1,200}$/;

export const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Workflow ids that are API paths beside `/workflows/{id}` (matched without regard to case): such a workflow could never be read. */
export const RESERVED_WORKFLOW_IDS: ReadonlySet<string> = new Set(["execute", "executions"]);
export const INPUT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
// semver.org's grammar: MAJOR.MINOR.PATCH, optional -prerelease and +build.
export const SEMVER_PATTERN =
	/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
