export { CognitionOS, AuthApi, WorkflowsApi, ExecutionsApi, EventsApi, type ClientOptions, type CreatedWorkflow, type WaitOptions } from "./client";
export { ApiError, CognitionOSError, ConnectionError, WaitTimeoutError, type FieldProblem } from "./errors";
export type { Session } from "./http";
export type { StreamMessage, WatchOptions } from "./stream";
export { sourcePositions, type SourcePosition } from "./source-positions";
export { workflowDocuments, type WorkflowDocument } from "./documents";
export { TERMINAL_STATUSES, isTerminal } from "./types";
export type * from "./types";
export type { paths, components, operations } from "./generated/api";
