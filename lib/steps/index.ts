import { agent } from "./agent";
import { aiGenerate } from "./ai-generate";
import { approval } from "./approval";
import { delay } from "./delay";
import { httpRequest } from "./http-request";
import { map } from "./map";
import { subWorkflow } from "./sub-workflow";
import { transform } from "./transform";
import { waitForEvent } from "./wait-for-event";
import type { StepTypeDefinition, StepTypeName } from "./types";

/** The step types the engine runs; a definition using any other type is refused when it is created. */
export const STEP_TYPES: Readonly<Record<StepTypeName, StepTypeDefinition>> = {
	transform,
	http_request: httpRequest,
	ai_generate: aiGenerate,
	delay,
	approval,
	sub_workflow: subWorkflow,
	map,
	agent,
	wait_for_event: waitForEvent
};

export const STEP_TYPE_NAMES = Object.keys(STEP_TYPES) as StepTypeName[];

export function stepType(name: string): StepTypeDefinition | undefined {
	return Object.hasOwn(STEP_TYPES, name) ? STEP_TYPES[name as StepTypeName] : undefined;
}

export type { EventWaitSpec, JsonSchema, LlmStepResult, ParamsCheckContext, StepOutcome, StepRunContext, StepServices, StepTypeDefinition, StepTypeName, StepUsage } from "./types";
export { StepFailure } from "./failure";
