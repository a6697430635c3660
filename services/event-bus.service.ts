import type { Context, ServiceSchema } from "moleculer";
import { listAudit } from "../lib/audit/log";
import { isAdmin, type Principal } from "../lib/auth/principal";
import { leaderTakeOverMs, type Database, type HeldLock } from "../lib/db/database";
import { EventBus } from "../lib/events/bus";
import { DEAD_LETTER_STATUSES, type DeadLetterRecord, type DeadLetterStatus } from "../lib/events/dead-letters";
import type { EventBusObserver } from "../lib/events/delivery";
import { failureMessage } from "../lib/events/handler";
import { EVENT_HANDLERS } from "../lib/events/handlers";
import { conflict, forbidden, notFound, validationFailed } from "../lib/errors";
import { AUDIT_PAGE, DEAD_LETTER, DEAD_LETTER_PAGE, EVENT_BUS_STATUS, NOTIFICATION, NOTIFICATION_PAGE, NOTIFICATIONS_READ, REPLAYED, USAGE, USAGE_BY_USER, WORKFLOW_STATISTICS } from "../lib/events/openapi";
import { NotificationStore, notificationView } from "../lib/notifications/store";
import { tracedConsume, tracedPublish } from "../lib/observability/amqp";
import { PAGE_PARAMS } from "../lib/pagination";
import { runtimeOf, type Runtime } from "../lib/runtime";
import { stepStatisticsOf } from "../lib/statistics/steps";
import { usageByUser, usageOf, utcDay } from "../lib/usage/accounting";
import { COST_GROUPS, costsOf, type CostGroup } from "../lib/usage/costs";
import { COST_REPORT } from "../lib/usage/openapi";
import { WorkflowStore } from "../lib/workflows/store";
import { isoTime as iso, jsonOrText } from "../lib/views";
import { ensureMetrics, EVENT_BUS_METRICS } from "../mixins/metrics";

interface Meta {
	user: Principal;
	$statusCode?: number;
}
type Ctx<P = Record<string, unknown>> = Context<P, Meta>;

interface Vars {
	runtime: Runtime;
	database: Database;
	bus: EventBus;
	leader: HeldLock | null;
	stopping: boolean;
	notifications: NotificationStore;
	workflows: WorkflowStore;
	timers: NodeJS.Timeout[];
}
interface Methods {
	elect(): Promise<void>;
	reportLag(): Promise<void>;
	prune(): Promise<void>;
	deadLetterView(d: DeadLetterRecord): Record<string, unknown>;
	replayOne(d: DeadLetterRecord): Promise<boolean>;
}

/** The name of the cluster-wide lock whose holder runs the outbox relay. */
const RELAY_LOCK = "cognitionos:outbox-relay";
// The elected node reports outbox lag this often, and prunes old outbox and inbox rows that often (ms).
const LAG_INTERVAL_MS = 1000;
const PRUNE_INTERVAL_MS = 10 * 60_000;
const PRUNE_BATCH = 5000;
// SQLite commits concurrent transactions together (up to 64 per commit): enough of them keep the groups full.
const SQLITE_HANDLER_CONCURRENCY = 64;

const day = { type: "string", pattern: /^\d{4}-\d{2}-\d{2}$/, optional: true, messages: { stringPattern: "The '{field}' field must be a date as YYYY-MM-DD." } } as const;


/** `from`/`to` of a usage query: the last 30 days by default; never a range that runs backwards. */
function dayRange(from?: string, to?: string): { from: string; to: string } {
	const end = to ?? utcDay(Date.now());
	const start = from ?? utcDay(Date.parse(`${end}T00:00:00Z`) - 29 * 86_400_000);
	// Date.parse takes 2026-02-30 for March 2nd: a real day reads back the same.
	const real = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && utcDay(Date.parse(`${d}T00:00:00Z`)) === d;
	if (!real(start) || !real(end)) throw validationFailed("Invalid range", [{ path: real(start) ? "to" : "from", message: "must be a real date" }]);
	if (start > end) throw validationFailed("Invalid range", [{ path: "from", message: "must not be after to" }]);
	return { from: start, to: end };
}

// A cost report spans at most a year of days, and lists at most 1000 groups (the biggest first; the total counts them all).
const COSTS_MAX_DAYS = 366;
const COSTS_MAX_ROWS = 1000;

/** `dayRange`, refused when it spans more than `COSTS_MAX_DAYS` days. */
function costRange(from?: string, to?: string): { from: string; to: string } {
	const range = dayRange(from, to);
	const days = (Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / 86_400_000 + 1;
	if (days > COSTS_MAX_DAYS) throw validationFailed("Invalid range", [{ path: "from", message: `must be at most ${COSTS_MAX_DAYS} days before to` }]);
	return range;
}

function instant(value: string | undefined, path: string): number | undefined {
	if (value === undefined) return undefined;
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) throw validationFailed("Invalid time", [{ path, message: "must be an ISO 8601 time" }]);
	return ms;
}

/**
 * The event bus on this node: the outbox relay (on the elected node), the five handlers
 * (consuming RabbitMQ, or in-process without RABBITMQ_URL), and the APIs over what they
 * keep: dead letters, the audit log, usage per user, per-step statistics, notifications.
 */
const EventBusService: ServiceSchema<{ rest: string }, Methods, Vars> = {
	name: "event-bus",

	settings: { rest: "/" },

	actions: {
		status: {
			rest: "GET /events/status",
			auth: "admin",
			openapi: {
				summary: "Event bus status",
				description: "The transport and whether it is connected, whether this node relays the outbox, the outbox's backlog, the dead letters waiting, and each handler with the events it takes.",
				tags: ["events"],
				responses: { 200: { description: "The event bus on the node that answered", schema: EVENT_BUS_STATUS } }
			},
			async handler() {
				const lag = await this.bus.outbox.lag(Date.now());
				const dead = await this.bus.deadLetters.list({ status: "dead" }, 1, 1);
				return {
					transport: this.bus.transport.kind,
					connected: this.bus.transport.connected,
					relay_leader: this.leader !== null,
					outbox: { pending: lag.pending, lag_seconds: lag.seconds },
					dead_letters: dead.total,
					exchange: this.bus.topology?.exchange ?? null,
					handlers: this.bus.handlers.map(h => ({ name: h.name, events: h.events, queue: this.bus.topology?.handlers.find(q => q.handler === h.name)?.queue ?? null }))
				};
			}
		},

		listDeadLetters: {
			rest: "GET /events/dead-letters",
			auth: "admin",
			openapi: {
				summary: "List dead letters",
				description: "Events a handler could not handle, newest failure first; `dead` ones unless `status` says otherwise.",
				tags: ["events"],
				responses: { 200: { description: "A page of dead letters", schema: DEAD_LETTER_PAGE } },
				example: { status: "dead", page: 1, page_size: 20 }
			},
			params: {
				...PAGE_PARAMS,
				handler: { type: "string", max: 64, optional: true },
				event_type: { type: "string", max: 100, optional: true },
				status: { type: "enum", values: [...DEAD_LETTER_STATUSES], optional: true }
			},
			async handler(ctx: Ctx<{ page?: number; page_size?: number; handler?: string; event_type?: string; status?: DeadLetterStatus }>) {
				const page = ctx.params.page ?? 1;
				const pageSize = ctx.params.page_size ?? 20;
				const { rows, total } = await this.bus.deadLetters.list({ handler: ctx.params.handler, event_type: ctx.params.event_type, status: ctx.params.status ?? "dead" }, page, pageSize);
				return { dead_letters: rows.map(d => this.deadLetterView(d)), total, page, page_size: pageSize };
			}
		},

		getDeadLetter: {
			rest: "GET /events/dead-letters/:id",
			auth: "admin",
			openapi: {
				summary: "Get a dead letter",
				description: "The event as it was sent, the headers it carried, its error and its tries.",
				tags: ["events"],
				responses: { 200: { description: "The dead letter", schema: DEAD_LETTER }, 404: "No such dead letter" }
			},
			params: { id: { type: "string", max: 64 } },
			async handler(ctx: Ctx<{ id: string }>) {
				const d = await this.bus.deadLetters.get(ctx.params.id);
				if (!d) throw notFound("Dead letter");
				return this.deadLetterView(d);
			}
		},

		replayDeadLetter: {
			rest: "POST /events/dead-letters/:id/replay",
			auth: "admin",
			openapi: {
				summary: "Replay a dead letter",
				description: "Sends the event back to the handler that failed on it (only that one). Handled once in effect: a handler that already took the event does nothing again. If it fails again, it is tried again as any event is, and then becomes a new dead letter.",
				tags: ["events"],
				responses: { 202: { description: "Sent back to its handler; the dead letter is now `replayed`", schema: DEAD_LETTER }, 404: "No such dead letter", 409: "It is not dead (already replayed, discarded, or still retrying)" }
			},
			params: { id: { type: "string", max: 64 } },
			async handler(ctx: Ctx<{ id: string }>) {
				const d = await this.bus.deadLetters.get(ctx.params.id);
				if (!d) throw notFound("Dead letter");
				if (d.status !== "dead") throw conflict(`This dead letter is ${d.status}; only dead ones can be replayed`);
				if (!(await this.replayOne(d))) throw conflict("This dead letter was replayed meanwhile");
				ctx.meta.$statusCode = 202;
				return this.deadLetterView((await this.bus.deadLetters.get(d.id))!);
			}
		},

		replayDeadLetters: {
			rest: "POST /events/dead-letters/replay",
			auth: "admin",
			openapi: {
				summary: "Replay dead letters",
				description: "Sends up to `limit` (100 by default) dead letters back to their handlers, oldest first, optionally only those of one handler or event type.",
				tags: ["events"],
				responses: { 202: { description: "Sent back to their handlers", schema: REPLAYED } },
				example: { handler: "step-statistics", event_type: "StepExecutionCompleted", limit: 100 }
			},
			params: {
				handler: { type: "string", max: 64, optional: true },
				event_type: { type: "string", max: 100, optional: true },
				limit: { type: "number", integer: true, positive: true, max: 1000, convert: true, optional: true }
			},
			async handler(ctx: Ctx<{ handler?: string; event_type?: string; limit?: number }>) {
				const ids = await this.bus.deadLetters.replayable({ handler: ctx.params.handler, event_type: ctx.params.event_type }, ctx.params.limit ?? 100);
				let replayed = 0;
				for (const id of ids) {
					const d = await this.bus.deadLetters.get(id);
					if (d && (await this.replayOne(d))) replayed++;
				}
				ctx.meta.$statusCode = 202;
				return { replayed };
			}
		},

		discardDeadLetter: {
			rest: "DELETE /events/dead-letters/:id",
			auth: "admin",
			openapi: {
				summary: "Discard a dead letter",
				description: "Marks it `discarded`: it is kept for the record but never replayed.",
				tags: ["events"],
				responses: { 204: { description: "Discarded", schema: null }, 404: "No such dead letter", 409: "It is not dead (already replayed, discarded, or still retrying)" }
			},
			params: { id: { type: "string", max: 64 } },
			async handler(ctx: Ctx<{ id: string }>) {
				const d = await this.bus.deadLetters.get(ctx.params.id);
				if (!d) throw notFound("Dead letter");
				if (!(await this.bus.deadLetters.transition(d.id, "dead", "discarded", Date.now()))) throw conflict(`This dead letter is ${d.status}; only dead ones can be discarded`);
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		audit: {
			rest: "GET /audit",
			auth: "admin",
			openapi: {
				summary: "Read the audit log",
				description:
					"Who did what, to what, when and from where: workflow definitions and status changes, executions started and cancelled, approvals, registrations, sign-ins, user changes and API keys. Newest first; `since` (inclusive) and `until` (exclusive) are ISO 8601 times. 50 entries a page by default.",
				tags: ["audit"],
				responses: { 200: { description: "A page of audit entries", schema: AUDIT_PAGE } },
				example: { action: "auth.login", since: "2026-01-01T00:00:00Z", page: 1, page_size: 50 }
			},
			params: {
				...PAGE_PARAMS,
				actor_id: { type: "string", max: 36, optional: true },
				action: { type: "string", max: 64, optional: true },
				resource_type: { type: "string", max: 32, optional: true },
				resource_id: { type: "string", max: 128, optional: true },
				since: { type: "string", max: 40, optional: true },
				until: { type: "string", max: 40, optional: true }
			},
			async handler(ctx: Ctx<{ page?: number; page_size?: number; actor_id?: string; action?: string; resource_type?: string; resource_id?: string; since?: string; until?: string }>) {
				const page = ctx.params.page ?? 1;
				const pageSize = ctx.params.page_size ?? 50;
				const { actor_id, action, resource_type, resource_id } = ctx.params;
				const filter = { actor_id, action, resource_type, resource_id, since: instant(ctx.params.since, "since"), until: instant(ctx.params.until, "until") };
				const { entries, total } = await listAudit(this.database, filter, page, pageSize);
				return { entries, total, page, page_size: pageSize };
			}
		},

		usage: {
			rest: "GET /usage",
			auth: "read",
			openapi: {
				summary: "The caller's usage",
				description: "Executions started, completed and failed, tokens and cost per UTC day between `from` and `to` (inclusive; the last 30 days by default), with their totals. Admins may name another user with `user_id`.",
				tags: ["usage"],
				responses: { 200: { description: "Usage per day and in total", schema: USAGE } },
				example: { from: "2026-11-01", to: "2026-11-30" }
			},
			params: { from: day, to: day, user_id: { type: "string", max: 36, optional: true } },
			async handler(ctx: Ctx<{ from?: string; to?: string; user_id?: string }>) {
				const userId = ctx.params.user_id && isAdmin(ctx.meta.user) ? ctx.params.user_id : ctx.meta.user.id;
				const range = dayRange(ctx.params.from, ctx.params.to);
				return { user_id: userId, ...range, ...(await usageOf(this.database, userId, range.from, range.to)) };
			}
		},

		costs: {
			rest: "GET /costs",
			auth: "read",
			openapi: {
				summary: "LLM spend grouped by workflow, model, user or day",
				description:
					"Model calls that answered, their prompt and completion tokens and their cost in USD between `from` and `to` (UTC days, inclusive; the last 30 days by default, at most 366 days), grouped by `group_by` (`day` by default). Every answered call of every run counts, captured (LLM_CAPTURE) or not, and stays counted after its run is pruned. Users see their own spend; admins see everyone's, or one user's with `user_id`. At most 1000 rows, the biggest cost first (by day: oldest first); `total` covers them all.",
				tags: ["usage"],
				responses: { 200: { description: "Spend per group and in total", schema: COST_REPORT }, 403: "`user_id` names another user and the caller is not an admin" },
				example: { group_by: "model", from: "2026-11-01", to: "2026-11-30" }
			},
			params: { group_by: { type: "enum", values: [...COST_GROUPS], optional: true }, from: day, to: day, user_id: { type: "string", max: 36, optional: true } },
			async handler(ctx: Ctx<{ group_by?: CostGroup; from?: string; to?: string; user_id?: string }>) {
				const { user } = ctx.meta;
				const userId = ctx.params.user_id;
				if (userId !== undefined && userId !== user.id && !isAdmin(user)) throw forbidden("Only admins may read another user's costs (user_id)");
				const range = costRange(ctx.params.from, ctx.params.to);
				const ownerId = isAdmin(user) ? userId : user.id;
				return costsOf(this.database, { group_by: ctx.params.group_by ?? "day", ...range, owner_id: ownerId, max_rows: COSTS_MAX_ROWS });
			}
		},

		usageByUser: {
			rest: "GET /usage/users",
			auth: "admin",
			openapi: {
				summary: "Usage per user",
				description: "Every user's totals between `from` and `to` (inclusive; the last 30 days by default), the biggest spenders first.",
				tags: ["usage"],
				responses: { 200: { description: "A page of users' totals", schema: USAGE_BY_USER } },
				example: { from: "2026-11-01", to: "2026-11-30", page: 1, page_size: 20 }
			},
			params: { ...PAGE_PARAMS, from: day, to: day },
			async handler(ctx: Ctx<{ page?: number; page_size?: number; from?: string; to?: string }>) {
				const page = ctx.params.page ?? 1;
				const pageSize = ctx.params.page_size ?? 20;
				const range = dayRange(ctx.params.from, ctx.params.to);
				return { ...range, ...(await usageByUser(this.database, range.from, range.to, page, pageSize)), page, page_size: pageSize };
			}
		},

		statistics: {
			rest: "GET /workflows/:workflow_id/:version/statistics",
			auth: "read",
			openapi: {
				summary: "Per-step statistics of a workflow version",
				description: "For each step of the definition: completions, duration (mean, min, max, total), tries, tokens and cost, from its completed runs. Admins may read another owner's with `owner_id`.",
				tags: ["workflow"],
				responses: { 200: { description: "Every step's statistics", schema: WORKFLOW_STATISTICS }, 404: "No such workflow version in the caller's namespace" },
				example: { workflow_id: "hello", version: "1.0.0" }
			},
			params: { workflow_id: { type: "string", max: 128 }, version: { type: "string", max: 64 }, owner_id: { type: "string", max: 36, optional: true } },
			async handler(ctx: Ctx<{ workflow_id: string; version: string; owner_id?: string }>) {
				const ownerId = ctx.params.owner_id && isAdmin(ctx.meta.user) ? ctx.params.owner_id : ctx.meta.user.id;
				const workflow = await this.workflows.byVersion(ownerId, ctx.params.workflow_id, ctx.params.version);
				if (!workflow) throw notFound(`Workflow ${ctx.params.workflow_id} version ${ctx.params.version}`);
				const stats = new Map((await stepStatisticsOf(this.database, ownerId, workflow.workflow_id, workflow.version)).map(s => [s.step_id, s]));
				return {
					workflow_id: workflow.workflow_id,
					version: workflow.version,
					owner_id: ownerId,
					// Every step of the definition, in its order; one that never completed shows zeros.
					steps: workflow.definition.steps.map(
						step =>
							stats.get(step.id) ?? {
								step_id: step.id,
								step_type: step.type,
								completed: 0,
								duration_ms: { mean: null, min: null, max: null, total: 0 },
								attempts: { total: 0, mean: null, retried: 0 },
								tokens: { prompt: 0, completion: 0, total: 0 },
								cost_usd: 0,
								last_completed_at: null
							}
					)
				};
			}
		},

		notifications: {
			rest: "GET /notifications",
			auth: "read",
			openapi: {
				summary: "The caller's notifications",
				description: "Newest first: one for each of the caller's executions that completed (`info`) or failed (`alert`); only unread ones with `unread=true`.",
				tags: ["notifications"],
				responses: { 200: { description: "A page of notifications, with the unread count", schema: NOTIFICATION_PAGE } },
				example: { unread: true, page: 1, page_size: 20 }
			},
			params: { ...PAGE_PARAMS, unread: { type: "boolean", convert: true, optional: true } },
			async handler(ctx: Ctx<{ page?: number; page_size?: number; unread?: boolean }>) {
				const page = ctx.params.page ?? 1;
				const pageSize = ctx.params.page_size ?? 20;
				const { rows, total, unread } = await this.notifications.list(ctx.meta.user.id, ctx.params.unread === true, page, pageSize);
				return { notifications: rows.map(notificationView), total, unread, page, page_size: pageSize };
			}
		},

		readNotification: {
			rest: "POST /notifications/:id/read",
			auth: "read",
			openapi: {
				summary: "Mark a notification read",
				description: "Idempotent: the first read time stays.",
				tags: ["notifications"],
				responses: { 200: { description: "The notification", schema: NOTIFICATION }, 404: "No such notification for the caller" }
			},
			params: { id: { type: "string", max: 36 } },
			async handler(ctx: Ctx<{ id: string }>) {
				const n = await this.notifications.get(ctx.params.id);
				// Someone else's notification is reported as missing: ids are not an oracle.
				if (!n || n.user_id !== ctx.meta.user.id) throw notFound("Notification");
				await this.notifications.markRead(n.user_id, n.id, Date.now());
				return notificationView((await this.notifications.get(n.id))!);
			}
		},

		readAllNotifications: {
			rest: "POST /notifications/read-all",
			auth: "read",
			openapi: {
				summary: "Mark every notification read",
				tags: ["notifications"],
				responses: { 200: { description: "How many were unread", schema: NOTIFICATIONS_READ } }
			},
			async handler(ctx: Ctx) {
				return { updated: await this.notifications.markAllRead(ctx.meta.user.id, Date.now()) };
			}
		}
	},

	methods: {
		/** Takes the relay's lock when nobody holds it; gives up the role when the lock is lost. */
		async elect() {
			if (this.leader) return this.leader.heartbeat();
			const held = await this.database.tryHoldLock(RELAY_LOCK, { takeOverAfterMs: leaderTakeOverMs(this.runtime.config) });
			if (!held) return;
			if (this.stopping) {
				// Elected while the node was stopping: stopped() has already let go, so give the lock back here.
				await held.release();
				return;
			}
			this.leader = held;
			this.logger.info("This node now relays the outbox (elected)");
			this.bus.relay.nudge();
			void held.lost.then(() => {
				if (this.leader !== held) return;
				this.leader = null;
				this.logger.warn("This node lost the outbox relay lock; another node takes over");
			});
		},

		async reportLag() {
			if (!this.leader || !this.broker.isMetricsEnabled()) return;
			const lag = await this.bus.outbox.lag(Date.now());
			this.broker.metrics.set("outbox_lag_seconds", lag.seconds);
			this.broker.metrics.set("outbox_pending_events", lag.pending);
		},

		async prune() {
			if (!this.leader) return;
			const before = Date.now() - this.runtime.config.OUTBOX_RETENTION;
			let removed;
			do removed = await this.bus.outbox.prune(before, PRUNE_BATCH);
			while (removed.outbox === PRUNE_BATCH || removed.inbox === PRUNE_BATCH);
		},

		deadLetterView(d: DeadLetterRecord) {
			const payload = jsonOrText(d.payload);
			return {
				id: d.id,
				handler: d.handler,
				event_id: d.event_id,
				event_type: d.event_type,
				status: d.status,
				error: { message: d.error_message, type: d.error_type },
				attempts: d.attempts,
				headers: d.headers,
				payload,
				failed_at: iso(d.failed_at),
				next_attempt_at: iso(d.next_attempt_at),
				replayed_at: iso(d.replayed_at),
				replay_count: d.replay_count
			};
		},

		async replayOne(d: DeadLetterRecord) {
			const replayed = await this.bus.replay(d);
			if (replayed) this.logger.info({ dead_letter_id: d.id, handler: d.handler, event_id: d.event_id }, "Replayed a dead letter");
			return replayed;
		}
	},

	created() {
		this.runtime = runtimeOf(this.broker);
		ensureMetrics(this.broker, EVENT_BUS_METRICS);
		this.leader = null;
		this.stopping = false;
		this.timers = [];
	},

	async started() {
		const config = this.runtime.config;
		this.database = await this.runtime.database();
		this.notifications = new NotificationStore(this.database);
		this.workflows = new WorkflowStore(this.database);
		const metrics = this.broker.isMetricsEnabled() ? this.broker.metrics : null;
		const observer: EventBusObserver = {
			published: (event_type, n) => metrics?.increment("events_published_total", { event_type }, n),
			consumed: (event_type, handler, seconds) => {
				metrics?.increment("events_consumed_total", { event_type, handler });
				metrics?.observe("event_processing_duration_seconds", seconds, { event_type, handler });
			},
			duplicate: (event_type, handler) => metrics?.increment("events_duplicates_total", { event_type, handler }),
			failed: (event_type, handler, err, attempt) => {
				metrics?.increment("events_failed_total", { event_type, handler });
				this.logger.warn({ event_type, handler, attempt, err: { message: failureMessage(err) } }, "An event handler failed; the event is tried again or dead-lettered");
			},
			deadLettered: (event_type, handler) => metrics?.increment("events_dead_lettered_total", { event_type, handler })
		};
		this.bus = new EventBus({
			db: this.database,
			settings: {
				rabbitmqUrl: config.RABBITMQ_URL,
				exchange: config.RABBITMQ_EXCHANGE,
				prefetch: config.RABBITMQ_PREFETCH,
				heartbeatMs: config.RABBITMQ_HEARTBEAT,
				reconnect: { minDelay: config.RABBITMQ_RECONNECT_MIN_DELAY, maxDelay: config.RABBITMQ_RECONNECT_MAX_DELAY, multiplier: 2 },
				batchSize: config.OUTBOX_BATCH_SIZE,
				pollIntervalMs: config.OUTBOX_POLL_INTERVAL,
				retry: { maxAttempts: config.EVENT_HANDLER_MAX_ATTEMPTS, minDelay: config.EVENT_HANDLER_RETRY_MIN_DELAY, maxDelay: config.EVENT_HANDLER_RETRY_MAX_DELAY, multiplier: 2 },
				handlerConcurrency: config.EVENT_HANDLER_CONCURRENCY || (this.database.dialect === "postgres" ? Math.max(1, config.DB_POOL_MAX - 2) : SQLITE_HANDLER_CONCURRENCY)
			},
			handlers: EVENT_HANDLERS,
			// AMQP publish and consume are spans of the active trace, and carry its context in the message headers.
			tracing: { publish: tracedPublish, consume: tracedConsume },
			isLeader: () => this.leader !== null,
			observer,
			onEffects: effects => {
				for (const n of effects.notifications) void this.broker.broadcast("notification.created", { notification: notificationView(n) });
				if (effects.webhookDeliveries) void this.broker.emit("webhook.deliveries.queued", { count: effects.webhookDeliveries });
			},
			log: this.logger as unknown as ConstructorParameters<typeof EventBus>[0]["log"]
		});
		await this.elect();
		await this.bus.start();
		this.logger.info({ transport: this.bus.transport.kind, exchange: this.bus.topology?.exchange ?? null }, "Event bus started");

		const every = (ms: number, fn: () => Promise<void>) => {
			let running = false;
			const t = setInterval(() => {
				if (running) return;
				running = true;
				fn()
					.catch(err => this.logger.warn({ err }, "An event bus background task failed; it runs again shortly"))
					.finally(() => (running = false));
			}, ms);
			t.unref();
			this.timers.push(t);
		};
		every(config.ENGINE_SWEEP_INTERVAL, () => this.elect());
		every(LAG_INTERVAL_MS, () => this.reportLag());
		every(PRUNE_INTERVAL_MS, () => this.prune());
	},

	async stopped() {
		this.stopping = true;
		for (const t of this.timers) clearInterval(t);
		await this.bus?.stop();
		const leader = this.leader;
		this.leader = null;
		await leader?.release();
	}
};

export default EventBusService;
