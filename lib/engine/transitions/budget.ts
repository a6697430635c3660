import { checkBudget, type Budget, type CallEstimate } from "../../llm/budget";
import { budgetExceeded } from "../../llm/errors";
import { StepFailure } from "../../steps";
import type { TransactionLimits } from "../../db/database";
import { emptyAftermath, type EngineCore } from "../core";
import type { Reservation } from "../store";
import { progressInTx, type StepProgress, type StepProgressEvent } from "./progress";
import { chargeLlmSpend } from "../../usage/costs";
import { utcDay } from "../../usage/accounting";
import { addUsage, TERMINAL_EXECUTION, type ExecutionRow, type StepRef, type Usage } from "../types";

/**
 * Holds an LLM call's worst case against its tree's budget (the root execution's, which
 * covers every sub-workflow under it) before the call is made: refused (a
 * `budget_exceeded` error) when what the tree spent, plus what its calls in flight hold,
 * plus this call's worst case passes a limit. The root's row is locked while it is
 * checked and reserved, so parallel steps (on any node, in any execution of the tree)
 * cannot together pass the budget. The step holds its share too (see
 * `releaseReservations`). Returns what the tree has spent so far, and its limits.
 * On SQLite it may share a commit with the run's other transitions (see `commitGroup`).
 */
export async function reserveLlmCall(
	core: EngineCore,
	ref: StepRef,
	worst: CallEstimate,
	defaults: { max_tokens: number; max_cost_usd: number }
): Promise<{ used: Usage; budget: ExecutionRow["budget"] }> {
	return core.tx(async tx => {
		const state = await core.store.lockBudget(tx, ref);
		if (!state) throw new StepFailure(`Execution ${ref.execution_id} is gone`, "execution_missing", true);
		if (TERMINAL_EXECUTION.has(state.status)) throw new StepFailure(`Execution ${ref.execution_id} is ${state.status}`, "execution_ended", true);
		const used = addUsage(state.usage, null);
		const budget: Budget = {
			max_tokens: state.budget?.max_tokens || defaults.max_tokens,
			max_cost_usd: state.budget?.max_cost_usd || defaults.max_cost_usd,
			used_tokens: used.total_tokens + state.reserved.tokens,
			used_cost_usd: used.cost_usd + state.reserved.cost_usd
		};
		const check = checkBudget(budget, worst);
		if (!check.ok) {
			const held = state.reserved.tokens > 0 ? ` (${state.reserved.tokens.toLocaleString("en-US")} tokens of it are held by LLM calls in flight)` : "";
			throw budgetExceeded(check.message.replace(" remain.", ` remain${held}.`), { reason: check.reason, ...budget, estimated_prompt_tokens: worst.prompt_tokens, max_tokens: worst.max_completion_tokens });
		}
		const call = { tokens: worst.prompt_tokens + worst.max_completion_tokens, cost_usd: worst.max_cost_usd };
		await core.store.setBudget(tx, ref, state, plus(state.reserved, call), plus(state.step_reserved, call));
		return { used, budget: state.budget };
	}, undefined, undefined, commitGroup(core, ref));
}

/**
 * Gives back a call's reservation and charges the execution, its tree and the day's spend
 * (`llm_spend_daily`) what the call used (nothing when it did not answer). `progress`, when given, runs in the same transaction (an agent
 * journals its turn there, so a turn is charged exactly when it is recorded); returns
 * what it returned (null without it).
 */
export async function settleLlmCall(core: EngineCore, ref: StepRef, worst: CallEstimate, spent: Usage | null, progress?: StepProgress): Promise<StepProgressEvent[] | null> {
	const after = emptyAftermath();
	const recorded = await core.tx(async tx => {
		const state = await core.store.lockBudget(tx, ref);
		if (!state) return null;
		// What the step still holds: nothing when the sweeper gave it back after this node lost the lease.
		const back = {
			tokens: Math.min(state.step_reserved.tokens, worst.prompt_tokens + worst.max_completion_tokens),
			cost_usd: Math.min(state.step_reserved.cost_usd, worst.max_cost_usd)
		};
		await core.store.setBudget(tx, ref, state, minus(state.reserved, back), minus(state.step_reserved, back), spent);
		if (spent) {
			// Counted for the cost API in the same transaction, so a call is charged there exactly when the run is charged.
			await chargeLlmSpend(tx, {
				day: utcDay(core.now()),
				owner_id: state.owner_id,
				workflow_id: state.workflow_id,
				provider: spent.provider ?? "",
				model: spent.model ?? "",
				input_tokens: spent.prompt_tokens,
				output_tokens: spent.completion_tokens,
				cost_usd: spent.cost_usd
			});
		}
		return progress ? progressInTx(core, tx, ref, progress, after) : null;
	}, undefined, after, commitGroup(core, ref));
	core.afterCommit(after);
	return recorded;
}

/** Gives back what a step's calls held against the budget (its node lost the lease: those calls will never settle here). */
export async function releaseReservations(core: EngineCore, ref: StepRef, limits?: TransactionLimits): Promise<void> {
	await core.tx(async tx => {
		const state = await core.store.lockBudget(tx, ref);
		if (!state || (state.step_reserved.tokens === 0 && state.step_reserved.cost_usd === 0)) return;
		await core.store.setBudget(tx, ref, state, minus(state.reserved, state.step_reserved), { tokens: 0, cost_usd: 0 });
	}, limits);
}

/**
 * The commit group of a call's reserve and settle: its execution, on SQLite, where a member
 * that fails (a refused call) rolls back alone and one writer runs at a time. Not on
 * PostgreSQL: there a refusal rolls back its whole group, and a group would hold the rows a
 * call shares with other runs (its root's, the day's spend) until the group commits.
 */
const commitGroup = (core: EngineCore, ref: StepRef): string | undefined => (core.opts.db.dialect === "sqlite" ? ref.execution_id : undefined);

const roundUsd = (usd: number): number => Math.round(usd * 1e9) / 1e9;
const plus = (a: Reservation, b: Reservation): Reservation => ({ tokens: a.tokens + b.tokens, cost_usd: roundUsd(a.cost_usd + b.cost_usd) });
const minus = (a: Reservation, b: Reservation): Reservation => ({ tokens: Math.max(0, a.tokens - b.tokens), cost_usd: Math.max(0, roundUsd(a.cost_usd - b.cost_usd)) });
