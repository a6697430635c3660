/**
 * One LLM call from request to priced result: route it, check the budget, wait for a
 * turn under the provider's limits, call, retry on 429/5xx/timeouts with backoff, then
 * fall back to the next provider with its own model for the same tier. A circuit
 * breaker per provider skips one that keeps failing.
 */
import { checkBudget, spend, thresholdsCrossed, type Budget } from "./budget";
import { CircuitBreaker, type BreakerOptions } from "./breaker";
import { systemClock, type Clock } from "./clock";
import { budgetExceeded, llmAborted, llmAuthFailed, llmRequestRejected, llmUnavailable, ProviderError, type FailureKind } from "./errors";
import type { RateLimiter } from "./limits/limiter";
import { costOf, type PricingTable } from "./pricing";
import { honouringRetryAfter, type BackoffPolicy } from "../backoff";
import { planCall, type RoutingOptions, type Target } from "./routing";
import { inSpan, SpanKind } from "../observability/tracing";
import { countPromptTokens } from "./tokens";
import type { CompletionRequest, CompletionResult, LlmProvider, ProviderName, ProviderRequest, ProviderResponse } from "./types";

/** What the service hears about each call, for its metrics. */
export interface LlmObserver {
	attempt(event: { provider: ProviderName; model: string; status: "success" | FailureKind; duration_ms: number }): void;
	completed(result: CompletionResult): void;
}

export interface LlmClientOptions {
	providers: Partial<Record<ProviderName, LlmProvider>>;
	routing: RoutingOptions;
	retry: BackoffPolicy;
	breaker: BreakerOptions;
	pricing: PricingTable;
	limiter: RateLimiter;
	/** Output tokens a call may use when it does not say. */
	defaultMaxTokens: number;
	/** Limits of a budget whose caller gave none. */
	defaultBudget: Pick<Budget, "max_tokens" | "max_cost_usd">;
	clock?: Clock;
	observer?: LlmObserver;
}

export interface CallOptions {
	/** The execution's budget so far; missing limits come from the defaults. Without it nothing is enforced. */
	budget?: Partial<Budget>;
	/** Streams the answer: called with each text delta as it arrives, in order. */
	onDelta?: (text: string) => void | Promise<void>;
	/** Aborts the call: the request in flight is cancelled, and nothing is retried or falls back. */
	signal?: AbortSignal;
}

export interface CallOutcome {
	result: CompletionResult;
	/** The budget after this call, and which limits it took past 80 %. */
	budget?: Budget & { crossed: ("tokens" | "cost")[] };
}

/** Models often wrap JSON in a Markdown fence even when asked not to. */
function parseJsonAnswer(text: string): { json?: unknown; json_error?: string } {
	const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
	try {
		return { json: JSON.parse(fenced ? fenced[1] : text) };
	} catch (err) {
		return { json_error: `The answer is not JSON: ${(err as Error).message}` };
	}
}

export class LlmClient {
	private readonly breakers = new Map<ProviderName, CircuitBreaker>();
	private readonly clock: Clock;

	constructor(private readonly options: LlmClientOptions) {
		this.clock = options.clock ?? systemClock;
	}

	/** The breaker of `provider` (created closed on first use). */
	breaker(provider: ProviderName): CircuitBreaker {
		let breaker = this.breakers.get(provider);
		if (!breaker) {
			breaker = new CircuitBreaker(this.options.breaker, this.clock);
			this.breakers.set(provider, breaker);
		}
		return breaker;
	}

	async complete(request: CompletionRequest, call: CallOptions = {}): Promise<CallOutcome> {
		const { options, clock } = this;
		const started = clock.now();
		const plan = planCall(request, options.routing);
		const maxTokens = request.max_tokens ?? options.defaultMaxTokens;
		const promptTokens = countPromptTokens(request.messages, plan.system, request.tools);
		const budget: Budget | undefined = call.budget && {
			max_tokens: call.budget.max_tokens ?? options.defaultBudget.max_tokens,
			max_cost_usd: call.budget.max_cost_usd ?? options.defaultBudget.max_cost_usd,
			used_tokens: call.budget.used_tokens ?? 0,
			used_cost_usd: call.budget.used_cost_usd ?? 0
		};

		const left: { provider: ProviderName; model: string; reason: string }[] = [];
		for (const [index, target] of plan.targets.entries()) {
			if (call.signal?.aborted) throw llmAborted("The LLM call was aborted");
			if (budget) {
				const worstCost = costOf(target.model, { prompt_tokens: promptTokens, completion_tokens: maxTokens }, options.pricing);
				const check = checkBudget(budget, { prompt_tokens: promptTokens, max_completion_tokens: maxTokens, max_cost_usd: worstCost });
				if (!check.ok) {
					// The call as asked does not fit: refuse it rather than quietly pick a cheaper model.
					if (index === 0) throw budgetExceeded(check.message, { reason: check.reason, ...budget, estimated_prompt_tokens: promptTokens, max_tokens: maxTokens });
					left.push({ ...target, reason: `over budget: ${check.message}` });
					continue;
				}
			}
			const providerRequest: ProviderRequest = {
				model: target.model,
				messages: request.messages,
				system: plan.system,
				temperature: plan.temperature,
				max_tokens: maxTokens,
				top_p: request.top_p,
				stop: request.stop,
				json: request.json,
				...(request.tools?.length ? { tools: request.tools } : {})
			};
			const answered = await this.tryProvider(target, providerRequest, promptTokens + maxTokens, call, left);
			if (!answered) continue;

			const usage = answered.usage;
			const priced = costOf(answered.model, usage, options.pricing) || costOf(target.model, usage, options.pricing);
			const result: CompletionResult = {
				text: answered.text,
				...(request.json && !answered.tool_calls?.length ? parseJsonAnswer(answered.text) : {}),
				usage,
				cost_usd: priced,
				provider: target.provider,
				model: answered.model,
				latency_ms: clock.now() - started,
				finish_reason: answered.finish_reason,
				...(answered.tool_calls?.length ? { tool_calls: answered.tool_calls } : {}),
				fallbacks: left
			};
			options.observer?.completed(result);
			if (!budget) return { result };
			const after = spend(budget, { tokens: usage.total_tokens, cost_usd: priced });
			return { result, budget: { ...after, crossed: thresholdsCrossed(budget, after) } };
		}
		const summary = left.map(l => `${l.provider} (${l.model}): ${l.reason}`).join("; ");
		throw llmUnavailable(`No LLM provider could answer: ${summary || "none is configured"}`, { attempts: left });
	}

	/** Attempts one provider under the retry policy; undefined when the call should move on to the next one. */
	private async tryProvider(
		target: Target,
		request: ProviderRequest,
		estimatedTokens: number,
		call: CallOptions,
		left: { provider: ProviderName; model: string; reason: string }[]
	): Promise<ProviderResponse | undefined> {
		const { options, clock } = this;
		const { onDelta, signal } = call;
		const provider = options.providers[target.provider];
		if (!provider) {
			left.push({ ...target, reason: "not configured" });
			return undefined;
		}
		const breaker = this.breaker(target.provider);
		for (let attempt = 1; ; attempt++) {
			if (!breaker.tryAcquire()) {
				left.push({ ...target, reason: attempt === 1 ? "circuit open" : "circuit opened" });
				return undefined;
			}
			const permit = await options.limiter.acquire(target.provider, estimatedTokens);
			if (signal?.aborted) {
				// Aborted while waiting for a turn: give it back unused.
				await permit.release(0);
				breaker.recordNeutral();
				throw llmAborted("The LLM call was aborted");
			}
			const attemptStarted = clock.now();
			const streamed = { deltas: 0 };
			try {
				const response = await inSpan(
					`llm ${target.provider} ${target.model}`,
					{ "gen_ai.system": target.provider, "gen_ai.request.model": target.model, "gen_ai.request.max_tokens": request.max_tokens, "cognitionos.llm.attempt": attempt, "cognitionos.llm.stream": Boolean(onDelta) },
					async span => {
						const answer = onDelta ? await this.streamFrom(provider, request, onDelta, streamed, signal) : await provider.complete(request, signal);
						span?.setAttributes({ "gen_ai.response.model": answer.model, "gen_ai.usage.input_tokens": answer.usage.prompt_tokens, "gen_ai.usage.output_tokens": answer.usage.completion_tokens });
						return answer;
					},
					SpanKind.CLIENT
				);
				await permit.release(response.usage.total_tokens);
				breaker.recordSuccess();
				options.observer?.attempt({ ...target, status: "success", duration_ms: clock.now() - attemptStarted });
				return response;
			} catch (err) {
				await permit.release();
				if (signal?.aborted) {
					// We cancelled it: says nothing about the provider, and must not be retried or sent elsewhere.
					breaker.recordNeutral();
					options.observer?.attempt({ ...target, status: "aborted", duration_ms: clock.now() - attemptStarted });
					throw llmAborted(`The ${target.provider} call was aborted`);
				}
				if (!(err instanceof ProviderError)) {
					breaker.recordNeutral();
					throw err;
				}
				options.observer?.attempt({ ...target, status: err.kind, duration_ms: clock.now() - attemptStarted });
				if (!err.retryable) {
					// The provider is up and said no to this request: neither a retry nor another provider will help.
					breaker.recordNeutral();
					const data = { provider: target.provider, model: target.model, status: err.status };
					throw err.kind === "auth_failed" ? llmAuthFailed(err.message, data) : llmRequestRejected(err.message, data);
				}
				breaker.recordFailure();
				if (streamed.deltas > 0) {
					// Text already went out: a second answer would repeat it.
					throw llmUnavailable(`The ${target.provider} stream broke after it had started: ${err.message}`, { provider: target.provider, model: target.model });
				}
				const delay = honouringRetryAfter(options.retry, attempt, err.retryAfterMs);
				if (delay === null) {
					left.push({ ...target, reason: `${err.message} (after ${attempt} attempt${attempt === 1 ? "" : "s"})` });
					return undefined;
				}
				try {
					await clock.sleep(delay, signal);
				} catch {
					throw llmAborted("The LLM call was aborted");
				}
			}
		}
	}

	private async streamFrom(
		provider: LlmProvider,
		request: ProviderRequest,
		onDelta: (text: string) => void | Promise<void>,
		streamed: { deltas: number },
		signal: AbortSignal | undefined
	): Promise<ProviderResponse> {
		for await (const event of provider.stream(request, signal)) {
			if (event.type === "delta") {
				streamed.deltas += 1;
				await onDelta(event.text);
			} else {
				const { type: _type, ...response } = event;
				return response;
			}
		}
		throw new ProviderError(provider.name, "server_error", `${provider.name} ended the stream without a final message`);
	}
}
