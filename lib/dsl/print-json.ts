import { formatDuration } from "../duration";
import type { ConcurrencyLimit, EventTrigger, InputDeclaration, OutputDeclaration, WorkflowBudget, WorkflowDefinition } from "./model";

/**
 * The API's JSON shape of a definition (what GET returns): the normalized model with
 * every field present and durations written as duration strings ("2m", "500ms"), so
 * that posting it again gives the same model.
 */
export interface WorkflowJson {
	workflow_id: string;
	version: string;
	name: string;
	description: string | null;
	status: WorkflowDefinition["status"];
	tags: string[];
	schedule: string | null;
	schedule_timezone: string | null;
	budget: WorkflowBudget | null;
	triggers: EventTrigger[];
	concurrency: ConcurrencyLimit | null;
	rate_limit: { key: string | null; limit: number; period: string } | null;
	debounce: { key: string | null; period: string } | null;
	priority: number;
	retention?: string;
	llm_capture?: boolean;
	inputs: InputDeclaration[];
	outputs: OutputDeclaration[];
	steps: StepJson[];
}

export interface StepJson {
	id: string;
	name: string;
	type: string;
	params: Record<string, unknown>;
	depends_on: string[];
	timeout: string | null;
	retry: number;
	retry_delay: string;
	condition: string | null;
	agent_role: string | null;
	approval_required: boolean | string;
	approval_timeout: string | null;
	agent_capability: string | null;
}

export function workflowToJson(definition: WorkflowDefinition): WorkflowJson {
	// A deep copy (the model is JSON data): callers may change what they get without touching the definition.
	const copy = JSON.parse(JSON.stringify(definition)) as WorkflowDefinition;
	return {
		...copy,
		rate_limit: copy.rate_limit && { ...copy.rate_limit, period: formatDuration(copy.rate_limit.period) },
		debounce: copy.debounce && { ...copy.debounce, period: formatDuration(copy.debounce.period) },
		steps: copy.steps.map(step => ({
			id: step.id,
			name: step.name,
			type: step.type,
			params: step.params,
			depends_on: step.depends_on,
			timeout: step.timeout === null ? null : formatDuration(step.timeout),
			retry: step.retry,
			retry_delay: formatDuration(step.retry_delay),
			condition: step.condition,
			agent_role: step.agent_role,
			approval_required: step.approval_required,
			approval_timeout: step.approval_timeout === null ? null : formatDuration(step.approval_timeout),
			agent_capability: step.agent_capability
		}))
	};
}
