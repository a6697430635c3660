import { randomUUID } from "node:crypto";
import type { Context, ServiceSchema } from "moleculer";
import { canAccess, isAdmin, type Principal } from "../lib/auth/principal";
import type { Database } from "../lib/db/database";
import { notFound, validationFailed } from "../lib/errors";
import { PAGE_PARAMS } from "../lib/pagination";
import { runtimeOf, type Runtime } from "../lib/runtime";
import { WebhookDispatcher } from "../lib/webhooks/dispatcher";
import { DELIVERY, DELIVERY_PAGE, EXAMPLE_WEBHOOK, WEBHOOK, WEBHOOK_PAGE, WEBHOOK_WITH_SECRET } from "../lib/webhooks/openapi";
import { webhookUrlProblem } from "../lib/webhooks/send";
import { newWebhookSecret } from "../lib/webhooks/signature";
import { DELIVERY_STATUSES, WEBHOOK_EVENTS, WebhookStore, type DeliveryRecord, type DeliveryStatus, type WebhookEvent, type WebhookRecord } from "../lib/webhooks/store";
import { WorkflowStore } from "../lib/workflows/store";
import { isoTime as iso, jsonOrText } from "../lib/views";
import { ensureMetrics, WEBHOOK_METRICS } from "../mixins/metrics";

interface Meta {
	user: Principal;
	$statusCode?: number;
	$location?: string;
}
type Ctx<P = Record<string, unknown>> = Context<P, Meta>;

interface Vars {
	runtime: Runtime;
	database: Database;
	store: WebhookStore;
	workflows: WorkflowStore;
	dispatcher: WebhookDispatcher;
	timer?: NodeJS.Timeout;
	dispatching?: Promise<unknown>;
	dispatchAgain: boolean;
	stopping: boolean;
}
interface Methods {
	owned(ctx: Ctx, id: string): Promise<WebhookRecord>;
	view(w: WebhookRecord, secret?: boolean): Record<string, unknown>;
	deliveryView(d: DeliveryRecord): Record<string, unknown>;
	checkUrl(url: string): void;
	dispatch(): void;
}

/** How often due deliveries (retries) are looked for when nothing announced new ones (ms). */
const POLL_INTERVAL_MS = 500;

const events = { type: "array", min: 1, unique: true, items: { type: "enum", values: [...WEBHOOK_EVENTS] } } as const;


/**
 * Webhooks: users register URLs per workflow with the events they want; the handlers of
 * those events queue signed deliveries, which this service sends (with retries and
 * backoff) and records in a delivery log the owner can read.
 */
const WebhooksService: ServiceSchema<{ rest: string }, Methods, Vars> = {
	name: "webhooks",

	settings: { rest: "webhooks" },

	actions: {
		create: {
			rest: "POST /",
			auth: "write",
			openapi: {
				summary: "Register a webhook",
				description:
					"Deliveries of the chosen events (all three by default) of every execution of one of the caller's workflows are POSTed to `url`, signed with the webhook's secret (X-CognitionOS-Signature: `sha256=` HMAC-SHA256 over `<X-CognitionOS-Timestamp>.<body>`) and tried again with backoff until one gets a 2xx or WEBHOOK_MAX_ATTEMPTS tries are used up. Private and local addresses are refused unless listed in STEP_HTTP_ALLOWED_HOSTS.",
				responses: {
					201: { description: "Registered (Location names it); the only answer besides a rotation that shows the secret", schema: WEBHOOK_WITH_SECRET },
					404: "No such workflow in the caller's namespace"
				},
				example: EXAMPLE_WEBHOOK
			},
			params: {
				workflow_id: { type: "string", min: 1, max: 128 },
				url: { type: "string", min: 1, max: 2048 },
				events: { ...events, optional: true },
				description: { type: "string", max: 500, optional: true, nullable: true }
			},
			async handler(ctx: Ctx<{ workflow_id: string; url: string; events?: WebhookEvent[]; description?: string | null }>) {
				this.checkUrl(ctx.params.url);
				const ownerId = ctx.meta.user.id;
				if (!(await this.workflows.versions(ownerId, ctx.params.workflow_id)).length) throw notFound(`Workflow ${ctx.params.workflow_id}`);
				const now = Date.now();
				const webhook: WebhookRecord = {
					id: randomUUID(),
					owner_id: ownerId,
					workflow_id: ctx.params.workflow_id,
					url: ctx.params.url,
					events: ctx.params.events ?? [...WEBHOOK_EVENTS],
					secret: newWebhookSecret(),
					description: ctx.params.description ?? null,
					status: "active",
					created_at: now,
					updated_at: now
				};
				await this.store.create(webhook);
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/v3/webhooks/${webhook.id}`;
				// The secret is shown once, here (and when rotated).
				return this.view(webhook, true);
			}
		},

		list: {
			rest: "GET /",
			auth: "read",
			openapi: {
				summary: "List webhooks",
				description: "The caller's webhooks, newest first (admins see everyone's, or one owner's with `owner_id`).",
				responses: { 200: { description: "A page of webhooks", schema: WEBHOOK_PAGE } },
				example: { page: 1, page_size: 20 }
			},
			params: { ...PAGE_PARAMS, workflow_id: { type: "string", max: 128, optional: true }, owner_id: { type: "string", max: 36, optional: true } },
			async handler(ctx: Ctx<{ page?: number; page_size?: number; workflow_id?: string; owner_id?: string }>) {
				const page = ctx.params.page ?? 1;
				const pageSize = ctx.params.page_size ?? 20;
				// Admins see everyone's unless they ask for one owner; users see their own.
				const ownerId = isAdmin(ctx.meta.user) ? ctx.params.owner_id : ctx.meta.user.id;
				const { rows, total } = await this.store.list({ ownerId, workflowId: ctx.params.workflow_id }, page, pageSize);
				return { webhooks: rows.map(w => this.view(w)), total, page, page_size: pageSize };
			}
		},

		get: {
			rest: "GET /:id",
			auth: "read",
			openapi: {
				summary: "Get a webhook",
				responses: { 200: { description: "The webhook (without its secret)", schema: WEBHOOK }, 404: "No such webhook for the caller" }
			},
			params: { id: { type: "string", max: 36 } },
			async handler(ctx: Ctx<{ id: string }>) {
				return this.view(await this.owned(ctx, ctx.params.id));
			}
		},

		update: {
			rest: "PATCH /:id",
			auth: "write",
			openapi: {
				summary: "Change a webhook",
				description: "Only the fields sent change. A disabled webhook gets no new deliveries, and its pending ones are cancelled.",
				responses: { 200: { description: "The webhook after the change", schema: WEBHOOK }, 404: "No such webhook for the caller" },
				example: { events: ["WorkflowExecutionFailed"], description: "Failures only", status: "active" }
			},
			params: {
				id: { type: "string", max: 36 },
				url: { type: "string", min: 1, max: 2048, optional: true },
				events: { ...events, optional: true },
				description: { type: "string", max: 500, optional: true, nullable: true },
				status: { type: "enum", values: ["active", "disabled"], optional: true }
			},
			async handler(ctx: Ctx<{ id: string; url?: string; events?: WebhookEvent[]; description?: string | null; status?: "active" | "disabled" }>) {
				const webhook = await this.owned(ctx, ctx.params.id);
				const { url, events: subscribed, description, status } = ctx.params;
				if (url !== undefined) this.checkUrl(url);
				const changes = Object.fromEntries(Object.entries({ url, events: subscribed, description, status }).filter(([, v]) => v !== undefined));
				await this.store.update(webhook.id, changes, Date.now());
				return this.view((await this.store.get(webhook.id))!);
			}
		},

		remove: {
			rest: "DELETE /:id",
			auth: "write",
			openapi: {
				summary: "Delete a webhook",
				description: "With its delivery log; deliveries not yet sent are dropped.",
				responses: { 204: { description: "Deleted", schema: null }, 404: "No such webhook for the caller" }
			},
			params: { id: { type: "string", max: 36 } },
			async handler(ctx: Ctx<{ id: string }>) {
				const webhook = await this.owned(ctx, ctx.params.id);
				await this.store.remove(webhook.id);
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		rotateSecret: {
			rest: "POST /:id/rotate-secret",
			auth: "write",
			openapi: {
				summary: "Rotate a webhook's secret",
				description: "A new signing secret takes effect at once for every try from now on; the old one stops verifying.",
				responses: { 200: { description: "The webhook with its new secret (shown this once)", schema: WEBHOOK_WITH_SECRET }, 404: "No such webhook for the caller" }
			},
			params: { id: { type: "string", max: 36 } },
			async handler(ctx: Ctx<{ id: string }>) {
				const webhook = await this.owned(ctx, ctx.params.id);
				await this.store.update(webhook.id, { secret: newWebhookSecret() }, Date.now());
				return this.view((await this.store.get(webhook.id))!, true);
			}
		},

		deliveries: {
			rest: "GET /:id/deliveries",
			auth: "read",
			openapi: {
				summary: "A webhook's delivery log",
				description: "Newest first: each delivery's status, tries (with the receiver's status code, error and duration each time) and the body sent.",
				responses: { 200: { description: "A page of deliveries", schema: DELIVERY_PAGE }, 404: "No such webhook for the caller" },
				example: { page: 1, page_size: 20 }
			},
			params: { ...PAGE_PARAMS, id: { type: "string", max: 36 }, status: { type: "enum", values: [...DELIVERY_STATUSES], optional: true } },
			async handler(ctx: Ctx<{ id: string; page?: number; page_size?: number; status?: DeliveryStatus }>) {
				const webhook = await this.owned(ctx, ctx.params.id);
				const page = ctx.params.page ?? 1;
				const pageSize = ctx.params.page_size ?? 20;
				const { rows, total } = await this.store.deliveries(webhook.id, ctx.params.status, page, pageSize);
				return { deliveries: rows.map(d => this.deliveryView(d)), total, page, page_size: pageSize };
			}
		},

		redeliver: {
			rest: "POST /:id/deliveries/:delivery_id/redeliver",
			auth: "write",
			openapi: {
				summary: "Send a delivery again",
				description: "A delivered, failed or cancelled delivery is sent again from its first try (same id, so receivers can deduplicate); a pending one is already on its way and stays as it is.",
				responses: { 202: { description: "Queued; the delivery as it is now", schema: DELIVERY }, 404: "No such webhook or delivery for the caller" }
			},
			params: { id: { type: "string", max: 36 }, delivery_id: { type: "string", max: 36 } },
			async handler(ctx: Ctx<{ id: string; delivery_id: string }>) {
				const webhook = await this.owned(ctx, ctx.params.id);
				const delivery = await this.store.delivery(ctx.params.delivery_id);
				if (!delivery || delivery.webhook_id !== webhook.id) throw notFound("Delivery");
				await this.store.redeliver(delivery.id, Date.now());
				this.dispatch();
				ctx.meta.$statusCode = 202;
				return this.deliveryView((await this.store.delivery(delivery.id))!);
			}
		}
	},

	events: {
		// A handler queued deliveries (on this node or another): send them now rather than at the next poll.
		"webhook.deliveries.queued"() {
			this.dispatch();
		}
	},

	methods: {
		async owned(ctx, id) {
			const webhook = await this.store.get(id);
			// Another user's webhook is reported as missing: ids are not an oracle.
			if (!webhook || !canAccess(ctx.meta.user, webhook.owner_id)) throw notFound("Webhook");
			return webhook;
		},

		checkUrl(url: string) {
			const problem = webhookUrlProblem(url, this.runtime.config.STEP_HTTP_ALLOWED_HOSTS);
			if (problem) throw validationFailed("The webhook is not valid", [{ path: "url", message: problem }]);
		},

		view(w: WebhookRecord, secret = false) {
			return {
				id: w.id,
				workflow_id: w.workflow_id,
				url: w.url,
				events: w.events,
				description: w.description,
				status: w.status,
				owner_id: w.owner_id,
				...(secret ? { secret: w.secret } : {}),
				created_at: iso(w.created_at),
				updated_at: iso(w.updated_at)
			};
		},

		deliveryView(d: DeliveryRecord) {
			const payload = jsonOrText(d.payload);
			return {
				id: d.id,
				webhook_id: d.webhook_id,
				event_id: d.event_id,
				event_type: d.event_type,
				execution_id: d.execution_id,
				status: d.status,
				attempts: d.attempts,
				next_attempt_at: d.status === "pending" ? iso(d.next_attempt_at) : null,
				created_at: iso(d.created_at),
				last_attempt_at: iso(d.last_attempt_at),
				delivered_at: iso(d.delivered_at),
				last_status_code: d.last_status_code,
				last_error: d.last_error,
				attempt_log: d.attempt_log,
				payload
			};
		},

		/** Sends what is due into the free slots; a call during a pass makes that pass look once more. */
		dispatch() {
			this.dispatchAgain = true;
			if (this.dispatching || !this.dispatcher || this.stopping) return;
			this.dispatching = (async () => {
				while (this.dispatchAgain) {
					this.dispatchAgain = false;
					while ((await this.dispatcher.dispatchDue()) > 0);
				}
			})()
				.catch(err => this.logger.warn({ err }, "Looking for due webhook deliveries failed; trying again shortly"))
				.finally(() => (this.dispatching = undefined));
		}
	},

	created() {
		this.runtime = runtimeOf(this.broker);
		ensureMetrics(this.broker, WEBHOOK_METRICS);
		this.dispatchAgain = false;
		this.stopping = false;
	},

	async started() {
		const config = this.runtime.config;
		this.database = await this.runtime.database();
		this.store = new WebhookStore(this.database);
		this.workflows = new WorkflowStore(this.database);
		const metrics = this.broker.isMetricsEnabled() ? this.broker.metrics : null;
		this.dispatcher = new WebhookDispatcher({
			store: this.store,
			retry: { maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, minDelay: config.WEBHOOK_RETRY_MIN_DELAY, maxDelay: config.WEBHOOK_RETRY_MAX_DELAY, multiplier: 3 },
			timeoutMs: config.WEBHOOK_TIMEOUT,
			concurrency: config.WEBHOOK_CONCURRENCY,
			allowedHosts: config.STEP_HTTP_ALLOWED_HOSTS,
			onDelivered: status => metrics?.increment("webhook_deliveries_total", { status }),
			// A slot is free again: take the next due delivery.
			onSlotFree: () => this.dispatch(),
			// A retry due before the next poll is sent on time (a lost timer only means waiting for the poll).
			onRetryAt: at => {
				if (at - Date.now() < POLL_INTERVAL_MS) setTimeout(() => this.dispatch(), Math.max(0, at - Date.now())).unref();
			},
			log: this.logger as unknown as { warn(obj: object, msg: string): void }
		});
		this.timer = setInterval(() => this.dispatch(), POLL_INTERVAL_MS);
		this.timer.unref();
	},

	async stopped() {
		this.stopping = true;
		clearInterval(this.timer);
		await this.dispatching;
		await this.dispatcher?.drain();
	}
};

export default WebhooksService;
