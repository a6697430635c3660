import { stringify } from "yaml";
import { formatDuration } from "../duration";
import { STEP_DEFAULTS, type InputDeclaration, type OutputDeclaration, type StepDefinition, type WorkflowDefinition } from "./model";

/**
 * The YAML DSL of a definition (`workflow:` root, as in the deploy-web-app example):
 * fields at their default are left out, durations are written "120s"-style. Parsing it
 * gives the same model.
 */
export function workflowToYaml(definition: WorkflowDefinition): string {
	const d = definition;
	const workflow = compact({
		id: d.workflow_id,
		version: d.version,
		name: d.name,
		description: d.description,
		status: d.status === "active" ? null : d.status,
		tags: d.tags.length ? d.tags : null,
		schedule: d.schedule,
		schedule_timezone: d.schedule_timezone,
		budget: d.budget && compact({ ...d.budget }),
		triggers: d.triggers.length ? d.triggers.map(t => compact({ ...t })) : null,
		concurrency: d.concurrency && compact({ ...d.concurrency }),
		rate_limit: d.rate_limit && compact({ ...d.rate_limit, period: formatDuration(d.rate_limit.period) }),
		debounce: d.debounce && compact({ ...d.debounce, period: formatDuration(d.debounce.period) }),
		priority: d.priority === 0 ? null : d.priority,
		retention: d.retention ?? null,
		llm_capture: d.llm_capture ?? null,
		inputs: d.inputs.length ? d.inputs.map(inputYaml) : null,
		outputs: d.outputs.length ? d.outputs.map(outputYaml) : null,
		steps: d.steps.map(stepYaml)
	});
	// No anchors and aliases: a shared object is written out each time, as JSON would.
	return stringify({ workflow }, { lineWidth: 0, aliasDuplicateObjects: false });
}

function inputYaml(input: InputDeclaration): Record<string, unknown> {
	return compact({
		name: input.name,
		type: input.type,
		required: input.required || null,
		values: input.values,
		default: input.default,
		description: input.description
	});
}

function outputYaml(output: OutputDeclaration): Record<string, unknown> {
	return compact({ name: output.name, type: output.type, values: output.values, description: output.description, value: output.value });
}

function stepYaml(step: StepDefinition): Record<string, unknown> {
	return compact({
		id: step.id,
		name: step.name,
		type: step.type,
		depends_on: step.depends_on.length ? step.depends_on : null,
		params: Object.keys(step.params).length ? step.params : null,
		agent_role: step.agent_role,
		agent_capability: step.agent_capability,
		timeout: step.timeout === null ? null : formatDuration(step.timeout),
		retry: step.retry === STEP_DEFAULTS.retry ? null : step.retry,
		retry_delay: step.retry_delay === STEP_DEFAULTS.retry_delay ? null : formatDuration(step.retry_delay),
		condition: step.condition,
		approval_required: step.approval_required === STEP_DEFAULTS.approval_required ? null : step.approval_required,
		approval_timeout: step.approval_timeout === null ? null : formatDuration(step.approval_timeout)
	});
}

/** Leaves out null fields (the model's "not given"). */
function compact(fields: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
}
