import { createHash, randomUUID } from "node:crypto";
import type { Channel, ConfirmChannel, ConsumeMessage, Options } from "amqplib";
import { Mutex } from "../mutex";
import { ReconnectingAmqp, type AmqpSession } from "./amqp-connection";
import type { BackoffPolicy } from "../backoff";
import type { DeadLetterRecord, DeadLetterStore } from "./dead-letters";
import type { EventBusObserver, HandlerRunner } from "./delivery";
import { failureMessage, failureType, isFinalFailure, isUnavailable, parseEvent, type EventHandler } from "./handler";
import { HEADERS } from "./headers";
import { KeyedQueue } from "./keyed-queue";
import type { DomainEvent } from "./outbox";
import type { OutboxRecord } from "./outbox-store";
import { declareTopology, retryQueueFor, type HandlerQueue, type Topology } from "./topology";
import { NO_TRACING, type MessageHeaders, type MessageTracing } from "./tracing";
import type { EventTransport } from "./transport";

// Batches awaiting confirms at once: writing the next while RabbitMQ confirms the last keeps both busy.
const BATCHES_IN_FLIGHT = 4;
// A batch whose confirms take longer than this counts as failed; the relay sends it again (ms).
const CONFIRM_TIMEOUT_MS = 30_000;
// How long stopping waits for messages being handled before closing the connection (ms).
const DRAIN_TIMEOUT_MS = 5_000;
// The archiver waits this long before handing a dead letter back when the database refused it (ms).
const ARCHIVE_RETRY_MS = 1_000;
/** Headers RabbitMQ adds on its own; a message the bus sends on does not carry them along. */
const BROKER_HEADERS = /^x-(death|first-death-|last-death-|delivery-count)/;

export interface AmqpTransportOptions {
	url: string;
	heartbeatMs: number;
	reconnect: Omit<BackoffPolicy, "maxAttempts">;
	prefetch: number;
	topology: Topology;
	handlers: readonly EventHandler[];
	runner: HandlerRunner;
	deadLetters: DeadLetterStore;
	retry: BackoffPolicy;
	observer?: EventBusObserver;
	tracing?: MessageTracing;
	log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
	now?: () => number;
}

/**
 * The RabbitMQ transport: publishes with confirms (persistent, messageId = event id,
 * routing key = event type) to the topic exchange; consumes each handler's quorum queue
 * with the configured prefetch; sends failed messages to a retry queue (which returns
 * them after the backoff wait) or, after the last try, to the dead-letter exchange with
 * the error in headers; keeps what reaches the dead-letter queue in `dead_letters`.
 */
export class AmqpTransport implements EventTransport {
	readonly kind = "amqp" as const;
	readonly maxInFlight = BATCHES_IN_FLIGHT;
	/** Batches are written one after another (their confirms are awaited side by side). */
	private readonly writing = new Mutex();
	private readonly amqp: ReconnectingAmqp;
	private readonly handlers: Map<string, EventHandler>;
	private readonly keyed = new KeyedQueue();
	private readonly inFlight = new Set<Promise<unknown>>();
	private consumers: { channel: Channel; tag: string }[] = [];
	private stopping = false;
	private readonly tracing: MessageTracing;
	private readonly now: () => number;

	constructor(private readonly opts: AmqpTransportOptions) {
		this.handlers = new Map(opts.handlers.map(h => [h.name, h]));
		this.tracing = opts.tracing ?? NO_TRACING;
		this.now = opts.now ?? Date.now;
		this.amqp = new ReconnectingAmqp({ url: opts.url, heartbeatMs: opts.heartbeatMs, reconnect: opts.reconnect, log: opts.log, onSession: s => this.setUp(s) });
	}

	get connected(): boolean {
		return this.amqp.session !== null;
	}

	async start(): Promise<void> {
		this.stopping = false;
		this.amqp.start();
	}

	async stop(): Promise<void> {
		this.stopping = true;
		// No new deliveries; the ones being handled finish (unacked ones go back to the queue when the connection closes).
		await Promise.all(this.consumers.map(c => c.channel.cancel(c.tag).catch(() => undefined)));
		const drained = Promise.all([...this.inFlight]);
		await Promise.race([drained, new Promise(r => setTimeout(r, DRAIN_TIMEOUT_MS).unref())]);
		await this.amqp.close();
	}

	/** Topology, then a channel per handler queue and one for the dead-letter archive. */
	private async setUp(session: AmqpSession): Promise<void> {
		await declareTopology(session.publisher, this.opts.topology);
		const consumers: { channel: Channel; tag: string }[] = [];
		const open = async (queue: string, prefetch: number, onMessage: (ch: Channel, msg: ConsumeMessage) => Promise<void>) => {
			const channel = await session.connection.createChannel();
			// A consumer channel closed under us (a channel error, a deleted queue) means rebuilding the whole session.
			channel.on("error", () => undefined);
			channel.once("close", () => {
				if (!this.stopping) void session.connection.close().catch(() => undefined);
			});
			await channel.prefetch(prefetch);
			const { consumerTag } = await channel.consume(queue, msg => {
				if (!msg) {
					void session.connection.close().catch(() => undefined);
					return;
				}
				this.track(onMessage(channel, msg));
			});
			consumers.push({ channel, tag: consumerTag });
		};
		for (const hq of this.opts.topology.handlers) {
			const handler = this.handlers.get(hq.handler)!;
			await open(hq.queue, this.opts.prefetch, (ch, msg) => this.onMessage(handler, hq, ch, msg));
		}
		await open(this.opts.topology.deadLetterQueue, this.opts.prefetch, (ch, msg) => this.archive(ch, msg));
		this.consumers = consumers;
	}

	private track(work: Promise<unknown>): void {
		const p = work.catch(err => this.opts.log.error({ err }, "Handling a RabbitMQ message failed unexpectedly; it will be redelivered"));
		this.inFlight.add(p);
		void p.finally(() => this.inFlight.delete(p));
	}

	// ---------------------------------------------------------------- publishing

	private publisher(): ConfirmChannel {
		const session = this.amqp.session;
		if (!session) throw new Error("RabbitMQ is not connected");
		return session.publisher;
	}

	/** Publishes one message and resolves when the broker confirms it. */
	private send(ch: ConfirmChannel, exchange: string, routingKey: string, content: Buffer, options: Options.Publish): { confirmed: Promise<void>; full: boolean } {
		let full = false;
		const confirmed = new Promise<void>((resolve, reject) => {
			try {
				full = !this.tracing.publish({ exchange, routingKey, messageId: options.messageId }, (options.headers ?? {}) as MessageHeaders, headers =>
					ch.publish(exchange, routingKey, content, { ...options, headers }, err => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()))
				);
			} catch (err) {
				reject(err as Error);
			}
		});
		return { confirmed, full };
	}

	private async confirmedOne(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
		await withTimeout(this.send(this.publisher(), exchange, routingKey, content, options).confirmed, CONFIRM_TIMEOUT_MS);
	}

	async publish(events: readonly OutboxRecord[]): Promise<void> {
		const confirms = await this.writing.run(() => this.write(events));
		await withTimeout(Promise.all(confirms), CONFIRM_TIMEOUT_MS);
	}

	/** Writes a batch on the publisher channel, pausing whenever its buffer is full; returns the confirms to wait for. */
	private async write(events: readonly OutboxRecord[]): Promise<Promise<void>[]> {
		const ch = this.publisher();
		const confirms: Promise<void>[] = [];
		for (const e of events) {
			const { confirmed, full } = this.send(ch, this.opts.topology.exchange, e.event_type, Buffer.from(e.payload), {
				persistent: true,
				messageId: e.event_id,
				type: e.event_type,
				contentType: "application/json",
				timestamp: Math.floor(e.occurred_at / 1000),
				headers: {}
			});
			confirmed.catch(() => undefined);
			confirms.push(confirmed);
			// The socket's buffer is full: wait until it drains (or the channel closes, failing the rest) before writing more.
			if (full) await drained(ch);
		}
		return confirms;
	}

	async replay(d: DeadLetterRecord): Promise<void> {
		const hq = this.opts.topology.handlers.find(h => h.handler === d.handler);
		if (!hq) throw new Error(`No handler named ${d.handler}`);
		// Straight into the handler's own queue (default exchange): the other handlers already have it.
		await this.confirmedOne("", hq.queue, Buffer.from(d.payload), {
			persistent: true,
			messageId: d.event_id ?? undefined,
			type: d.event_type ?? undefined,
			contentType: "application/json",
			headers: { [HEADERS.replayOf]: d.id, [HEADERS.attempts]: 1 }
		});
	}

	// ---------------------------------------------------------------- consuming

	private async onMessage(handler: EventHandler, hq: HandlerQueue, ch: Channel, msg: ConsumeMessage): Promise<void> {
		const headers = (msg.properties.headers ?? {}) as MessageHeaders;
		const attempt = Math.max(1, Number(headers[HEADERS.attempts] ?? 1) || 1);
		let event: DomainEvent;
		try {
			event = parseEvent(msg.content);
		} catch (err) {
			return this.failed(handler, hq, ch, msg, null, err, attempt);
		}
		await this.keyed.run(event.aggregate_id ?? event.event_id, async () => {
			try {
				await this.tracing.consume({ exchange: msg.fields.exchange, routingKey: msg.fields.routingKey, messageId: event.event_id, queue: hq.queue }, headers, () =>
					this.opts.runner.deliver(handler, event)
				);
			} catch (err) {
				return this.failed(handler, hq, ch, msg, event, err, attempt);
			}
			settle(() => ch.ack(msg));
		});
	}

	/** A try failed: on to the retry queue for the next wait, or to the dead letters after the last try. */
	private async failed(handler: EventHandler, hq: HandlerQueue, ch: Channel, msg: ConsumeMessage, event: DomainEvent | null, err: unknown, attempt: number): Promise<void> {
		const type = event?.event_type ?? String(msg.properties.type ?? msg.fields.routingKey);
		this.opts.observer?.failed?.(type, handler.name, err, attempt);
		// The database is out of reach: come back after the shortest wait, as the same try.
		const unavailable = isUnavailable(err) && hq.retryQueues.length > 0;
		const retryQueue = unavailable ? hq.retryQueues[0].queue : isFinalFailure(err) ? null : retryQueueFor(hq, this.opts.retry, attempt);
		const headers: MessageHeaders = {
			...carried(msg),
			[HEADERS.handler]: handler.name,
			[HEADERS.attempts]: retryQueue && !unavailable ? attempt + 1 : attempt,
			[HEADERS.errorMessage]: failureMessage(err),
			[HEADERS.errorType]: failureType(err),
			[HEADERS.failedAt]: new Date(this.now()).toISOString()
		};
		const options: Options.Publish = { ...publishOptions(msg), type, headers };
		try {
			if (retryQueue) {
				await this.confirmedOne("", retryQueue, msg.content, options);
			} else {
				headers[HEADERS.deadLetterId] = randomUUID();
				await this.confirmedOne(this.opts.topology.deadLetterExchange, type, msg.content, options);
				this.opts.observer?.deadLettered?.(type, handler.name, err);
				this.opts.log.error({ handler: handler.name, event_id: event?.event_id ?? null, event_type: type, attempts: attempt, err: { message: failureMessage(err) } }, "An event went to the dead-letter queue");
			}
			settle(() => ch.ack(msg));
		} catch {
			// Not handed on (the connection is going away): leave it to RabbitMQ to deliver again.
			settle(() => ch.nack(msg, false, true));
		}
	}

	/** Keeps what reached the dead-letter queue in `dead_letters` (acked once it is stored). */
	private async archive(ch: Channel, msg: ConsumeMessage): Promise<void> {
		const headers = (msg.properties.headers ?? {}) as MessageHeaders;
		const record = deadLetterOf(msg, headers, this.opts.topology, this.now());
		try {
			await this.opts.deadLetters.insert(record);
			settle(() => ch.ack(msg));
		} catch (err) {
			this.opts.log.warn({ err: { message: (err as Error).message } }, "Could not keep a dead letter; it stays in the dead-letter queue");
			await new Promise(r => setTimeout(r, ARCHIVE_RETRY_MS));
			settle(() => ch.nack(msg, false, true));
		}
	}
}

/** Acks and nacks on a channel that has closed throw; the broker redelivers those messages anyway. */
function settle(fn: () => void): void {
	try {
		fn();
	} catch {
		// The channel is gone; RabbitMQ puts the message back itself.
	}
}

function drained(ch: ConfirmChannel): Promise<void> {
	return new Promise(resolve => {
		const done = () => {
			ch.off("drain", done);
			ch.off("close", done);
			resolve();
		};
		ch.once("drain", done);
		ch.once("close", done);
	});
}

function carried(msg: ConsumeMessage): MessageHeaders {
	return Object.fromEntries(Object.entries((msg.properties.headers ?? {}) as MessageHeaders).filter(([k]) => !BROKER_HEADERS.test(k)));
}

function publishOptions(msg: ConsumeMessage): Options.Publish {
	const p = msg.properties;
	return { persistent: true, messageId: p.messageId, contentType: p.contentType ?? "application/json", timestamp: p.timestamp };
}

/** A dead letter as kept: the bus's own headers when it dead-lettered the message, RabbitMQ's (x-death) when the broker did. */
export function deadLetterOf(msg: ConsumeMessage, headers: MessageHeaders, topology: Topology, now: number): Omit<DeadLetterRecord, "replayed_at" | "replay_count"> {
	const death = Array.isArray(headers["x-death"]) ? (headers["x-death"][0] as { queue?: string; reason?: string; count?: number }) : undefined;
	const queue = death?.queue ?? (headers["x-first-death-queue"] as string | undefined);
	const handler = (headers[HEADERS.handler] as string | undefined) ?? topology.handlers.find(h => h.queue === queue)?.handler ?? "unknown";
	const byBus = typeof headers[HEADERS.deadLetterId] === "string";
	let eventId: string | null = msg.properties.messageId ?? null;
	let eventType: string | null = (msg.properties.type as string | undefined) ?? msg.fields.routingKey ?? null;
	try {
		const e = JSON.parse(msg.content.toString("utf8")) as Partial<DomainEvent>;
		eventId = typeof e.event_id === "string" ? e.event_id : eventId;
		eventType = typeof e.event_type === "string" ? e.event_type : eventType;
	} catch {
		// Unparseable bodies are kept as they came.
	}
	const failedAt = Date.parse(String(headers[HEADERS.failedAt] ?? ""));
	const id = byBus
		? String(headers[HEADERS.deadLetterId])
		: `rmq-${createHash("sha1").update(`${queue}|${eventId}|${death?.count ?? 0}|${msg.content.length}`).digest("hex").slice(0, 32)}`;
	return {
		id,
		handler,
		event_id: eventId,
		event_type: eventType,
		payload: msg.content.toString("utf8"),
		headers,
		error_message: byBus ? String(headers[HEADERS.errorMessage] ?? "") : `Dead-lettered by RabbitMQ: ${death?.reason ?? headers["x-first-death-reason"] ?? "unknown reason"} (delivery limit or rejected)`,
		error_type: byBus ? String(headers[HEADERS.errorType] ?? "handler_error") : String(death?.reason ?? "broker"),
		attempts: Number(headers[HEADERS.attempts] ?? death?.count ?? 1),
		status: "dead",
		next_attempt_at: null,
		failed_at: Number.isFinite(failedAt) ? failedAt : now
	};
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout;
	return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`RabbitMQ did not confirm within ${ms} ms`)), ms)))]).finally(() =>
		clearTimeout(timer)
	);
}
