/** Names for the generated OpenAPI types (generated/api.ts), as the client's methods use them. */
import type { WorkflowDefinitionJson } from "./builder";
import type { components, operations } from "./generated/api";

type Schemas = components["schemas"];

export type Execution = Schemas["Execution"];
export type ExecutionStep = Execution["steps"][number];
export type ExecutionStatus = Execution["status"];
export type StepStatus = ExecutionStep["status"];
export type ExecutionSummary = Schemas["ExecutionSummary"];
export type ExecutionPage = Schemas["ExecutionPage"];
export type Workflow = Schemas["Workflow"];
export type WorkflowSummary = Schemas["WorkflowSummary"];
export type WorkflowPage = Schemas["WorkflowPage"];
export type WorkflowVersions = Schemas["WorkflowVersions"];
export type WorkflowStatus = Workflow["status"];
export type TokenPair = Schemas["TokenPair"];
export type UserProfile = Schemas["UserProfile"];
export type RegisteredUser = Schemas["RegisteredUser"];
export type ErrorBody = Schemas["Error"];

type JsonBody<Op> = Op extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type StartExecution = JsonBody<operations["execution.execute"]>;
export type ListExecutions = Query<operations["execution.list"]>;
export type ListWorkflows = Query<operations["workflow.list"]>;
export type RegisterUser = JsonBody<operations["auth.register"]>;

/** A workflow definition as JSON: the DSL's fields (`workflow_id`, `version`, `steps`, …, as the builder makes them) or the summary's. */
export type WorkflowDefinition = WorkflowDefinitionJson | Record<string, unknown>;

/** Statuses after which a run changes no more. */
export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ["completed", "failed", "cancelled"];

export const isTerminal = (status: string): boolean => (TERMINAL_STATUSES as readonly string[]).includes(status);
