/**
 * The operator REPL's own commands (`npm run repl`). Each one calls the services'
 * actions as the operator, a user named in the configuration, through the same role
 * and ownership checks as the HTTP API, and returns the text to print. `bin/repl.ts`
 * wires them into Moleculer's REPL; nothing here knows Moleculer.
 */
import { refusal, type Principal } from "../auth/principal";
import { forbidden } from "../errors";
import { ago, short, table, when } from "./format";

export interface ClusterNode {
	id: string;
	available: boolean;
	local: boolean;
	hostname?: string;
	/** CPU use of the node's machine in percent, from its last heartbeat. */
	cpu: number | null;
	services: string[];
}

/** What the commands may do: call actions as the operator, and look at the cluster. */
export interface OperatorApi {
	readonly operator: Principal;
	/** Calls an action as the operator; refused as the gateway would refuse it when the operator's roles fall short. */
	call<T = unknown>(action: string, params?: Record<string, unknown>, nodeID?: string): Promise<T>;
	/** The actions some node offers for `service`, with the REST route each declares. */
	actionsOf(service: string): { name: string; rest?: unknown }[];
	nodes(): ClusterNode[];
}

export interface CommandArgs {
	/** `--name value` options (commander camel-cases their names). */
	options: Record<string, unknown>;
	[argument: string]: unknown;
}

export interface OperatorCommand {
	/** Commander syntax: the name, then `<required>` and `[optional]` arguments. */
	command: string;
	description: string;
	options?: { option: string; description: string }[];
	run(api: OperatorApi, args: CommandArgs): Promise<string>;
}

interface StepView {
	step_id: string;
	type: string;
	status: string;
	attempts: number;
	waiting_for: string | null;
	output: unknown;
	error: { message: string } | null;
	started_at: string | null;
	completed_at: string | null;
}

interface ExecutionView {
	execution_id: string;
	workflow_id: string;
	workflow_version: string;
	status: string;
	progress: number;
	trigger: string;
	owner_id: string;
	error: { message: string; step_id?: string } | null;
	outputs: unknown;
	created_at: string;
	started_at: string | null;
	completed_at: string | null;
	parent_execution_id: string | null;
	steps?: StepView[];
}

interface DeadLetterView {
	id: string | number;
	handler: string;
	event_id: string;
	event_type: string;
	status: string;
	error: { message: string | null; type: string | null };
	attempts: number;
	failed_at: string | null;
	replay_count: number;
}

const NO_EVENT_BUS = "The event-bus service is not running in this cluster, and dead letters are kept by it: start a node with SERVICES=event-bus";

function positiveInt(value: unknown, name: string): number | undefined {
	if (value === undefined || value === null || value === "" || value === true) return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got ${JSON.stringify(value)}`);
	return n;
}

const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined);

/** Drops undefined fields, so optional params stay absent rather than null. */
const defined = (params: Record<string, unknown>) => Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));

const pageFooter = (page: number, pageSize: number, total: number, what: string) =>
	`${total} ${what}${total > pageSize ? `, page ${page} of ${Math.ceil(total / pageSize)} (--page N for more)` : ""}`;

function executionSummary(e: ExecutionView, ownerEmail?: string): string {
	const lines = [
		`execution  ${e.execution_id}`,
		`workflow   ${e.workflow_id} ${e.workflow_version}`,
		`status     ${e.status} (${e.progress}%)`,
		`owner      ${ownerEmail ? `${ownerEmail} (${e.owner_id})` : e.owner_id}`,
		`trigger    ${e.trigger}${e.parent_execution_id ? ` (parent ${e.parent_execution_id})` : ""}`,
		`created    ${when(e.created_at)}   started ${when(e.started_at)}   finished ${when(e.completed_at)}`
	];
	if (e.error) lines.push(`error      ${e.error.message}${e.error.step_id ? ` (step ${e.error.step_id})` : ""}`);
	return lines.join("\n");
}

/** Each owner id as the email people know it by: the operator's own, or (for admins) the user's; the id when neither is known. */
async function ownerEmails(api: OperatorApi, ids: string[]): Promise<Map<string, string>> {
	const emails = new Map<string, string>([[api.operator.id, api.operator.email]]);
	if (!api.operator.roles.includes("admin")) return emails;
	for (const id of new Set(ids)) {
		if (emails.has(id)) continue;
		const user = await api.call<{ email?: string } | null>("auth.getUser", { id }).catch(() => null);
		if (user?.email) emails.set(id, user.email);
	}
	return emails;
}

function stepsTable(steps: StepView[]): string {
	return table(
		["step", "type", "status", "attempts", "waiting for", "started", "finished", "output or error"],
		steps.map(s => [s.step_id, s.type, s.status, s.attempts, s.waiting_for, when(s.started_at), when(s.completed_at), s.error ? `error: ${s.error.message}` : short(s.output, 50)])
	);
}

export const OPERATOR_COMMANDS: OperatorCommand[] = [
	{
		command: "whoami",
		description: "The user these commands act as, and its roles",
		async run(api) {
			const { operator } = api;
			return `${operator.email} (${operator.id}), roles: ${operator.roles.join(", ")}`;
		}
	},
	{
		command: "workflows",
		description: "List workflow definitions (yours; every owner's for admins)",
		options: [
			{ option: "--status <status>", description: "draft, active, deprecated or archived" },
			{ option: "--owner <user_id>", description: "Only this owner's (admins)" },
			{ option: "--search <text>", description: "Text in the id, name or description" },
			{ option: "--page <n>", description: "Page of 20" }
		],
		async run(api, { options }) {
			const page = positiveInt(options.page, "page") ?? 1;
			const res = await api.call<{ workflows: Record<string, unknown>[]; total: number; page_size: number }>(
				"workflow.list",
				defined({ status: str(options.status), owner_id: str(options.owner), q: str(options.search), page, page_size: 20 })
			);
			if (res.workflows.length === 0) return "No workflows";
			const owners = await ownerEmails(api, res.workflows.map(w => w.owner_id as string));
			return [
				table(
					["workflow", "version", "status", "steps", "schedule", "owner", "updated"],
					res.workflows.map(w => [
						w.workflow_id as string,
						w.version as string,
						w.status as string,
						w.step_count as number,
						w.schedule as string,
						owners.get(w.owner_id as string) ?? (w.owner_id as string),
						when(w.updated_at as string)
					])
				),
				pageFooter(page, res.page_size, res.total, "workflows")
			].join("\n");
		}
	},
	{
		command: "executions",
		description: "List executions, newest first (yours; everyone's for admins)",
		options: [
			{ option: "--status <status>", description: "pending, running, completed, failed or cancelled" },
			{ option: "--workflow <workflow_id>", description: "Only runs of this workflow" },
			{ option: "--page <n>", description: "Page of 20" }
		],
		async run(api, { options }) {
			const page = positiveInt(options.page, "page") ?? 1;
			const res = await api.call<{ executions: ExecutionView[]; total: number; page_size: number }>(
				"execution.list",
				defined({ status: str(options.status), workflow_id: str(options.workflow), page, page_size: 20 })
			);
			if (res.executions.length === 0) return "No executions";
			return [
				table(
					["execution", "workflow", "status", "progress", "trigger", "created", "finished"],
					res.executions.map(e => [e.execution_id, `${e.workflow_id} ${e.workflow_version}`, e.status, `${e.progress}%`, e.trigger, when(e.created_at), when(e.completed_at)])
				),
				pageFooter(page, res.page_size, res.total, "executions")
			].join("\n");
		}
	},
	{
		command: "execution <id>",
		description: "Inspect an execution: its status and every step's",
		options: [{ option: "--json", description: "The whole execution as JSON (outputs included)" }],
		async run(api, args) {
			const e = await api.call<ExecutionView>("execution.get", { id: String(args.id) });
			if (args.options.json) return JSON.stringify(e, null, 2);
			const owner = (await ownerEmails(api, [e.owner_id])).get(e.owner_id);
			return `${executionSummary(e, owner)}\n\n${stepsTable(e.steps ?? [])}`;
		}
	},
	{
		command: "cancel <id>",
		description: "Cancel a pending or running execution",
		options: [{ option: "--reason <text>", description: "Recorded with the cancellation" }],
		async run(api, args) {
			const e = await api.call<ExecutionView>("execution.cancel", defined({ id: String(args.id), reason: str(args.options.reason) }));
			return `Cancelled ${e.execution_id}: ${e.status}`;
		}
	},
	{
		command: "retry <id>",
		description: "Run a failed or cancelled execution again from its unfinished steps",
		async run(api, args) {
			const e = await api.call<ExecutionView>("execution.retry", { id: String(args.id) });
			return `Retrying ${e.execution_id}: ${e.status}`;
		}
	},
	{
		command: "approve <id> <step>",
		description: "Approve a step that waits for approval",
		options: [{ option: "--comment <text>", description: "Recorded with the decision" }],
		async run(api, args) {
			const e = await api.call<ExecutionView>("execution.approve", defined({ id: String(args.id), step_id: String(args.step), comment: str(args.options.comment) }));
			return `Approved ${args.step} of ${e.execution_id}: execution ${e.status} (${e.progress}%)`;
		}
	},
	{
		command: "reject <id> <step>",
		description: "Reject a step that waits for approval (the step fails)",
		options: [{ option: "--comment <text>", description: "Recorded with the decision" }],
		async run(api, args) {
			const e = await api.call<ExecutionView>("execution.reject", defined({ id: String(args.id), step_id: String(args.step), comment: str(args.options.comment) }));
			return `Rejected ${args.step} of ${e.execution_id}: execution ${e.status}`;
		}
	},
	{
		command: "outbox",
		description: "Domain events in the transactional outbox, newest first, and the backlog not yet published (admins)",
		options: [
			{ option: "--pending", description: "Only events not yet published" },
			{ option: "--type <event_type>", description: "Only events of this type, e.g. WorkflowExecutionCompleted" },
			{ option: "--limit <n>", description: "How many rows (20; at most 500)" }
		],
		async run(api, { options }) {
			const res = await api.call<{
				pending: number;
				oldest_pending_at: number | null;
				entries: { id: number; event_type: string; aggregate_type: string; aggregate_id: string; occurred_at: number; published_at: number | null; attempts: number }[];
			}>("execution.outbox", defined({ pending: options.pending ? true : undefined, event_type: str(options.type), limit: positiveInt(options.limit, "limit") }));
			const backlog = res.pending
				? `${res.pending} events waiting to be published, the oldest from ${res.oldest_pending_at === null ? "-" : ago(res.oldest_pending_at)}`
				: "Every event has been published";
			if (res.entries.length === 0) return `${backlog}\nNo events to show`;
			return `${backlog}\n${table(
				["id", "event", "aggregate", "occurred", "published", "attempts"],
				res.entries.map(e => [e.id, e.event_type, `${e.aggregate_type} ${e.aggregate_id}`, when(e.occurred_at), e.published_at === null ? "pending" : when(e.published_at), e.attempts])
			)}`;
		}
	},
	{
		command: "dead-letters",
		description: "Events that failed their handlers too often and were set aside by the event bus, newest first (admins)",
		options: [
			{ option: "--status <status>", description: "dead (default), retrying, replayed or discarded" },
			{ option: "--limit <n>", description: "How many (20; at most 100)" }
		],
		async run(api, { options }) {
			if (api.actionsOf("event-bus").length === 0) return NO_EVENT_BUS;
			const res = await api.call<{ dead_letters: DeadLetterView[]; total: number }>(
				"event-bus.listDeadLetters",
				defined({ status: str(options.status), page_size: positiveInt(options.limit, "limit") })
			);
			if (res.dead_letters.length === 0) return "No dead letters";
			return `${table(
				["id", "handler", "event", "event id", "error", "attempts", "failed", "replays"],
				res.dead_letters.map(d => [d.id, d.handler, d.event_type, d.event_id, short(d.error.message ?? d.error.type ?? "-", 50), d.attempts, when(d.failed_at), d.replay_count])
			)}\n${res.total} dead letters`;
		}
	},
	{
		command: "replay-dead-letter <id>",
		description: "Send a dead letter back to the handler that failed on it (admins)",
		async run(api, args) {
			if (api.actionsOf("event-bus").length === 0) return NO_EVENT_BUS;
			const d = await api.call<DeadLetterView>("event-bus.replayDeadLetter", { id: String(args.id) });
			return `Replayed dead letter ${d.id} (${d.event_type} to ${d.handler}): ${d.status}`;
		}
	},
	{
		command: "cluster",
		description: "Nodes of the cluster, their services and load: CPU, and on execution nodes the steps running and queued (admins)",
		async run(api) {
			const why = refusal(api.operator, "admin");
			if (why) throw forbidden(why);
			const nodes = [...api.nodes()].sort((a, b) => a.id.localeCompare(b.id));
			const rows = await Promise.all(
				nodes.map(async n => {
					const load =
						n.available && n.services.includes("execution")
							? await api.call<{ running: number; queued: number; concurrency: number; draining: boolean; sweeper: boolean }>("execution.load", {}, n.id)
							: null;
					const notes = [n.local ? "this REPL" : "", load?.sweeper ? "sweeper" : "", load?.draining ? "draining" : ""].filter(Boolean).join(", ");
					return [
						n.id,
						n.available ? "up" : "down",
						n.cpu === null ? null : `${Math.round(n.cpu)}%`,
						load ? `${load.running}/${load.concurrency}` : null,
						load ? load.queued : null,
						n.services.join(",") || null,
						notes
					];
				})
			);
			return table(["node", "state", "host cpu", "steps running", "queued", "services", "notes"], rows);
		}
	}
];
