import type { Database } from "../db/database";
import type { DomainEvent } from "./outbox";
import type { EventHandler, HandlerEffects } from "./handler";
import { Slots } from "./slots";

/** What the bus reports as it works (metrics, logs); every hook is optional. */
export interface EventBusObserver {
	published?(eventType: string, count: number): void;
	consumed?(eventType: string, handler: string, seconds: number): void;
	duplicate?(eventType: string, handler: string): void;
	failed?(eventType: string, handler: string, error: unknown, attempt: number): void;
	deadLettered?(eventType: string, handler: string, error: unknown): void;
}

export type DeliveryOutcome = "handled" | "duplicate";

/** Deadlocks, serialization failures and a busy SQLite file: the same transaction may simply run again. */
function isTransient(err: unknown): boolean {
	const e = err as { code?: string; message?: string };
	return e?.code === "40P01" || e?.code === "40001" || e?.code === "SQLITE_BUSY" || /SQLITE_BUSY|deadlock detected/.test(e?.message ?? "");
}

// A transaction that lost a deadlock runs again at once, at most this many times, before it counts as a failed try.
const TRANSIENT_RETRIES = 3;

/**
 * Runs one handler on one event in one transaction together with its inbox row
 * (`event_inbox`, keyed by handler and event id): an event seen again — a redelivery, a
 * relay that published twice, a replay of something already handled — finds its row and
 * changes nothing. Both transports deliver through this.
 */
export class HandlerRunner {
	private readonly now: () => number;
	private readonly slots: Slots;

	constructor(
		private readonly opts: {
			db: Database;
			/** Handler transactions at once on this node (the relay and the API need connections too). */
			concurrency: number;
			observer?: EventBusObserver;
			/** Called after each committed delivery with what it left to do. */
			onEffects?(effects: HandlerEffects): void;
			now?: () => number;
		}
	) {
		this.now = opts.now ?? Date.now;
		this.slots = new Slots(opts.concurrency);
	}

	deliver(handler: EventHandler, event: DomainEvent): Promise<DeliveryOutcome> {
		return this.slots.run(() => this.deliverNow(handler, event));
	}

	private async deliverNow(handler: EventHandler, event: DomainEvent): Promise<DeliveryOutcome> {
		const started = process.hrtime.bigint();
		for (let attempt = 1; ; attempt++) {
			const effects: HandlerEffects = { notifications: [], webhookDeliveries: 0 };
			try {
				const outcome = await this.opts.db.sqlTransaction(async tx => {
					const now = this.now();
					const fresh = await tx.run("INSERT INTO event_inbox (handler, event_id, processed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [handler.name, event.event_id, now]);
					if (fresh === 0) return "duplicate" as const;
					await handler.handle(event, { tx, dialect: this.opts.db.dialect, now, effects });
					return "handled" as const;
				});
				if (outcome === "duplicate") this.opts.observer?.duplicate?.(event.event_type, handler.name);
				else {
					this.opts.observer?.consumed?.(event.event_type, handler.name, Number(process.hrtime.bigint() - started) / 1e9);
					if (effects.notifications.length || effects.webhookDeliveries) this.opts.onEffects?.(effects);
				}
				return outcome;
			} catch (err) {
				if (attempt > TRANSIENT_RETRIES || !isTransient(err)) throw err;
				await new Promise(r => setTimeout(r, 5 * attempt));
			}
		}
	}
}
