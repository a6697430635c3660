/**
 * `new CognitionOS({ baseUrl, token?, apiKey? })`: the API by resource. Methods return the
 * server's JSON as typed by the OpenAPI document (generated/api.ts) and throw `ApiError`
 * with `{status, error, message, detail, trace_id}` for every error answer.
 */
import { WaitTimeoutError } from "./errors";
import { Http, type HttpOptions, type Session } from "./http";
import { followExecution, type StreamMessage, type WatchOptions } from "./stream";
import {
	isTerminal,
	type Execution,
	type ExecutionPage,
	type ListExecutions,
	type ListWorkflows,
	type RegisterUser,
	type RegisteredUser,
	type StartExecution,
	type TokenPair,
	type UserProfile,
	type Workflow,
	type WorkflowDefinition,
	type WorkflowPage,
	type WorkflowStatus,
	type WorkflowVersions
} from "./types";

export type ClientOptions = HttpOptions;

export interface WaitOptions {
	/** Give up after this long (ms) with a WaitTimeoutError; waits as long as it takes when unset. */
	timeoutMs?: number;
	signal?: AbortSignal;
}

/** What `workflows.create` did: stored a new version, or found the same definition already stored. */
export interface CreatedWorkflow {
	workflow: Workflow;
	created: boolean;
}

// Polling of a run that is waited for starts fast (short runs answer at once) and slows down (ms).
const WAIT_FIRST_POLL = 100;
const WAIT_MAX_POLL = 2_000;

const enc = encodeURIComponent;

export class CognitionOS {
	readonly http: Http;
	readonly auth: AuthApi;
	readonly workflows: WorkflowsApi;
	readonly executions: ExecutionsApi;
	readonly events: EventsApi;

	constructor(opts: ClientOptions) {
		this.http = new Http(opts);
		this.auth = new AuthApi(this.http);
		this.workflows = new WorkflowsApi(this.http);
		this.executions = new ExecutionsApi(this.http);
		this.events = new EventsApi(this.http);
	}

	get baseUrl(): string {
		return this.http.baseUrl;
	}
}

export class AuthApi {
	constructor(private readonly http: Http) {}

	/** Signs in; the client keeps the tokens and refreshes them from then on. */
	async login(credentials: { email: string; password: string }): Promise<TokenPair> {
		const { body } = await this.http.request<TokenPair>("POST", "/api/v3/auth/login", { json: credentials, anonymous: true });
		this.http.setSession({ access_token: body.access_token, refresh_token: body.refresh_token });
		return body;
	}

	/** Spends the refresh token for a new pair (the client does this by itself when a token is due). */
	async refresh(): Promise<Session> {
		await this.http.refresh();
		const token = await this.http.socketCredential();
		return { access_token: token ?? "" };
	}

	async register(user: RegisterUser): Promise<RegisteredUser> {
		return (await this.http.request<RegisteredUser>("POST", "/api/v3/auth/register", { json: user, anonymous: true })).body;
	}

	async me(): Promise<UserProfile> {
		return (await this.http.request<UserProfile>("GET", "/api/v3/auth/me")).body;
	}

	/** Ends the session on the server (its refresh token stops working) and forgets the tokens. */
	async logout(refreshToken?: string): Promise<void> {
		await this.http.request("POST", "/api/v3/auth/logout", refreshToken ? { json: { refresh_token: refreshToken } } : {});
		this.http.setSession(null);
	}
}

export class WorkflowsApi {
	constructor(private readonly http: Http) {}

	/**
	 * Stores a version from a definition object, or its text (YAML, or JSON with that
	 * `contentType`: a malformed text is then refused naming its line). Posting the definition
	 * already stored under that id and version changes nothing (`created: false`).
	 */
	async create(definition: WorkflowDefinition | string, opts: { contentType?: "application/yaml" | "application/json" } = {}): Promise<CreatedWorkflow> {
		const answer =
			typeof definition === "string"
				? await this.http.request<Workflow>("POST", "/api/v3/workflows", { text: { body: definition, contentType: opts.contentType ?? "application/yaml" } })
				: await this.http.request<Workflow>("POST", "/api/v3/workflows", { json: definition });
		return { workflow: answer.body, created: answer.status === 201 };
	}

	async get(workflowId: string, version: string): Promise<Workflow> {
		return (await this.http.request<Workflow>("GET", `/api/v3/workflows/${enc(workflowId)}/${enc(version)}`)).body;
	}

	/** The definition as YAML text. */
	async getYaml(workflowId: string, version: string): Promise<string> {
		return (await this.http.request<string>("GET", `/api/v3/workflows/${enc(workflowId)}/${enc(version)}`, { query: { format: "yaml" } })).body;
	}

	/** Every version of one workflow, newest first. */
	async versions(workflowId: string): Promise<WorkflowVersions> {
		return (await this.http.request<WorkflowVersions>("GET", `/api/v3/workflows/${enc(workflowId)}`)).body;
	}

	async list(query: ListWorkflows = {}): Promise<WorkflowPage> {
		return (await this.http.request<WorkflowPage>("GET", "/api/v3/workflows", { query })).body;
	}

	async setStatus(workflowId: string, version: string, status: WorkflowStatus): Promise<Workflow> {
		return (await this.http.request<Workflow>("POST", `/api/v3/workflows/${enc(workflowId)}/${enc(version)}/status`, { json: { status } })).body;
	}
}

export class ExecutionsApi {
	constructor(private readonly http: Http) {}

	/** Starts a run (202). The same `idempotencyKey` again answers with the run it started. */
	async start(request: StartExecution, opts: { idempotencyKey?: string } = {}): Promise<Execution> {
		const headers = opts.idempotencyKey ? { "Idempotency-Key": opts.idempotencyKey } : undefined;
		return (await this.http.request<Execution>("POST", "/api/v3/workflows/execute", { json: request, headers })).body;
	}

	async get(id: string): Promise<Execution> {
		return (await this.http.request<Execution>("GET", `/api/v3/workflows/executions/${enc(id)}`)).body;
	}

	async list(query: ListExecutions = {}): Promise<ExecutionPage> {
		return (await this.http.request<ExecutionPage>("GET", "/api/v3/workflows/executions", { query })).body;
	}

	async cancel(id: string, reason?: string): Promise<Execution> {
		return (await this.http.request<Execution>("POST", `/api/v3/workflows/executions/${enc(id)}/cancel`, { json: reason ? { reason } : {} })).body;
	}

	async retry(id: string): Promise<Execution> {
		return (await this.http.request<Execution>("POST", `/api/v3/workflows/executions/${enc(id)}/retry`, { json: {} })).body;
	}

	async approve(id: string, stepId: string, comment?: string): Promise<Execution> {
		return (await this.http.request<Execution>("POST", `/api/v3/workflows/executions/${enc(id)}/steps/${enc(stepId)}/approve`, { json: comment ? { comment } : {} })).body;
	}

	async reject(id: string, stepId: string, comment?: string): Promise<Execution> {
		return (await this.http.request<Execution>("POST", `/api/v3/workflows/executions/${enc(id)}/steps/${enc(stepId)}/reject`, { json: comment ? { comment } : {} })).body;
	}

	/** Delivers `data` to the run's `wait_for_event` on `name` (kept for the run if it is not waiting yet). */
	async signal(id: string, name: string, data?: unknown, opts: { idempotencyKey?: string } = {}): Promise<unknown> {
		const headers = opts.idempotencyKey ? { "Idempotency-Key": opts.idempotencyKey } : undefined;
		return (await this.http.request<unknown>("POST", `/api/v3/workflows/executions/${enc(id)}/signals/${enc(name)}`, { json: { data: data ?? null }, headers })).body;
	}

	/** The run once it has ended (completed, failed or cancelled), with its steps. */
	async wait(id: string, opts: WaitOptions = {}): Promise<Execution> {
		const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
		let delay = WAIT_FIRST_POLL;
		for (;;) {
			const execution = await this.get(id);
			if (isTerminal(execution.status)) return execution;
			if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("Aborted");
			const left = deadline - Date.now();
			if (left <= 0) throw new WaitTimeoutError(`Execution ${id} is still ${execution.status} after ${opts.timeoutMs} ms`, execution);
			await new Promise(resolve => setTimeout(resolve, Math.min(delay, left)));
			delay = Math.min(WAIT_MAX_POLL, delay * 2);
		}
	}

	/**
	 * The run's stream messages (`event`, `workflow_status`) as the server sends them, from
	 * the start (or after `since`); after a drop it reconnects and resumes where it was.
	 * Ends after the run's final status, or at once for a run that had ended before the
	 * server kept its stream (read the execution for how it ended).
	 */
	watch(id: string, opts: WatchOptions = {}): AsyncGenerator<StreamMessage, void, undefined> {
		return followExecution(
			{
				baseUrl: this.http.baseUrl,
				credential: () => this.http.socketCredential(),
				execution: executionId => this.get(executionId),
				refresh: async () => {
					try {
						await this.http.refresh();
						return true;
					} catch {
						return false;
					}
				}
			},
			id,
			opts
		);
	}
}

export class EventsApi {
	constructor(private readonly http: Http) {}

	/** Sends an event: every active workflow of yours whose trigger matches starts. An `id` seen before is a duplicate. */
	async emit(event: { name: string; data?: unknown; id?: string }): Promise<Record<string, unknown>> {
		return (await this.http.request<Record<string, unknown>>("POST", "/api/v3/events", { json: event })).body;
	}
}
