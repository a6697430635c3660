import { randomUUID } from "node:crypto";
import type { Context, ServiceSchema } from "moleculer";
import { canAccess, isAdmin, type Principal } from "../lib/auth/principal";
import type { Database } from "../lib/db/database";
import { EVENT_NAME_PATTERN } from "../lib/dsl/model";
import { parseDuration } from "../lib/duration";
import { EventStore } from "../lib/engine/event-store";
import type { ReceivedEvent } from "../lib/engine/engine";

/** What `execution.ingest` answers: the engine's outcome, its time as ISO 8601. */
type Received = Omit<ReceivedEvent, "received_at"> & { received_at: string };
import { badRequest, notFound, unauthorized, validationFailed } from "../lib/errors";
import { hookData, hookEventId, verifyHook } from "../lib/hooks/receive";
import { HOOK_SCHEMES, type HookRequest, type HookSchemeName } from "../lib/hooks/scheme";
import { SCHEMES } from "../lib/hooks/schemes";
import { HookStore, type HookRecord } from "../lib/hooks/store";
import { EVENT_ANSWER, EVENT_PAGE, eventJson, HOOK, HOOK_ANSWER, HOOK_PAGE, HOOK_WITH_SECRET, hookJson } from "../lib/inbound/openapi";
import { PAGE_PARAMS, pageOf } from "../lib/pagination";
import { runtimeOf, type Runtime } from "../lib/runtime";
import { ensureMetrics, EVENT_METRICS } from "../mixins/metrics";

interface Meta {
	user: Principal;
	$statusCode?: number;
	$location?: string;
}
type Ctx<P = Record<string, unknown>> = Context<P, Meta>;

interface Vars {
	runtime: Runtime;
	database: Database;
	events: EventStore;
	hooks: HookStore;
}
interface Methods {
	owned(ctx: Ctx, id: string): Promise<HookRecord>;
	view(h: HookRecord, secret?: string | null): Record<string, unknown>;
	count(scheme: string, outcome: string): void;
}

const EVENT_NAME = { type: "string", pattern: EVENT_NAME_PATTERN, messages: { stringPattern: "The '{field}' field must be an event name: 1 to 200 letters, digits, and . _ : / -" } } as const;
/** Longest grace a rotation may give the old secret: a week covers a slow rollout at the sender. */
const MAX_GRACE_MS = 7 * 86_400_000;

/**
 * Events in: `POST /events` (stored once per id, starting the runs whose triggers match
 * and completing the waits they meet, in the execution service's transaction), the list
 * of events with what each did, and inbound webhooks (verified on the raw body, then
 * handled as events). Routes sit beside the event bus's /events/status and
 * /events/dead-letters.
 */
const EventsService: ServiceSchema<{ rest: string }, Methods, Vars> = {
	name: "events",

	settings: { rest: "/" },

	actions: {
		publish: {
			rest: "POST /events",
			auth: "write",
			openapi: {
				summary: "Send an event",
				description:
					"Stores the event durably and starts every active workflow of the caller whose `triggers` match it (the event's `data` becomes the run's inputs; a mismatch is recorded on the event as a problem), and completes the caller's `wait_for_event` steps it meets. An `id` the caller used before is a duplicate: nothing new happens (200).",
				tags: ["events"],
				responses: {
					200: { description: "A duplicate: an event with this id was received before", schema: EVENT_ANSWER },
					202: { description: "Received: the runs it started, the problems of those it could not, the waits it completed", schema: EVENT_ANSWER }
				},
				example: { name: "order.created", data: { order_id: "A-1001", total: 250 }, id: "order-A-1001-created" }
			},
			params: {
				name: EVENT_NAME,
				data: { type: "any", optional: true },
				id: { type: "string", min: 1, max: 200, optional: true }
			},
			async handler(ctx: Ctx<{ name: string; data?: unknown; id?: string }>) {
				const received = (await ctx.call("execution.ingest", { owner_id: ctx.meta.user.id, id: ctx.params.id ?? null, name: ctx.params.name, data: ctx.params.data ?? null, source: "api" })) as Received;
				ctx.meta.$statusCode = received.duplicate ? 200 : 202;
				return received.duplicate ? { event_id: received.event_id, duplicate: true } : received;
			}
		},

		list: {
			rest: "GET /events",
			auth: "read",
			openapi: {
				summary: "List events",
				description: "The caller's events, newest first (admins see everyone's), each with the runs it started, the problems of workflows it could not start and the waits it completed.",
				tags: ["events"],
				responses: { 200: { description: "A page of events", schema: EVENT_PAGE } },
				example: { page: 1, page_size: 20 }
			},
			params: {
				...PAGE_PARAMS,
				name: { ...EVENT_NAME, optional: true },
				source: { type: "enum", values: ["api", "webhook", "signal"], optional: true },
				execution_id: { type: "string", max: 36, optional: true }
			},
			async handler(ctx: Ctx<{ page?: number; page_size?: number; name?: string; source?: string; execution_id?: string }>) {
				const { page, pageSize, offset } = pageOf(ctx.params);
				const { rows, total } = await this.events.list(
					{ ownerId: isAdmin(ctx.meta.user) ? undefined : ctx.meta.user.id, name: ctx.params.name, source: ctx.params.source, executionId: ctx.params.execution_id },
					{ pageSize, offset }
				);
				return { events: rows.map(eventJson), total, page, page_size: pageSize };
			}
		},

		createHook: {
			rest: "POST /hooks",
			auth: "write",
			openapi: {
				summary: "Create an inbound webhook",
				description:
					"A URL (`/api/v3/hooks/{id}`) a sender POSTs to: each request, verified on its raw body by `verify` (`github`: X-Hub-Signature-256; `stripe`: Stripe-Signature with a timestamp tolerance; `standard-webhooks`: webhook-id/timestamp/signature; `hmac-sha256`: ours, X-CognitionOS-Signature over `<X-CognitionOS-Timestamp>.<body>`; or `none`, explicitly), becomes an event named `event` (a JSON body is its data, another body `{raw}`), deduplicated by the sender's delivery id. Without `secret` one is made (a stripe hook needs the secret Stripe issued).",
				tags: ["events"],
				responses: { 201: { description: "Created; the only answer besides a rotation that shows the secret", schema: HOOK_WITH_SECRET } },
				example: { event: "github.push", verify: "github", description: "pushes to the docs repo" }
			},
			params: {
				event: EVENT_NAME,
				verify: { type: "enum", values: [...HOOK_SCHEMES] },
				secret: { type: "string", min: 1, max: 500, optional: true },
				description: { type: "string", max: 500, optional: true, nullable: true }
			},
			async handler(ctx: Ctx<{ event: string; verify: HookSchemeName; secret?: string; description?: string | null }>) {
				const scheme = SCHEMES[ctx.params.verify];
				let secret: string | null;
				if (ctx.params.secret !== undefined) {
					const problem = scheme.secretProblem(ctx.params.secret);
					if (problem) throw validationFailed("Invalid secret", [{ path: "secret", message: problem }]);
					secret = ctx.params.secret;
				} else {
					secret = scheme.newSecret();
					if (secret === null && ctx.params.verify !== "none") throw validationFailed("A secret is needed", [{ path: "secret", message: `is required for ${ctx.params.verify}: give the signing secret the sender issued` }]);
				}
				const now = Date.now();
				const hook: HookRecord = {
					id: randomUUID(),
					owner_id: ctx.meta.user.id,
					event: ctx.params.event,
					verify: ctx.params.verify,
					secret,
					previous_secret: null,
					previous_until: null,
					description: ctx.params.description ?? null,
					created_at: now,
					updated_at: now
				};
				await this.hooks.create(hook);
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/v3/hooks/${hook.id}`;
				return this.view(hook, secret);
			}
		},

		listHooks: {
			rest: "GET /hooks",
			auth: "read",
			openapi: {
				summary: "List inbound webhooks",
				description: "The caller's inbound webhooks, newest first (admins see everyone's); never their secrets.",
				tags: ["events"],
				responses: { 200: { description: "A page of inbound webhooks", schema: HOOK_PAGE } },
				example: { page: 1, page_size: 20 }
			},
			params: { ...PAGE_PARAMS },
			async handler(ctx: Ctx<{ page?: number; page_size?: number }>) {
				const { page, pageSize, offset } = pageOf(ctx.params);
				const { rows, total } = await this.hooks.list(isAdmin(ctx.meta.user) ? undefined : ctx.meta.user.id, { pageSize, offset });
				return { hooks: rows.map(h => this.view(h)), total, page, page_size: pageSize };
			}
		},

		getHook: {
			rest: "GET /hooks/:id",
			auth: "read",
			openapi: {
				summary: "Get an inbound webhook",
				tags: ["events"],
				responses: { 200: { description: "The inbound webhook (without its secret)", schema: HOOK }, 404: "No such inbound webhook for the caller" }
			},
			params: { id: { type: "string", max: 36 } },
			async handler(ctx: Ctx<{ id: string }>) {
				return this.view(await this.owned(ctx, ctx.params.id));
			}
		},

		rotateHook: {
			rest: "POST /hooks/:id/rotate",
			auth: "write",
			openapi: {
				summary: "Rotate an inbound webhook's secret",
				description: "A new secret (made, or the one given); the old one is still accepted for `grace` (a duration, HOOK_SECRET_GRACE by default, at most 7 days), so the sender can be switched over without losing a delivery.",
				tags: ["events"],
				responses: {
					200: { description: "The new secret, shown once", schema: HOOK_WITH_SECRET },
					404: "No such inbound webhook for the caller",
					409: "A hook with verify none has no secret"
				},
				example: { grace: "1h" }
			},
			params: {
				id: { type: "string", max: 36 },
				secret: { type: "string", min: 1, max: 500, optional: true },
				grace: { type: "string", max: 20, optional: true }
			},
			async handler(ctx: Ctx<{ id: string; secret?: string; grace?: string }>) {
				const hook = await this.owned(ctx, ctx.params.id);
				if (hook.verify === "none") throw badRequest("A hook with verify none has no secret to rotate");
				const scheme = SCHEMES[hook.verify];
				const grace = ctx.params.grace === undefined ? this.runtime.config.HOOK_SECRET_GRACE : parseDuration(ctx.params.grace);
				if (grace === null || grace > MAX_GRACE_MS) throw validationFailed("Invalid grace", [{ path: "grace", message: 'must be a duration of at most 7 days, such as "1h"' }]);
				const secret = ctx.params.secret ?? scheme.newSecret();
				if (secret === null) throw validationFailed("A secret is needed", [{ path: "secret", message: `is required for ${hook.verify}: give the new signing secret the sender issued` }]);
				const problem = scheme.secretProblem(secret);
				if (problem) throw validationFailed("Invalid secret", [{ path: "secret", message: problem }]);
				const now = Date.now();
				await this.hooks.rotate(hook.id, secret, hook.secret, now + grace, now);
				const rotated = (await this.hooks.get(hook.id))!;
				return this.view(rotated, rotated.secret);
			}
		},

		deleteHook: {
			rest: "DELETE /hooks/:id",
			auth: "write",
			openapi: {
				summary: "Delete an inbound webhook",
				description: "Its URL answers 404 from now on; the events it received stay.",
				tags: ["events"],
				responses: { 204: "Deleted", 404: "No such inbound webhook for the caller" }
			},
			params: { id: { type: "string", max: 36 } },
			async handler(ctx: Ctx<{ id: string }>) {
				const hook = await this.owned(ctx, ctx.params.id);
				await this.hooks.remove(hook.id);
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		/** A sender's request to an inbound webhook; the gateway's hooks route passes the raw body (base64) and the headers schemes read. */
		receiveHook: {
			auth: "public",
			rawBody: true,
			openapi: {
				summary: "Deliver to an inbound webhook",
				description:
					"For the sender (GitHub, Stripe, a Standard Webhooks sender, another CognitionOS, …): verified on the raw body by the hook's scheme; a bad or missing signature (or a signed timestamp outside HOOK_SIGNATURE_TOLERANCE) is a 401 and nothing is stored. A valid delivery is stored as an event before the answer; the same delivery id again is a duplicate (200).",
				tags: ["events"],
				responses: {
					200: { description: "A duplicate delivery: nothing new happened", schema: HOOK_ANSWER },
					202: { description: "Stored as an event (and its runs started)", schema: HOOK_ANSWER },
					400: "The body claims JSON and is not",
					401: "The signature is missing or wrong, or its timestamp is too old",
					404: "No such inbound webhook, or its owner is deactivated"
				},
				requestBodies: {
					"application/json": { schema: { type: "object", description: "Whatever the sender sends: a JSON body becomes the event's data" }, example: { action: "opened", number: 42 } },
					"text/plain": { schema: { type: "string", description: "Any other body becomes {raw: <text>}" }, example: "hello" }
				}
			},
			params: {
				id: { type: "string", max: 36 },
				body: { type: "string" },
				headers: { type: "object" }
			},
			async handler(ctx: Ctx<{ id: string; body: string; headers: Record<string, string | undefined> }>) {
				const hook = await this.hooks.get(ctx.params.id);
				// A deactivated (or deleted) owner's hooks answer as if they were gone, before any signature is looked at.
				const owner = hook && ((await ctx.call("auth.principal", { id: hook.owner_id })) as { is_active: boolean } | null);
				if (!hook || !owner?.is_active) {
					this.count(hook?.verify ?? "unknown", "not_found");
					throw notFound("Inbound webhook");
				}
				const body = Buffer.from(ctx.params.body, "base64");
				const parsed = hookData(body, ctx.params.headers["content-type"]);
				const req: HookRequest = { headers: ctx.params.headers, body, json: parsed?.data ?? null, now: Date.now() };
				if (!verifyHook(hook, req, this.runtime.config.HOOK_SIGNATURE_TOLERANCE)) {
					this.count(hook.verify, "bad_signature");
					throw unauthorized("The request's signature is missing, wrong, or too old", "bad_signature");
				}
				if (!parsed) throw badRequest("The body is not valid JSON, as its Content-Type says");
				const received = (await ctx.call("execution.ingest", {
					owner_id: hook.owner_id,
					id: hookEventId(hook, req),
					name: hook.event,
					data: parsed.data,
					source: "webhook",
					hook_id: hook.id
				})) as Received;
				this.count(hook.verify, received.duplicate ? "duplicate" : "accepted");
				ctx.meta.$statusCode = received.duplicate ? 200 : 202;
				return { event_id: received.event_id, duplicate: received.duplicate };
			}
		}
	},

	methods: {
		async owned(ctx: Ctx, id: string) {
			const hook = await this.hooks.get(id);
			// Another user's hook is reported as missing: ids are not an oracle.
			if (!hook || !canAccess(ctx.meta.user, hook.owner_id)) throw notFound("Inbound webhook");
			return hook;
		},

		view(h: HookRecord, secret?: string | null) {
			const json = hookJson(h, this.runtime.config.API_PUBLIC_URL, Date.now());
			return secret === undefined ? json : { ...json, secret };
		},

		count(scheme: string, outcome: string) {
			if (this.broker.isMetricsEnabled()) this.broker.metrics.increment("inbound_webhook_requests_total", { scheme, outcome });
		}
	},

	created() {
		this.runtime = runtimeOf(this.broker);
		ensureMetrics(this.broker, EVENT_METRICS);
	},

	async started() {
		this.database = await this.runtime.database();
		this.events = new EventStore(this.database);
		this.hooks = new HookStore(this.database);
	}
};

export default EventsService;
