/** What an agent step gets from its node, beyond every step's services (see `lib/steps/types.ts`). */
import type { ChatMessage, ToolCall } from "../llm/types";
import type { JournalEntry, StoredEntry } from "./journal";

/** An event of the step's execution announced with a journal entry (streamed live, in order). */
export interface AgentEvent {
	type: string;
	fields: Record<string, unknown>;
}

/** What one model turn answered: the LLM service's result with the tools it asked for. */
export interface TurnResult {
	text: string;
	json?: unknown;
	json_error?: string;
	tool_calls?: ToolCall[];
	usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
	cost_usd: number;
	provider: string;
	model: string;
	latency_ms: number;
}

/** The step's own spending limits, checked with each turn's worst case before the turn is made. */
export interface StepBudget {
	max_tokens?: number;
	max_cost_usd?: number;
	used_tokens: number;
	used_cost_usd: number;
}

export interface ChildRun {
	status: "completed" | "failed" | "cancelled";
	outputs: Record<string, unknown> | null;
	error: { message: string } | null;
}

export interface ToolDescription {
	description: string;
	parameters: Record<string, unknown>;
}

export interface AgentServices {
	/** The journal so far. */
	read(): Promise<StoredEntry[]>;
	/** Appends an entry (fenced by the attempt's lease) with its events; null when the lease is gone. */
	append(entry: JournalEntry, events: AgentEvent[]): Promise<StoredEntry | null>;
	/**
	 * One model turn through the LLM service: reserved against the run's budget (and checked
	 * against `stepBudget`), and journaled by `journal` in the transaction that charges it.
	 */
	turn(request: Record<string, unknown>, signal: AbortSignal, stepBudget: StepBudget, journal: (result: TurnResult) => { entry: JournalEntry; events: AgentEvent[] }): Promise<{ result: TurnResult; stored: StoredEntry | null }>;
	/** The step's latest approval decision (a tool call's, once the agent asked for one). */
	approval: { decision: "approved" | "rejected"; by: string; at: number; comment: string | null } | null;
	describeWorkflow(workflowId: string, version: string | null): Promise<ToolDescription>;
	/** Starts (idempotently, by key) a child execution of the step's execution. */
	startWorkflow(request: { workflow_id: string; version: string | null; inputs: Record<string, unknown> }, idempotencyKey: string): Promise<{ execution_id: string }>;
	waitForExecution(executionId: string, signal: AbortSignal): Promise<ChildRun>;
	cancelExecution(executionId: string, reason: string): Promise<void>;
	describeMcpTool(server: string, tool: string, signal: AbortSignal): Promise<ToolDescription>;
	callMcpTool(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<{ result: unknown; is_error: boolean }>;
	loadThread(thread: string): Promise<ChatMessage[]>;
	saveThread(thread: string, messages: ChatMessage[]): Promise<void>;
}
