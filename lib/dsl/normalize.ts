import type { FieldProblem } from "../errors";
import { FieldReader } from "./fields";
import type { DefinitionStatus, WorkflowBudget, WorkflowDefinition } from "./model";
import { normalizeInputs, normalizeOutputs } from "./normalize-declarations";
import { readConcurrency, readDebounce, readPriority, readRateLimit, readTriggers } from "./normalize-flow";
import { normalizeStep, type StepSpelling } from "./normalize-step";
import { childPath, isPlainObject } from "./paths";
import { parseRetention, RETENTION_HINT } from "../retention/policy";

/**
 * A parsed document (either format) → the normalized model, plus a problem for every
 * field of the wrong kind. Rules about values (ids, versions, the graph, step types and
 * params, templates) are `validate`'s; this only reads the shape, so the model it returns
 * is complete even when problems were found, and validation can report those too.
 */
export interface NormalizedWorkflow {
	definition: WorkflowDefinition;
	problems: FieldProblem[];
	/** Per step, the spelling it used, so problems name the fields as the author wrote them. */
	spellings: StepSpelling[];
}

const STATUSES: readonly DefinitionStatus[] = ["draft", "active"];

export function normalizeWorkflow(document: unknown): NormalizedWorkflow {
	const problems: FieldProblem[] = [];
	const source = unwrap(document);
	if (!source) {
		problems.push({ path: "workflow", message: "must be an object: a workflow definition" });
		return { definition: emptyDefinition(), problems, spellings: [] };
	}
	const reader = new FieldReader(source, "", problems);
	const workflowId = reader.string("workflow_id", "id");
	if (source.workflow_id == null && source.id == null) reader.problem("workflow_id", "is required");
	const version = readVersion(reader);
	const name = reader.string("name") ?? workflowId ?? "";
	const description = reader.string("description");
	const status = readStatus(reader);
	const tags = [...new Set(reader.stringList("tags") ?? [])];
	const schedule = reader.string("schedule");
	const scheduleTimezone = reader.string("schedule_timezone");
	const budget = readBudget(reader);
	const triggers = readTriggers(reader);
	const concurrency = readConcurrency(reader);
	const rateLimit = readRateLimit(reader);
	const debounce = readDebounce(reader);
	const priority = readPriority(reader);
	const retention = reader.string("retention");
	if (retention !== null && parseRetention(retention) === null) reader.problem("retention", `must be ${RETENTION_HINT}`);
	const llmCapture = reader.boolean("llm_capture");
	const inputs = normalizeInputs(reader.take("inputs")?.value, "inputs", problems);
	const outputs = normalizeOutputs(reader.take("outputs")?.value, "outputs", problems);

	const spellings: StepSpelling[] = [];
	const steps: WorkflowDefinition["steps"] = [];
	const rawSteps = reader.take("steps")?.value;
	if (rawSteps === undefined) reader.problem("steps", "is required: a list of at least one step");
	else if (!Array.isArray(rawSteps)) reader.problem("steps", "must be a list of steps");
	else {
		rawSteps.forEach((raw, i) => {
			const path = childPath("steps", i);
			// A step that is not an object still holds its place, so the list keeps its length and positions.
			if (!isPlainObject(raw)) problems.push({ path, message: "must be an object (a step)" });
			const { step, spelling } = normalizeStep(isPlainObject(raw) ? raw : {}, path, isPlainObject(raw) ? problems : []);
			steps.push(step);
			spellings.push(spelling);
		});
	}
	reader.rejectUnknown("a workflow");
	return {
		definition: {
			workflow_id: workflowId ?? "",
			version,
			name,
			description,
			status,
			tags,
			schedule,
			schedule_timezone: scheduleTimezone,
			budget,
			triggers,
			concurrency,
			rate_limit: rateLimit,
			debounce,
			priority,
			// Absent unless written: definitions stored before it existed keep their content hash.
			...(retention !== null ? { retention } : {}),
			...(llmCapture !== null ? { llm_capture: llmCapture } : {}),
			inputs,
			outputs,
			steps
		},
		problems,
		spellings
	};
}

/** The YAML DSL wraps the definition in `workflow:`; JSON may too. */
function unwrap(document: unknown): Record<string, unknown> | null {
	if (!isPlainObject(document)) return null;
	const keys = Object.keys(document);
	if (keys.length === 1 && keys[0] === "workflow") return isPlainObject(document.workflow) ? document.workflow : null;
	return document;
}

function readVersion(reader: FieldReader): string {
	const field = reader.take("version");
	if (!field) {
		reader.problem("version", 'is required: a semantic version such as "1.0.0"');
		return "";
	}
	if (typeof field.value === "string") return field.value;
	// YAML reads an unquoted 1.0 as a number: say how to write it.
	reader.problem("version", `must be a string such as "1.0.0" (quote it in YAML)`);
	return "";
}

function readStatus(reader: FieldReader): DefinitionStatus {
	const status = reader.string("status");
	if (status === null) return "active";
	if ((STATUSES as readonly string[]).includes(status)) return status as DefinitionStatus;
	reader.problem("status", "a new definition is draft or active (deprecate or archive a stored version through its lifecycle)");
	return "active";
}

function readBudget(reader: FieldReader): WorkflowBudget | null {
	const field = reader.take("budget");
	if (!field) return null;
	if (!isPlainObject(field.value)) {
		reader.problem("budget", "must be an object {max_tokens?, max_cost_usd?}");
		return null;
	}
	const budget = new FieldReader(field.value, reader.at("budget"), reader.problems);
	const maxTokens = budget.take("max_tokens");
	const maxCost = budget.take("max_cost_usd");
	budget.rejectUnknown("budget (max_tokens, max_cost_usd)");
	const out: WorkflowBudget = { max_tokens: null, max_cost_usd: null };
	if (maxTokens && typeof maxTokens.value === "number" && Number.isSafeInteger(maxTokens.value) && maxTokens.value > 0) out.max_tokens = maxTokens.value;
	else if (maxTokens) budget.problem("max_tokens", "must be a whole number above 0");
	if (maxCost && typeof maxCost.value === "number" && Number.isFinite(maxCost.value) && maxCost.value > 0) out.max_cost_usd = maxCost.value;
	else if (maxCost) budget.problem("max_cost_usd", "must be a number of US dollars above 0");
	return out.max_tokens === null && out.max_cost_usd === null ? null : out;
}

function emptyDefinition(): WorkflowDefinition {
	return {
		workflow_id: "",
		version: "",
		name: "",
		description: null,
		status: "active",
		tags: [],
		schedule: null,
		schedule_timezone: null,
		budget: null,
		triggers: [],
		concurrency: null,
		rate_limit: null,
		debounce: null,
		priority: 0,
		inputs: [],
		outputs: [],
		steps: []
	};
}
