import { randomUUID } from "node:crypto";
import { backoffDelay, type BackoffPolicy } from "../backoff";
import type { DeadLetterRecord, DeadLetterStore } from "./dead-letters";
import type { EventBusObserver, HandlerRunner } from "./delivery";
import { failureMessage, failureType, isFinalFailure, isUnavailable, parseEvent, type EventHandler } from "./handler";
import { HEADERS } from "./headers";
import { KeyedQueue } from "./keyed-queue";
import type { DomainEvent } from "./outbox";
import type { OutboxRecord } from "./outbox-store";
import type { EventTransport } from "./transport";

/** Aggregates whose events are handled at the same time within one batch. */
const PARALLEL_AGGREGATES = 32;
/** How often due retries are looked for (ms). */
const RETRY_POLL_MS = 250;

export interface InProcessOptions {
	handlers: readonly EventHandler[];
	runner: HandlerRunner;
	deadLetters: DeadLetterStore;
	retry: BackoffPolicy;
	/** Retries run where the relay runs (the elected node). */
	isLeader(): boolean;
	observer?: EventBusObserver;
	log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
	now?: () => number;
}

/**
 * Embedded delivery: the relay hands each batch straight to the handlers in this process,
 * in order per aggregate. A batch counts as published once every handler has either
 * handled each event or recorded its failure durably (a `retrying` dead-letter row that
 * the retry loop takes up with the same backoff as RabbitMQ's retry queues), so a crash
 * loses nothing: unpublished events are handed over again, and the inbox drops repeats.
 */
export class InProcessTransport implements EventTransport {
	readonly kind = "in-process" as const;
	readonly connected = true;
	// Batches are handled one after another: a later batch must not overtake an aggregate's earlier events.
	readonly maxInFlight = 1;
	private readonly byType = new Map<string, EventHandler[]>();
	private readonly byName = new Map<string, EventHandler>();
	private readonly inFlight = new Set<string>();
	private timer?: NodeJS.Timeout;
	private retrying?: Promise<void>;
	private readonly now: () => number;

	constructor(private readonly opts: InProcessOptions) {
		this.now = opts.now ?? Date.now;
		for (const handler of opts.handlers) {
			this.byName.set(handler.name, handler);
			for (const type of handler.events) this.byType.set(type, [...(this.byType.get(type) ?? []), handler]);
		}
	}

	async start(): Promise<void> {
		this.timer = setInterval(() => {
			if (this.retrying || !this.opts.isLeader()) return;
			this.retrying = this.retryDue()
				.catch(err => this.opts.log.warn({ err }, "In-process event retries failed; they run again shortly"))
				.finally(() => (this.retrying = undefined));
		}, RETRY_POLL_MS);
		this.timer.unref();
	}

	async stop(): Promise<void> {
		clearInterval(this.timer);
		await this.retrying;
	}

	async publish(events: readonly OutboxRecord[]): Promise<void> {
		const byAggregate = new Map<string, OutboxRecord[]>();
		for (const e of events) byAggregate.set(e.aggregate_id, [...(byAggregate.get(e.aggregate_id) ?? []), e]);
		const groups = [...byAggregate.values()];
		const work = async () => {
			for (let group = groups.shift(); group; group = groups.shift()) {
				for (const record of group) await this.handOver(record);
			}
		};
		await Promise.all(Array.from({ length: Math.min(PARALLEL_AGGREGATES, groups.length) }, work));
	}

	async replay(deadLetter: DeadLetterRecord): Promise<void> {
		const handler = this.byName.get(deadLetter.handler);
		if (!handler) throw new Error(`No handler named ${deadLetter.handler}`);
		await this.tryOnce(handler, deadLetter.payload, deadLetter.event_type ?? "unknown", { [HEADERS.replayOf]: deadLetter.id });
	}

	/** One event to every handler bound to its type. */
	private async handOver(record: OutboxRecord): Promise<void> {
		const handlers = this.byType.get(record.event_type) ?? [];
		await Promise.all(handlers.map(h => this.tryOnce(h, record.payload, record.event_type, {})));
	}

	/** The first try of a delivery; a failure is recorded before this resolves. */
	private async tryOnce(handler: EventHandler, payload: string, eventType: string, headers: Record<string, unknown>): Promise<void> {
		let event: DomainEvent | null = null;
		try {
			event = parseEvent(payload);
			await this.opts.runner.deliver(handler, event);
		} catch (err) {
			this.opts.observer?.failed?.(eventType, handler.name, err, 1);
			// The database is out of reach: the batch stays unpublished and the relay hands it over again later.
			if (isUnavailable(err)) throw err;
			const delay = isFinalFailure(err) ? null : backoffDelay(this.opts.retry, 1);
			if (delay === null) this.opts.observer?.deadLettered?.(eventType, handler.name, err);
			const now = this.now();
			await this.opts.deadLetters.insert({
				id: randomUUID(),
				handler: handler.name,
				event_id: event?.event_id ?? null,
				event_type: eventType,
				payload,
				headers: { ...headers, [HEADERS.handler]: handler.name, [HEADERS.attempts]: 1, [HEADERS.errorMessage]: failureMessage(err), [HEADERS.errorType]: failureType(err), [HEADERS.failedAt]: new Date(now).toISOString() },
				error_message: failureMessage(err),
				error_type: failureType(err),
				attempts: 1,
				status: delay === null ? "dead" : "retrying",
				next_attempt_at: delay === null ? null : now + delay,
				failed_at: now
			});
		}
	}

	private async retryDue(): Promise<void> {
		const due = (await this.opts.deadLetters.dueRetries(this.now(), 100)).filter(d => !this.inFlight.has(d.id));
		const byAggregate = new KeyedQueue();
		await Promise.all(
			due.map(d => {
				this.inFlight.add(d.id);
				return byAggregate.run(d.event_id ?? d.id, () => this.retryOne(d)).finally(() => this.inFlight.delete(d.id));
			})
		);
	}

	private async retryOne(d: DeadLetterRecord): Promise<void> {
		const handler = this.byName.get(d.handler);
		const attempt = d.attempts + 1;
		try {
			if (!handler) throw new Error(`No handler named ${d.handler}`);
			await this.opts.runner.deliver(handler, parseEvent(d.payload));
			await this.opts.deadLetters.retrySucceeded(d.id);
		} catch (err) {
			const type = d.event_type ?? "unknown";
			this.opts.observer?.failed?.(type, d.handler, err, attempt);
			const now = this.now();
			if (isUnavailable(err)) {
				// Not the event's fault: the same try again after the shortest wait.
				await this.opts.deadLetters.retryFailed(d, d.attempts, { message: failureMessage(err), type: failureType(err) }, now + (backoffDelay(this.opts.retry, 1) ?? 0), now);
				return;
			}
			const delay = isFinalFailure(err) ? null : backoffDelay(this.opts.retry, attempt);
			if (delay === null) {
				this.opts.observer?.deadLettered?.(type, d.handler, err);
				this.opts.log.error({ handler: d.handler, event_id: d.event_id, event_type: type, attempts: attempt, err: { message: failureMessage(err) } }, "An event went to the dead letters");
			}
			await this.opts.deadLetters.retryFailed(d, attempt, { message: failureMessage(err), type: failureType(err) }, delay === null ? null : now + delay, now);
		}
	}
}
