import { resolveStepParams, TemplateTooLarge, type StepDefinition, type TemplateScope } from "../dsl";
import { formatBytes, jsonSize, LimitExceeded, type Isolation } from "../isolation";
import { StepFailure } from "../steps";
import { executionOutputs, type ExecutionPlan } from "./plan";
import type { ExecutionError } from "./types";

/**
 * The limits of one attempt that the engine itself enforces, around the step type's
 * work: conditions evaluated where a limit can stop them, params resolved within a
 * budget, and an output measured before anything is written. Each refusal is a final
 * StepFailure whose type names the limit.
 */

/** Whether a condition (a step's `condition`, or its `approval_required` one) holds. */
export async function conditionHolds(isolation: Pick<Isolation, "condition">, step: StepDefinition, source: string, scope: TemplateScope, signal: AbortSignal): Promise<boolean> {
	try {
		return await isolation.condition(source, scope, signal);
	} catch (err) {
		if (signal.aborted) throw new StepFailure(`Condition of step ${step.id} did not finish within the step's timeout`, "timeout", false);
		if (err instanceof LimitExceeded) throw new StepFailure(`Condition of step ${step.id}: ${err.message}`, err.type, err.final);
		throw new StepFailure(`Condition of step ${step.id}: ${(err as Error).message}`, "condition_error", true);
	}
}

/** The step's params with templates resolved; their interpolated text may add up to `maxBytes`. */
export function paramsWithin(step: StepDefinition, scope: TemplateScope, maxBytes: number): Record<string, unknown> {
	try {
		return resolveStepParams(step, scope, maxBytes);
	} catch (err) {
		if (!(err instanceof TemplateTooLarge)) throw err;
		throw new StepFailure(`Params of step ${step.id}: ${err.message} (STEP_MAX_OUTPUT_BYTES)`, "params_too_large", true);
	}
}

/** Why an output may not be recorded (larger than `maxBytes` as JSON), or null when it may. */
export function outputRefusal(stepId: string, output: unknown, maxBytes: number): StepFailure | null {
	const size = jsonSize(output ?? null, maxBytes);
	if (size <= maxBytes) return null;
	return new StepFailure(`The output of step ${stepId} is larger than ${formatBytes(maxBytes)} (STEP_MAX_OUTPUT_BYTES); nothing was recorded`, "output_too_large", true);
}

/** A finished run's outputs, or why they may not be recorded (their interpolated text, or their JSON, passes `maxBytes`). */
export function boundedOutputs(plan: ExecutionPlan, scope: TemplateScope, maxBytes: number): { outputs: Record<string, unknown> | null; refused: ExecutionError | null } {
	try {
		const outputs = executionOutputs(plan, scope, maxBytes);
		if (jsonSize(outputs, maxBytes) <= maxBytes) return { outputs, refused: null };
	} catch (err) {
		if (!(err instanceof TemplateTooLarge)) throw err;
	}
	return { outputs: null, refused: { message: `The run's outputs are larger than ${formatBytes(maxBytes)} (STEP_MAX_OUTPUT_BYTES); they were not recorded`, type: "output_too_large" } };
}
