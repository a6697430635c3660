import type { Database } from "../db/database";
import { AmqpTransport } from "./amqp-transport";
import type { BackoffPolicy } from "../backoff";
import { DeadLetterStore, type DeadLetterRecord } from "./dead-letters";
import { HandlerRunner, type EventBusObserver } from "./delivery";
import type { EventHandler, HandlerEffects } from "./handler";
import { InProcessTransport } from "./in-process-transport";
import { OutboxStore } from "./outbox-store";
import { OutboxRelay } from "./relay";
import { topologyOf, type Topology } from "./topology";
import type { MessageTracing } from "./tracing";
import type { EventTransport } from "./transport";

export interface EventBusSettings {
	/** Empty: in-process delivery. */
	rabbitmqUrl: string;
	exchange: string;
	prefetch: number;
	heartbeatMs: number;
	reconnect: Omit<BackoffPolicy, "maxAttempts">;
	batchSize: number;
	pollIntervalMs: number;
	/** Tries of a handler per event, and the waits between them. */
	retry: BackoffPolicy;
	/** Handler transactions this node runs at once. */
	handlerConcurrency: number;
}

export interface EventBusOptions {
	db: Database;
	settings: EventBusSettings;
	handlers: readonly EventHandler[];
	/** Whether this node is the elected relay (and, in-process, the one that runs retries). */
	isLeader(): boolean;
	observer?: EventBusObserver;
	onEffects?(effects: HandlerEffects): void;
	tracing?: MessageTracing;
	log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
	now?: () => number;
}

// How long the relay waits between tries while the transport fails: from 200 ms up to 30 s.
const RELAY_BACKOFF = { minDelay: 200, maxDelay: 30_000, multiplier: 2 };

/**
 * The event bus of one node, assembled from its configuration: the outbox relay, the
 * transport (RabbitMQ when RABBITMQ_URL is set, in-process otherwise — chosen here, once),
 * the handlers behind their inbox, and the dead letters.
 */
export class EventBus {
	readonly outbox: OutboxStore;
	readonly deadLetters: DeadLetterStore;
	readonly transport: EventTransport;
	readonly relay: OutboxRelay;
	readonly topology: Topology | null;
	private readonly now: () => number;

	constructor(private readonly opts: EventBusOptions) {
		const { db, settings } = opts;
		this.now = opts.now ?? Date.now;
		this.outbox = new OutboxStore(db);
		this.deadLetters = new DeadLetterStore(db);
		const runner = new HandlerRunner({ db, concurrency: settings.handlerConcurrency, observer: opts.observer, onEffects: opts.onEffects, now: opts.now });
		if (settings.rabbitmqUrl) {
			this.topology = topologyOf(settings.exchange, opts.handlers, settings.retry);
			this.transport = new AmqpTransport({
				url: settings.rabbitmqUrl,
				heartbeatMs: settings.heartbeatMs,
				reconnect: settings.reconnect,
				prefetch: settings.prefetch,
				topology: this.topology,
				handlers: opts.handlers,
				runner,
				deadLetters: this.deadLetters,
				retry: settings.retry,
				observer: opts.observer,
				tracing: opts.tracing,
				log: opts.log,
				now: opts.now
			});
		} else {
			this.topology = null;
			this.transport = new InProcessTransport({ handlers: opts.handlers, runner, deadLetters: this.deadLetters, retry: settings.retry, isLeader: opts.isLeader, observer: opts.observer, log: opts.log, now: opts.now });
		}
		this.relay = new OutboxRelay({
			store: this.outbox,
			transport: this.transport,
			batchSize: settings.batchSize,
			pollIntervalMs: settings.pollIntervalMs,
			backoff: RELAY_BACKOFF,
			isLeader: opts.isLeader,
			observer: opts.observer,
			log: opts.log,
			now: opts.now
		});
	}

	get handlers(): readonly EventHandler[] {
		return this.opts.handlers;
	}

	async start(): Promise<void> {
		await this.transport.start();
		this.relay.start();
	}

	async stop(): Promise<void> {
		await this.relay.stop();
		await this.transport.stop();
	}

	/**
	 * Sends a dead letter back to its handler. It is marked replayed first, so two admins
	 * replaying at once send it once; if the sending fails it is dead again.
	 */
	async replay(deadLetter: DeadLetterRecord): Promise<boolean> {
		if (!(await this.deadLetters.transition(deadLetter.id, "dead", "replayed", this.now()))) return false;
		try {
			await this.transport.replay(deadLetter);
		} catch (err) {
			await this.deadLetters.transition(deadLetter.id, "replayed", "dead", this.now());
			throw err;
		}
		return true;
	}
}
