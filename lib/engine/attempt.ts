import type { TemplateScope } from "../dsl";
import { deadline } from "../duration";
import { StepFailure, stepType, type StepOutcome } from "../steps";
import type { ExecutionContext } from "./cache";
import type { EngineCore } from "./core";
import { conditionHolds, outputRefusal, paramsWithin } from "./limits";
import { recordStepOutcome } from "./tracing";
import { approvalOutput } from "./transitions/decide";
import { failStep } from "./transitions/fail";
import { finishStep } from "./transitions/finish";
import { recordWait } from "./transitions/wait";
import { recordEventWait } from "./transitions/wait-for-event";
import { addAttemptUsage, type StepRunRow } from "./types";
import { maskFailure, maskingServices, maskOutcome, secretsForAttempt } from "../secrets/attempt";
import { secretNamesOf } from "../secrets/references";

/**
 * One attempt of a claimed step: its condition, its approval gate, the step type's work
 * under the step's timeout, then the transition that records how it ended. Returns the
 * successors claimed for this node, to run next in the same slot. `localSlots` says how
 * many successors this node can take when the attempt finishes.
 */
export async function runAttempt(core: EngineCore, row: StepRunRow, context: ExecutionContext, controller: AbortController, localSlots: () => number): Promise<StepRunRow[]> {
	const step = context.plan.steps.get(row.step_id)!;
	// One deadline for the whole attempt, conditions included, let go of as soon as the attempt ends.
	const timeout = step.timeout ?? core.opts.defaultStepTimeoutMs;
	const due = deadline(timeout, controller.signal);
	try {
		return await attemptWithin(core, row, context, controller, due.signal, timeout, localSlots);
	} finally {
		due.clear();
	}
}

async function attemptWithin(core: EngineCore, row: StepRunRow, context: ExecutionContext, controller: AbortController, signal: AbortSignal, timeout: number, localSlots: () => number): Promise<StepRunRow[]> {
	const plan = context.plan;
	const step = plan.steps.get(row.step_id)!;
	const fence = { leaseOwner: core.opts.leaseOwner, attempt: row.attempts };
	const started = core.now();
	const isolation = core.opts.isolation;
	// Outside the condition's try: a database that cannot serve is not the condition's fault (the worker gives the attempt back).
	const scope: TemplateScope = await core.cache.scope(context, plan.reads.get(step.id) ?? []);
	let skip: boolean;
	let awaitsApproval: boolean;
	try {
		skip = Boolean(step.condition) && !(await conditionHolds(isolation, step, step.condition!, scope, signal));
		const gate = step.approval_required;
		awaitsApproval =
			!skip &&
			(gate === true || (typeof gate === "string" && (await conditionHolds(isolation, step, gate, scope, signal))) || step.type === "approval") &&
			row.approval?.decision !== "approved";
	} catch (err) {
		if (controller.signal.aborted) return [];
		return failStep(core, row, fence, err instanceof StepFailure ? err : new StepFailure(`Condition of step ${step.id}: ${(err as Error).message}`, "condition_error", true), started);
	}
	if (skip) return finishStep(core, row, fence, { status: "skipped", output: null }, started, localSlots());
	if (awaitsApproval) {
		// An approval step waits its approval_timeout, else its timeout; a gate only its approval_timeout.
		const wait = step.approval_timeout ?? (step.type === "approval" ? step.timeout : null);
		const dueAt = wait ? core.now() + wait : null;
		await recordWait(core, row, fence, { kind: "wait", waitingFor: "approval", dueAt });
		return [];
	}
	if (step.type === "approval") return finishStep(core, row, fence, { status: "completed", output: approvalOutput(row) }, started, localSlots());

	const handler = stepType(step.type)?.execute;
	if (!handler) return failStep(core, row, fence, new StepFailure(`Step type ${step.type} cannot run`, "unsupported_type", true), started);
	let outcome: StepOutcome | undefined;
	// The secrets the params read, as values to mask in whatever the attempt writes.
	let secretValues: string[] = [];
	try {
		// Loaded now, resolved in memory only: a run's stored inputs and params never hold them.
		const secrets = await secretsForAttempt(core.opts.secrets, step.id, context.execution.owner_id, secretNamesOf(step));
		secretValues = Object.values(secrets);
		const stepScope: TemplateScope = secretValues.length ? { ...scope, secrets } : scope;
		const params = paramsWithin(step, stepScope, core.opts.maxOutputBytes);
		outcome = await handler(params, {
			executionId: row.execution_id,
			stepId: row.step_id,
			attempt: row.attempts,
			ownerId: context.execution.owner_id,
			idempotencyKey: `${row.execution_id}:${row.step_id}:${row.attempts}`,
			signal,
			scope: stepScope,
			step,
			services: maskingServices(core.opts.services(context, row, secretValues), secretValues)
		});
		signal.throwIfAborted();
		// An HTTP target that echoes a secret back, or a model that repeats it: masked before anything is written.
		outcome = maskOutcome(outcome, secretValues);
		// Measured before anything is written: the ledger, the outbox and the live stream all carry it.
		if (outcome.kind === "completed") {
			const refused = outputRefusal(step.id, outcome.output, core.opts.maxOutputBytes);
			if (refused) throw new StepFailure(refused.message, refused.type, true, outcome.usage ?? null);
		}
	} catch (err) {
		if (controller.signal.aborted) {
			recordStepOutcome("cancelled");
			return []; // cancelled: the cancel transition recorded it
		}
		// An attempt that timed out after its work answered still spent what it reports.
		const spent = outcome?.kind === "completed" ? (outcome.usage ?? null) : null;
		const failure =
			err instanceof StepFailure
				? err
				: signal.aborted
					? new StepFailure(`Step ${step.id} timed out after ${timeout} ms`, "timeout", false, spent)
					: new StepFailure((err as Error)?.message ?? String(err), (err as { type?: string })?.type ?? "step_error", (err as { final?: boolean })?.final === true);
		return failStep(core, row, fence, maskFailure(failure, secretValues), started);
	}
	if (outcome.kind === "wait") {
		if (outcome.waitingFor === "event") await recordEventWait(core, row, fence, outcome);
		else await recordWait(core, row, fence, outcome);
		return [];
	}
	return finishStep(core, row, fence, { status: "completed", output: outcome.output, usage: addAttemptUsage(row.usage, outcome.usage) }, started, localSlots());
}
