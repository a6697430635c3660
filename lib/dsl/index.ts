/**
 * Workflow definitions: two formats (the summary's JSON, the YAML DSL), one normalized
 * model, strict validation, printers back to both formats, and the pure pieces the
 * engine shares (templates, conditions, input coercion).
 */
export type {
	DefinitionStatus,
	InputDeclaration,
	InputType,
	OutputDeclaration,
	StepDefinition,
	WorkflowBudget,
	WorkflowDefinition
} from "./model";
export { ID_PATTERN, INPUT_TYPES, LIMITS, SEMVER_PATTERN, STEP_DEFAULTS } from "./model";
export { checkWorkflow, formatOf, parseWorkflow, parseWorkflowText, validateWorkflow, type WorkflowFormat } from "./parse";
export { normalizeWorkflow, type NormalizedWorkflow } from "./normalize";
export { definitionProblems } from "./validate";
export { workflowToJson, type StepJson, type WorkflowJson } from "./print-json";
export { workflowToYaml } from "./print-yaml";
export { coerceInputs, coerceValue } from "./inputs";
export { compileCondition, ConditionError, conditionFilters, conditionValues, evaluateCondition, evaluateConditionOver, type CompiledCondition } from "./conditions";
export { parseTemplatePath, resolvePath, resolveTemplates, scanTemplates, TemplateTooLarge, type TemplateRef, type TemplateScope } from "./templates";
export { resolveStepParams } from "./step-params";
export { Ancestry, findCycles, topologicalOrder } from "./graph";
export { cronProblem } from "./cron";
