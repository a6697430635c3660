import type { ActionSchema, Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { AuthRequirement } from "../lib/auth/principal";
import { createLlmClient, llmSettingsFrom, type CallOutcome, type LlmClient, type LlmObserver } from "../lib/llm";
import { llmAborted } from "../lib/llm/errors";
import { priceOf, type PricingTable } from "../lib/llm/pricing";
import { completionRequestOf, type CompleteParams, type Correlation } from "../lib/llm/request";
import { AGENT_ROLES, PROVIDER_NAMES } from "../lib/llm/types";
import { TtlCache } from "../lib/ttl-cache";
import { annotateActiveSpan } from "../lib/observability/tracing";
import { runtimeOf } from "../lib/runtime";
import { ensureMetrics, LLM_METRICS } from "../mixins/metrics";

export type { CompleteParams } from "../lib/llm/request";

/** One streamed piece of an answer, emitted as `llm.token`. */
export interface TokenEvent extends Correlation {
	seq: number;
	delta: string;
}

interface LlmVars {
	client: LlmClient;
	pricing: PricingTable;
	/** Models already reported as missing from the pricing table. */
	unpriced: Set<string>;
	/** Calls in flight on this node that named a `call_id`, to abort on `llm.abort`. */
	calls: Map<string, AbortController>;
	/** Aborts that arrived before their call (it was still on its way here). */
	abortedEarly: TtlCache<true>;
}

type LlmThis = Service & LlmVars;

/** How long an abort that came before its call is remembered (the call is on its way through the transporter). */
const ABORT_MEMORY_MS = 60_000;

const nonNegative = { type: "number", min: 0, optional: true };

/** Counters and histograms of the product's llm_* families, registered only when metrics are on. */
function metricsObserver(service: LlmThis): LlmObserver | undefined {
	if (!service.broker.isMetricsEnabled()) return undefined;
	const metrics = service.broker.metrics;
	ensureMetrics(service.broker, LLM_METRICS);
	return {
		attempt(e) {
			metrics.increment("llm_requests_total", { provider: e.provider, model: e.model, status: e.status });
			metrics.observe("llm_request_duration_seconds", e.duration_ms / 1000, { provider: e.provider, model: e.model });
		},
		completed(r) {
			metrics.increment("llm_tokens_used_total", { provider: r.provider, model: r.model, token_type: "prompt" }, r.usage.prompt_tokens);
			metrics.increment("llm_tokens_used_total", { provider: r.provider, model: r.model, token_type: "completion" }, r.usage.completion_tokens);
			metrics.increment("llm_cost_usd_total", { provider: r.provider, model: r.model }, r.cost_usd);
		}
	};
}

/** Moleculer's ActionSchema has no field for our auth requirement; the gateway reads it from the action definition. */
interface Authorized {
	auth: AuthRequirement;
}

const LlmService: ServiceSchema<ServiceSettingSchema, Record<string, never>, LlmVars> = {
	name: "llm",

	actions: {
		/** One LLM call: routed, limited, retried, priced and checked against the caller's budget. */
		complete: {
			// Internal for now: the engine calls it; no REST alias.
			visibility: "public",
			auth: "write",
			params: {
				prompt: { type: "string", optional: true },
				messages: {
					type: "array",
					optional: true,
					max: 10_000,
					items: {
						type: "object",
						strict: true,
						props: {
							role: { type: "enum", values: ["system", "user", "assistant", "tool"] },
							content: "string",
							tool_calls: { type: "array", optional: true, max: 128, items: { type: "object", strict: true, props: { id: "string", name: "string", arguments: "any" } } },
							tool_call_id: { type: "string", optional: true },
							name: { type: "string", optional: true },
							is_error: { type: "boolean", optional: true }
						}
					}
				},
				tools: {
					type: "array",
					optional: true,
					max: 128,
					items: { type: "object", strict: true, props: { name: { type: "string", min: 1, max: 64 }, description: { type: "string", max: 4000 }, parameters: "object" } }
				},
				system: { type: "string", optional: true },
				model: { type: "string", optional: true, empty: false },
				provider: { type: "enum", values: [...PROVIDER_NAMES], optional: true },
				agent_role: { type: "enum", values: [...AGENT_ROLES], optional: true },
				temperature: { type: "number", min: 0, max: 2, optional: true },
				max_tokens: { type: "number", integer: true, positive: true, max: 1_000_000, optional: true },
				top_p: { type: "number", min: 0, max: 1, optional: true },
				stop: { type: "multi", optional: true, rules: [{ type: "string" }, { type: "array", items: "string", max: 4 }] },
				json: { type: "boolean", optional: true },
				json_schema: { type: "object", optional: true },
				stream: { type: "boolean", optional: true },
				correlation: { type: "record", optional: true, key: "string", value: { type: "multi", rules: [{ type: "string" }, { type: "number" }] } },
				budget: {
					type: "object",
					optional: true,
					strict: true,
					props: { max_tokens: nonNegative, max_cost_usd: nonNegative, used_tokens: nonNegative, used_cost_usd: nonNegative }
				},
				call_id: { type: "string", optional: true, empty: false, max: 200 }
			},
			async handler(this: LlmThis, ctx: Context<CompleteParams>) {
				const params = ctx.params;
				const request = completionRequestOf(params);
				const correlation = params.correlation ?? {};
				let seq = 0;
				const onDelta = params.stream
					? // Broadcast: every gateway node's notifier streams it to its own clients.
						(delta: string) => ctx.broadcast("llm.token", { ...correlation, seq: seq++, delta } satisfies TokenEvent)
					: undefined;
				const callId = params.call_id;
				if (callId && this.abortedEarly.get(callId)) throw llmAborted("The LLM call was aborted before it started");
				const controller = new AbortController();
				if (callId) this.calls.set(callId, controller);
				let outcome: CallOutcome;
				try {
					outcome = await this.client.complete(request, { budget: params.budget, onDelta, signal: controller.signal });
				} finally {
					if (callId) this.calls.delete(callId);
				}
				const { result, budget } = outcome;
				annotateActiveSpan({
					"gen_ai.system": result.provider,
					"gen_ai.response.model": result.model,
					"gen_ai.usage.input_tokens": result.usage.prompt_tokens,
					"gen_ai.usage.output_tokens": result.usage.completion_tokens,
					"cognitionos.llm.cost_usd": result.cost_usd,
					"cognitionos.llm.fallbacks": result.fallbacks.length
				});
				if (result.fallbacks.length) this.logger.warn({ provider: result.provider, model: result.model, fallbacks: result.fallbacks }, "LLM call fell back to another provider");
				if (result.provider !== "local" && !priceOf(result.model, this.pricing) && !this.unpriced.has(result.model)) {
					this.unpriced.add(result.model);
					this.logger.warn({ provider: result.provider, model: result.model }, `Model ${result.model} has no price: its calls count as $0 until LLM_PRICING names it`);
				}
				this.logger.debug({ provider: result.provider, model: result.model, usage: result.usage, cost_usd: result.cost_usd, latency_ms: result.latency_ms }, "LLM call answered");
				for (const limit of budget?.crossed ?? []) {
					// Broadcast: every gateway node's notifier warns the run's owner on its own sockets.
					await ctx.broadcast("llm.budget.threshold", {
						...correlation,
						limit,
						ratio: 0.8,
						used: limit === "tokens" ? budget?.used_tokens : budget?.used_cost_usd,
						max: limit === "tokens" ? budget?.max_tokens : budget?.max_cost_usd
					});
				}
				return budget ? { ...result, budget } : result;
			}
		} as ActionSchema<LlmThis> & Authorized
	},

	events: {
		/** Aborts a call in flight (its step was cancelled or timed out); broadcast, so the node running it hears it. */
		"llm.abort": {
			params: { call_id: { type: "string", empty: false, max: 200 } },
			handler(this: LlmThis, ctx: Context<{ call_id: string }>) {
				const controller = this.calls.get(ctx.params.call_id);
				if (controller) controller.abort(new Error("The caller aborted the LLM call"));
				else this.abortedEarly.set(ctx.params.call_id, true, Date.now() + ABORT_MEMORY_MS);
			}
		}
	},

	created(this: LlmThis) {
		const runtime = runtimeOf(this.broker);
		const settings = llmSettingsFrom(runtime.config);
		const { NAMESPACE } = runtime.config;
		this.pricing = settings.pricing;
		this.unpriced = new Set();
		this.calls = new Map();
		this.abortedEarly = new TtlCache(10_000);
		this.client = createLlmClient(settings, {
			redis: runtime.redis(),
			redisPrefix: `cognitionos${NAMESPACE ? `-${NAMESPACE}` : ""}`,
			observer: metricsObserver(this),
			warn: message => this.logger.warn(message)
		});
		this.logger.info(
			{ default_provider: settings.routing.defaultProvider, available: settings.routing.available, limits: runtime.redis() ? "redis" : "memory" },
			`LLM calls go to ${settings.routing.defaultProvider} by default`
		);
	}
};

export default LlmService;
