/**
 * One attempt of an agent step: replay the journal, then take turns until the model
 * answers without calling a tool. Every finished turn and tool call is journaled before
 * the attempt moves on, so a later attempt (on any node) continues from there: no finished
 * turn is asked again, no finished tool call runs again.
 */
import { Validator } from "@cfworker/json-schema";
import { isPlainObject } from "../dsl/paths";
import type { ChatMessage, ToolCall } from "../llm/types";
import { StepFailure } from "../steps/failure";
import type { StepOutcome, StepRunContext, StepUsage } from "../steps/types";
import { replay, type Conversation } from "./conversation";
import type { JournalEntry, StoredEntry, ToolEntry } from "./journal";
import type { AgentServices, TurnResult } from "./services";
import { argumentsProblem, resolveTools, runTool, type AgentTool, type ToolOutcome } from "./tools";
import { DEFAULT_AGENT_TURNS, MAX_CALLS_PER_TURN, MAX_RESULT_CHARS } from "./limits";

/** LLM refusals no retry changes (as for ai_generate). */
const FINAL_LLM_ERRORS = new Set(["budget_exceeded", "llm_request_rejected", "llm_auth_failed"]);

export async function runAgent(params: Record<string, unknown>, ctx: StepRunContext): Promise<StepOutcome> {
	const services = ctx.services.agent;
	if (!services) throw new StepFailure("This node cannot run agent steps", "unsupported_type", true);
	const entries: StoredEntry[] = await services.read();
	const append = async (entry: JournalEntry, events: { type: string; fields: Record<string, unknown> }[]) => {
		const stored = await services.append(entry, events);
		if (!stored) throw new StepFailure("The step's lease moved to another attempt", "lease_lost");
		entries.push(stored);
		return stored;
	};

	const thread = typeof params.thread === "string" && params.thread ? params.thread : null;
	if (!entries.some(e => e.entry.kind === "start")) {
		const earlier = thread ? await services.loadThread(thread) : [];
		const given: ChatMessage[] = Array.isArray(params.messages) ? (params.messages as ChatMessage[]) : [{ role: "user", content: String(params.prompt) }];
		await append({ kind: "start", messages: [...earlier, ...given], thread }, []);
	}
	const tools = await resolveTools(params.tools as Record<string, unknown>[], services, ctx.signal);
	const byName = new Map(tools.map(t => [t.definition.name, t]));
	const maxTurns = Number(params.max_turns ?? DEFAULT_AGENT_TURNS);
	const jsonSchema = isPlainObject(params.json_schema) ? params.json_schema : undefined;
	const stepBudget = isPlainObject(params.budget) ? (params.budget as { max_tokens?: number; max_cost_usd?: number }) : {};

	for (;;) {
		let c = replay(entries);
		if (c.pending.length) {
			const waiting = await runPending(c, entries, byName, ctx, services, append);
			if (waiting) return waiting;
			c = replay(entries);
		}
		const last = c.turns[c.turns.length - 1];
		if (last && !last.tool_calls.length) return finish(c, last, jsonSchema, thread, services);
		if (c.turns.length >= maxTurns) {
			throw new StepFailure(`The agent took its ${maxTurns} turns (max_turns) without a final answer`, "max_turns", true, usageOf(c));
		}
		await takeTurn(c, params, tools, jsonSchema, stepBudget, ctx, services, entries);
	}
}

async function takeTurn(
	c: Conversation,
	params: Record<string, unknown>,
	tools: AgentTool[],
	jsonSchema: Record<string, unknown> | undefined,
	stepBudget: { max_tokens?: number; max_cost_usd?: number },
	ctx: StepRunContext,
	services: AgentServices,
	entries: StoredEntry[]
): Promise<void> {
	const turn = c.turns.length + 1;
	const request = {
		messages: c.messages,
		system: typeof params.system === "string" ? params.system : undefined,
		model: typeof params.model === "string" ? params.model : undefined,
		agent_role: (params.agent_role as string | undefined) ?? ctx.step.agent_role ?? undefined,
		temperature: typeof params.temperature === "number" ? params.temperature : undefined,
		max_tokens: typeof params.max_tokens === "number" ? params.max_tokens : undefined,
		json_schema: jsonSchema,
		stream: params.stream === true,
		tools: tools.map(t => t.definition)
	};
	let answer: { result: TurnResult; stored: StoredEntry | null };
	try {
		answer = await services.turn(request, ctx.signal, { ...stepBudget, used_tokens: c.spent.total_tokens, used_cost_usd: c.spent.cost_usd }, result => {
			const calls = (result.tool_calls ?? []).map((call, i) => ({ ...call, id: call.id || `call_${turn}_${i}` }));
			const entry: JournalEntry = {
				kind: "turn",
				turn,
				text: result.text,
				tool_calls: calls,
				usage: result.usage,
				cost_usd: result.cost_usd,
				provider: result.provider,
				model: result.model,
				latency_ms: result.latency_ms
			};
			const fields = { turn, text: result.text, tool_calls: calls, usage: result.usage, cost_usd: result.cost_usd, provider: result.provider, model: result.model };
			return { entry, events: [{ type: "AgentTurnCompleted", fields }] };
		});
	} catch (err) {
		if (ctx.signal.aborted) throw err;
		const type = (err as { type?: string }).type ?? "llm_error";
		throw new StepFailure((err as Error).message, type, FINAL_LLM_ERRORS.has(type), type === "budget_exceeded" ? usageOf(c) : null);
	}
	if (!answer.stored) throw new StepFailure("The step's lease moved to another attempt", "lease_lost");
	entries.push(answer.stored);
}

/**
 * Runs the last turn's calls that have no result, all at once. A call that needs approval
 * and has none waits (the others run first); returns the wait, or null when all are done.
 */
async function runPending(
	c: Conversation,
	entries: readonly StoredEntry[],
	tools: Map<string, AgentTool>,
	ctx: StepRunContext,
	services: AgentServices,
	append: (entry: JournalEntry, events: { type: string; fields: Record<string, unknown> }[]) => Promise<StoredEntry>
): Promise<StepOutcome | null> {
	const record = async (call: ToolCall, outcome: ToolOutcome, durationMs: number): Promise<ToolEntry> => {
		const text = "error" in outcome ? outcome.error : undefined;
		const entry: ToolEntry = {
			kind: "tool",
			call_id: call.id,
			name: call.name,
			arguments: call.arguments,
			...("error" in outcome ? { error: text } : { result: boundedResult(outcome.result) }),
			duration_ms: durationMs,
			...(outcome.child_execution_id ? { child_execution_id: outcome.child_execution_id } : {})
		};
		const fields = { call_id: call.id, name: call.name, arguments: call.arguments, duration_ms: durationMs, ...("error" in outcome ? { error: text } : { result: entry.result }), child_execution_id: entry.child_execution_id ?? null };
		await append(entry, [{ type: "AgentToolCallCompleted", fields }]);
		return entry;
	};

	const approvalsNeeded: ToolCall[] = [];
	const runs: Promise<ToolEntry>[] = [];
	c.pending.forEach((call, index) => {
		const tool = tools.get(call.name);
		if (index >= MAX_CALLS_PER_TURN) {
			runs.push(record(call, { error: `Too many tool calls in one turn: at most ${MAX_CALLS_PER_TURN} run` }, 0));
			return;
		}
		if (!tool) {
			runs.push(record(call, { error: `There is no tool named ${call.name} (tools: ${[...tools.keys()].join(", ")})` }, 0));
			return;
		}
		const problem = argumentsProblem(tool, call.arguments);
		if (problem) {
			runs.push(record(call, { error: problem }, 0));
			return;
		}
		if (tool.approvalRequired) {
			const decided = c.decided.get(call.id);
			if (!decided) {
				approvalsNeeded.push(call);
				return;
			}
			if (decided.decision === "rejected") {
				runs.push(record(call, { error: `A person rejected this call (${decided.by}${decided.comment ? `: ${decided.comment}` : ""})` }, 0));
				return;
			}
		}
		runs.push(
			(async () => {
				const started = Date.now();
				const outcome = await runTool(tool, call.arguments as Record<string, unknown>, call.id, ctx, services);
				return record(call, outcome, Date.now() - started);
			})()
		);
	});
	const settled = await Promise.allSettled(runs);
	const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
	if (failed) throw failed.reason;
	for (const s of settled) {
		const entry = (s as PromiseFulfilledResult<ToolEntry>).value;
		if (entry.error !== undefined && tools.get(entry.name)?.failStep) {
			throw new StepFailure(`Tool ${entry.name} failed: ${entry.error}`, "tool_failed", true);
		}
	}
	if (!approvalsNeeded.length) return null;

	// One decision at a time: the first call still waiting is the one a decision is for.
	const call = approvalsNeeded[0];
	const requested = c.requested.get(call.id);
	const decision = services.approval;
	if (requested && decision && decision.at >= requested.at) {
		await append({ kind: "approval", call_id: call.id, decision: decision.decision, by: decision.by, comment: decision.comment }, []);
		return runPending(replay(entries), entries, tools, ctx, services, append);
	}
	if (!requested) {
		await append({ kind: "approval_requested", call_id: call.id, name: call.name, arguments: call.arguments }, [
			{ type: "AgentToolApprovalRequested", fields: { call_id: call.id, name: call.name, arguments: call.arguments } }
		]);
	}
	return { kind: "wait", waitingFor: "approval", dueAt: ctx.step.approval_timeout ? Date.now() + ctx.step.approval_timeout : null };
}

function boundedResult(result: unknown): unknown {
	const text = typeof result === "string" ? result : JSON.stringify(result ?? null);
	if (text.length <= MAX_RESULT_CHARS) return result;
	return `${text.slice(0, MAX_RESULT_CHARS)} … [cut: the result had ${text.length} characters]`;
}

function usageOf(c: Conversation): StepUsage {
	const last = c.turns[c.turns.length - 1];
	return { ...c.spent, ...(last ? { provider: last.provider, model: last.model } : {}), latency_ms: c.turns.reduce((sum, t) => sum + t.latency_ms, 0) };
}

// User schemas are interpreted, never compiled to code.
function schemaProblem(schema: Record<string, unknown>, value: unknown): string | null {
	const result = new Validator(schema as ConstructorParameters<typeof Validator>[0], "2020-12", false).validate(value);
	if (result.valid) return null;
	const first = result.errors.find(e => e.keyword !== "properties" && e.keyword !== "items") ?? result.errors[0];
	return `${first.instanceLocation || "#"}: ${first.error}`;
}

async function finish(c: Conversation, last: Conversation["turns"][number], jsonSchema: Record<string, unknown> | undefined, thread: string | null, services: AgentServices): Promise<StepOutcome> {
	const usage = usageOf(c);
	let json: unknown;
	if (jsonSchema) {
		const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(last.text);
		try {
			json = JSON.parse(fenced ? fenced[1] : last.text);
		} catch (err) {
			throw new StepFailure(`The agent's final answer is not JSON: ${(err as Error).message}`, "invalid_json", true, usage);
		}
		const problem = schemaProblem(jsonSchema, json);
		if (problem) throw new StepFailure(`The agent's final answer does not match json_schema at ${problem}`, "invalid_json", true, usage);
	}
	if (thread) await services.saveThread(thread, c.messages);
	return {
		kind: "completed",
		output: {
			text: last.text,
			...(jsonSchema ? { json } : {}),
			turns: c.turns.length,
			tool_calls: c.tools.map(t => ({
				name: t.name,
				arguments: t.arguments,
				...(t.error !== undefined ? { error: t.error } : { result: t.result }),
				duration_ms: t.duration_ms,
				...(t.child_execution_id ? { child_execution_id: t.child_execution_id } : {})
			})),
			usage: { prompt_tokens: c.spent.prompt_tokens, completion_tokens: c.spent.completion_tokens, total_tokens: c.spent.total_tokens },
			cost_usd: c.spent.cost_usd,
			provider: last.provider,
			model: last.model
		},
		usage
	};
}
