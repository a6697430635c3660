/** The API's shapes the pages read (see /openapi.json). */

export type StepStatus = "pending" | "running" | "completed" | "failed" | "cancelled" | "skipped";

export interface StepError {
	message: string;
	type: string;
	step_id?: string;
	attempt?: number;
}

export interface Usage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
	cost_usd: number;
}

export interface ExecutionStep {
	step_id: string;
	name: string;
	type: string;
	depends_on: string[];
	status: StepStatus;
	waiting_for: "approval" | "timer" | "sub_workflow" | "event" | null;
	output: unknown;
	error: StepError | null;
	attempts: number;
	usage: Usage | null;
	approval: unknown;
	child_execution_id: string | null;
	started_at: string | null;
	completed_at: string | null;
}

export interface ExecutionSummary {
	execution_id: string;
	workflow_id: string;
	workflow_version: string;
	status: "pending" | "queued" | "running" | "completed" | "failed" | "cancelled";
	progress: number;
	trigger: string;
	inputs: Record<string, unknown>;
	outputs: Record<string, unknown> | null;
	error: StepError | null;
	usage: Usage | null;
	owner_id: string;
	created_at: string;
	started_at: string | null;
	completed_at: string | null;
}

export interface Execution extends ExecutionSummary {
	steps: ExecutionStep[];
}

export interface InputDeclaration {
	name: string;
	type: "string" | "integer" | "float" | "boolean" | "enum" | "json";
	required: boolean;
	default: unknown;
	values: string[] | null;
	description: string | null;
}

export interface WorkflowStep {
	id: string;
	name: string;
	type: string;
	params: Record<string, unknown>;
	depends_on: string[];
	condition: string | null;
	approval_required: boolean | string;
	retry: number;
	timeout: string | null;
}

export interface WorkflowSummary {
	id: string;
	workflow_id: string;
	version: string;
	name: string;
	description: string | null;
	status: "draft" | "active" | "deprecated" | "archived";
	tags: string[];
	owner_id: string;
	step_count: number;
	updated_at: string;
}

export interface Workflow extends Omit<WorkflowSummary, "step_count"> {
	inputs: InputDeclaration[];
	steps: WorkflowStep[];
}

export const TERMINAL = new Set(["completed", "failed", "cancelled"]);
