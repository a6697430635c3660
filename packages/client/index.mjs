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
	TERMINAL_STATUSES,
	isTerminal
} = client;
export default client;
