import type { DeadLetterRecord } from "./dead-letters";
import type { OutboxRecord } from "./outbox-store";

/**
 * How events leave the outbox and reach the handlers: RabbitMQ (`amqp-transport.ts`) in a
 * cluster, or in-process (`in-process-transport.ts`) when no RABBITMQ_URL is set. The
 * relay, the handlers and the dead-letter API are the same on both; only this differs.
 */
export interface EventTransport {
	readonly kind: "amqp" | "in-process";
	/** Whether publishing can work right now. */
	readonly connected: boolean;
	/** Batches the relay may have handed over and not yet seen confirmed (1: one at a time). */
	readonly maxInFlight: number;
	/** Starts consuming (and, for RabbitMQ, connecting in the background). An unreachable broker is not an error here. */
	start(): Promise<void>;
	/**
	 * Hands over `events` in order, after those of earlier calls. Resolves only once every
	 * one is safe (confirmed by the broker, or handled and recorded in-process); rejects
	 * otherwise, and the relay tries again.
	 */
	publish(events: readonly OutboxRecord[]): Promise<void>;
	/** Sends a dead letter back to its handler, and only to it. */
	replay(deadLetter: DeadLetterRecord): Promise<void>;
	stop(): Promise<void>;
}
