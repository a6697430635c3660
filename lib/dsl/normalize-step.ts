import type { FieldProblem } from "../errors";
import { agentPrompt } from "./agent-step";
import { FieldReader } from "./fields";
import { LIMITS, STEP_DEFAULTS, type StepDefinition } from "./model";
import { isPlainObject } from "./paths";

/**
 * One step, in either spelling:
 * - the DSL's: `id, name, type, params, depends_on, timeout ("120s" or seconds), retry,
 *   retry_delay, condition, agent_role, approval_required, approval_timeout`;
 * - the summary's: `step_id, name, agent_capability, inputs, depends_on, timeout_seconds,
 *   retry_config`.
 * `retry_config` is `{max_retries | retries | max_attempts, delay | retry_delay |
 * initial_delay (durations) | delay_seconds | initial_delay_seconds (seconds)}`;
 * `max_attempts: 3` means `retry: 2`.
 */

/** Which spelling a step used for the fields validation names in its problems. */
export interface StepSpelling {
	/** The step's path in the document (`steps[3]`). */
	path: string;
	params: "params" | "inputs";
}

const RETRY_CONFIG_FIELDS = "max_retries, retries, max_attempts, delay, retry_delay, initial_delay, delay_seconds, initial_delay_seconds";

export function normalizeStep(raw: Record<string, unknown>, path: string, problems: FieldProblem[]): { step: StepDefinition; spelling: StepSpelling } {
	const reader = new FieldReader(raw, path, problems);
	const id = reader.string("id", "step_id");
	if (raw.id == null && raw.step_id == null) reader.problem("id", "is required");
	const name = reader.string("name") ?? id ?? "";
	const explicitType = reader.string("type");
	const agentCapability = reader.string("agent_capability");
	const paramsField = reader.take("params", "inputs");
	let params: Record<string, unknown> = {};
	if (paramsField && isPlainObject(paramsField.value)) params = paramsField.value;
	else if (paramsField) reader.problem(paramsField.name, "must be an object");

	let type = explicitType ?? "";
	if (explicitType === null && agentCapability !== null) {
		type = "ai_generate";
		params = { prompt: agentPrompt(name, agentCapability, params) };
	} else if (explicitType === null) {
		reader.problem("type", "is required (or agent_capability, for an agent step)");
	}

	const step: StepDefinition = {
		id: id ?? "",
		name,
		type,
		params,
		depends_on: reader.stringList("depends_on") ?? [],
		timeout: readTimeout(reader),
		...readRetry(reader),
		condition: readCondition(reader),
		agent_role: reader.string("agent_role"),
		approval_required: readApproval(reader),
		approval_timeout: reader.duration(LIMITS.maxTimeoutMs, "approval_timeout") ?? STEP_DEFAULTS.approval_timeout,
		agent_capability: agentCapability
	};
	reader.rejectUnknown("a step");
	return { step, spelling: { path, params: paramsField?.name === "inputs" ? "inputs" : "params" } };
}

function readTimeout(reader: FieldReader): number | null {
	const timeout = reader.duration(LIMITS.maxTimeoutMs, "timeout");
	const seconds = reader.seconds(LIMITS.maxTimeoutMs, "timeout_seconds");
	if (timeout !== null && seconds !== null) reader.problem("timeout_seconds", "give either timeout or timeout_seconds, not both");
	return timeout ?? seconds ?? STEP_DEFAULTS.timeout;
}

function readRetry(reader: FieldReader): { retry: number; retry_delay: number } {
	let retry = reader.count(LIMITS.maxRetries, "retry")?.value ?? null;
	let delay = reader.duration(LIMITS.maxRetryDelayMs, "retry_delay");
	const configField = reader.take("retry_config");
	if (configField && !isPlainObject(configField.value)) reader.problem("retry_config", `must be an object (${RETRY_CONFIG_FIELDS})`);
	else if (configField) {
		const config = new FieldReader(configField.value as Record<string, unknown>, reader.at("retry_config"), reader.problems);
		const retries = config.count(LIMITS.maxRetries, "max_retries", "retries");
		const attempts = config.count(LIMITS.maxRetries + 1, "max_attempts");
		if (attempts?.value === 0) config.problem("max_attempts", "must be at least 1");
		if (retries && attempts) config.problem("max_attempts", `give either ${retries.name} or max_attempts, not both`);
		const configRetry = retries?.value ?? (attempts && attempts.value > 0 ? attempts.value - 1 : null);
		const configDelay = config.duration(LIMITS.maxRetryDelayMs, "delay", "retry_delay", "initial_delay");
		const configDelaySeconds = config.seconds(LIMITS.maxRetryDelayMs, "delay_seconds", "initial_delay_seconds");
		if (configDelay !== null && configDelaySeconds !== null) config.problem("delay_seconds", "give one delay, not two");
		config.rejectUnknown(`retry_config (${RETRY_CONFIG_FIELDS})`);
		if (configRetry !== null && retry !== null) reader.problem("retry_config", "give either retry or retry_config, not both");
		if ((configDelay ?? configDelaySeconds) !== null && delay !== null) reader.problem("retry_config", "give either retry_delay or retry_config's delay, not both");
		retry ??= configRetry;
		delay ??= configDelay ?? configDelaySeconds;
	}
	return { retry: retry ?? STEP_DEFAULTS.retry, retry_delay: delay ?? STEP_DEFAULTS.retry_delay };
}

function readCondition(reader: FieldReader): string | null {
	const field = reader.take("condition");
	if (!field) return null;
	if (typeof field.value === "string") return field.value;
	if (typeof field.value === "boolean") return String(field.value);
	reader.problem("condition", "must be a condition such as ${{ inputs.run_tests }} == true");
	return null;
}

function readApproval(reader: FieldReader): boolean | string {
	const field = reader.take("approval_required");
	if (!field) return STEP_DEFAULTS.approval_required;
	if (typeof field.value === "boolean" || typeof field.value === "string") return field.value;
	reader.problem("approval_required", "must be true, false or a condition");
	return STEP_DEFAULTS.approval_required;
}
