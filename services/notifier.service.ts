import type { Context, ServiceSchema } from "moleculer";
import type { RealtimeHub } from "../lib/realtime/hub";
import { approvalNotifications, budgetNotification, type BudgetThreshold, type EngineUpdateMessage, type TokenMessage } from "../lib/realtime/messages";
import { realtimeHubOf } from "../mixins/realtime";

interface Vars {
	hub: RealtimeHub;
	flushTimer?: NodeJS.Timeout;
}

interface NotificationView {
	id: string;
	user_id: string;
	kind: string;
	workflow_id: string | null;
	execution_id: string | null;
	[field: string]: unknown;
}

// How often held-back messages are checked against the reorder window, and idle streams let go (ms).
const FLUSH_INTERVAL_MS = 100;

/**
 * Turns the engine's updates, streamed LLM tokens and users' notifications into the
 * real-time messages of this node's clients. Runs beside the gateway: every gateway
 * node's notifier hears every broadcast and serves its own sockets, so a client on any
 * gateway hears a run executed anywhere.
 */
const NotifierService: ServiceSchema<Record<string, never>, Record<string, never>, Vars> = {
	name: "notifier",

	events: {
		// Broadcast by the execution service after each committed transition.
		"engine.execution.updated"(ctx: Context<EngineUpdateMessage>) {
			this.hub.streams.acceptUpdate(ctx.params);
			for (const n of approvalNotifications(ctx.params, Date.now())) this.hub.toUser(n.user_id, n.envelope);
		},
		// Broadcast by the llm service when a run's LLM calls pass the warning share of its budget.
		"llm.budget.threshold"(ctx: Context<BudgetThreshold>) {
			const run = ctx.params.execution_id ? this.hub.streams.run(ctx.params.execution_id) : null;
			if (!run) return;
			const n = budgetNotification(ctx.params, run, Date.now());
			this.hub.toUser(n.user_id, n.envelope);
		},
		// Broadcast by the llm service for each streamed piece of an ai_generate step's answer.
		"llm.token"(ctx: Context<TokenMessage>) {
			this.hub.streams.acceptToken(ctx.params);
		},
		// Broadcast by the execution service when an event (POST /events, an inbound webhook, a signal) was received: its owner hears what it did.
		"events.received"(ctx: Context<{ owner_id: string; event: Record<string, unknown> }>) {
			this.hub.toUser(ctx.params.owner_id, this.hub.message("event", { event_type: "EventReceived", ...ctx.params.event }));
		},
		// Broadcast by the event bus when a handler files one in the user's inbox (runs completed, runs failed).
		"notification.created"(ctx: Context<{ notification: NotificationView }>) {
			const n = ctx.params.notification;
			const ids = { ...(n.workflow_id ? { workflow_id: n.workflow_id } : {}), ...(n.execution_id ? { execution_id: n.execution_id } : {}) };
			this.hub.toUser(n.user_id, this.hub.message("notification", { ...n }, ids));
		}
	},

	created() {
		this.hub = realtimeHubOf(this.broker);
	},

	started() {
		this.flushTimer = setInterval(() => this.hub.streams.flushDue(), FLUSH_INTERVAL_MS);
		this.flushTimer.unref();
	},

	stopped() {
		clearInterval(this.flushTimer);
	}
};

export default NotifierService;
