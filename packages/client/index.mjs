// ES module entry: the package is compiled to CommonJS (dist/); this re-exports it by name.
import client from "./dist/index.js";

export const {
	CognitionOS,
	AuthApi,
	WorkflowsApi,
	ExecutionsApi,
	EventsApi,
	ApiError,
	CognitionOSError,
	ConnectionError,
	WaitTimeoutError,
	sourcePositions,
	workflowDocuments,
	workflow,
	WorkflowBuilder,
	WorkflowValidationError,
	TERMINAL_STATUSES,
	isTerminal
} = client;
export default client;
