import { backoffDelay, jittered, type BackoffPolicy } from "../backoff";
import type { EventBusObserver } from "./delivery";
import type { OutboxRecord, OutboxStore } from "./outbox-store";
import type { EventTransport } from "./transport";

export interface RelayOptions {
	store: OutboxStore;
	transport: EventTransport;
	batchSize: number;
	/** How long to wait for new events once the outbox is empty (ms). */
	pollIntervalMs: number;
	/** Waits between tries while the transport fails (RabbitMQ down); the relay never gives up. */
	backoff: Omit<BackoffPolicy, "maxAttempts">;
	/** Only the elected node relays; checked before each batch. */
	isLeader(): boolean;
	observer?: EventBusObserver;
	log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
	now?: () => number;
}

/**
 * Publishes the outbox: the oldest unpublished events, a batch at a time, in the order
 * they were written (so in order per aggregate: an aggregate's transactions are
 * serialized), marked published only once the transport has confirmed every one. While
 * the transport fails, the outbox simply grows and the relay retries with backoff.
 */
export class OutboxRelay {
	private running = false;
	private loop?: Promise<void>;
	private wake?: () => void;
	private nudged = false;
	private failures = 0;
	private readonly now: () => number;

	constructor(private readonly opts: RelayOptions) {
		this.now = opts.now ?? Date.now;
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		this.loop = this.run();
	}

	/** Looks for events now instead of at the next poll. */
	nudge(): void {
		// While the transport fails the backoff holds: new events must not hammer a broker that is down.
		if (this.failures) return;
		this.nudged = true;
		this.wake?.();
	}

	/** Stops after the batch in flight (which is either confirmed and marked, or left for the next leader). */
	async stop(): Promise<void> {
		this.running = false;
		this.wake?.();
		await this.loop;
	}

	/**
	 * Publishes until the outbox has no more, keeping up to the transport's `maxInFlight`
	 * batches awaiting confirms at once (sent in order on one channel; marked in order).
	 * Returns how many events it published.
	 */
	async pump(): Promise<number> {
		const window = this.opts.transport.maxInFlight;
		const inFlight: { batch: readonly OutboxRecord[]; confirmed: Promise<void> }[] = [];
		let exhausted = false;
		let published = 0;
		try {
			for (;;) {
				while (!exhausted && inFlight.length < window && this.running && this.opts.isLeader()) {
					// Rows inside the in-flight range are being sent; a row committed late below it is taken once the range has moved past it.
					const batch = await this.opts.store.pending(this.opts.batchSize, inFlight.length ? { below: inFlight[0].batch[0].id, above: inFlight.at(-1)!.batch.at(-1)!.id } : null);
					if (batch.length < this.opts.batchSize) exhausted = true;
					if (!batch.length) break;
					const confirmed = this.opts.transport.publish(batch);
					// Awaited below, in order; a rejection before then is not unhandled.
					confirmed.catch(() => undefined);
					inFlight.push({ batch, confirmed });
				}
				const head = inFlight.shift();
				if (!head) return published;
				await head.confirmed;
				await this.opts.store.markPublished(
					head.batch.map(e => e.id),
					this.now()
				);
				this.countPublished(head.batch);
				published += head.batch.length;
			}
		} catch (err) {
			// What was sent but not marked is sent again on the next try (the inbox drops repeats).
			await Promise.allSettled(inFlight.map(f => f.confirmed));
			await this.opts.store.markFailedAttempt(inFlight.flatMap(f => f.batch.map(e => e.id))).catch(() => undefined);
			throw err;
		}
	}

	private countPublished(batch: readonly OutboxRecord[]): void {
		if (!this.opts.observer?.published) return;
		const byType = new Map<string, number>();
		for (const e of batch) byType.set(e.event_type, (byType.get(e.event_type) ?? 0) + 1);
		for (const [type, n] of byType) this.opts.observer.published(type, n);
	}

	private async run(): Promise<void> {
		while (this.running) {
			let wait = this.opts.pollIntervalMs;
			// While the transport reconnects (with its own backoff) the outbox just grows; the relay looks again soon.
			if (this.opts.isLeader() && this.opts.transport.connected) {
				try {
					await this.pump();
					if (this.failures) this.opts.log.info({ failed_tries: this.failures }, "The outbox relay publishes again");
					this.failures = 0;
				} catch (err) {
					this.failures++;
					wait = jittered(backoffDelay({ ...this.opts.backoff, maxAttempts: Infinity }, this.failures)!);
					// One warning when an outage begins, then one every tenth try: the outbox lag metric tells the rest.
					if (this.failures === 1 || this.failures % 10 === 0) {
						this.opts.log.warn({ err: { message: (err as Error).message }, failed_tries: this.failures, retry_in_ms: wait }, "The outbox relay could not publish; events stay in the outbox");
					}
				}
			}
			if (wait > 0 && this.running) await this.sleep(wait);
		}
	}

	private sleep(ms: number): Promise<void> {
		if (this.nudged && this.failures === 0) {
			this.nudged = false;
			return Promise.resolve();
		}
		return new Promise(resolve => {
			let timer: NodeJS.Timeout | undefined = undefined;
			const done = () => {
				clearTimeout(timer);
				this.wake = undefined;
				this.nudged = false;
				resolve();
			};
			timer = setTimeout(done, ms);
			this.wake = done;
		});
	}
}
