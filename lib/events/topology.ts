import type { Channel } from "amqplib";
import { formatDuration } from "../duration";
import { backoffDelay, backoffDelays, type BackoffPolicy } from "../backoff";
import type { EventHandler } from "./handler";

/** Quorum queues replicate and fsync; dead-lettering from them is at-least-once (needs reject-publish overflow). */
const QUORUM = { "x-queue-type": "quorum", "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish" };
// A message whose consumer dies this many times before acking it (it crashes the node) is dead-lettered by RabbitMQ itself.
export const DELIVERY_LIMIT = 20;

export interface HandlerQueue {
	handler: string;
	queue: string;
	events: readonly string[];
	/** One queue per backoff wait: a message sits there for that long, then returns to `queue`. */
	retryQueues: { delayMs: number; queue: string }[];
}

/**
 * The bus's RabbitMQ names, all derived from one exchange name (RABBITMQ_EXCHANGE), so
 * that two installations, or two test runs, on one broker never share anything.
 */
export interface Topology {
	exchange: string;
	deadLetterExchange: string;
	deadLetterQueue: string;
	handlers: HandlerQueue[];
}

export function topologyOf(exchange: string, handlers: readonly EventHandler[], retry: BackoffPolicy): Topology {
	return {
		exchange,
		deadLetterExchange: `${exchange}.dlx`,
		deadLetterQueue: `${exchange}.dead_letter`,
		handlers: handlers.map(h => {
			const queue = `${exchange}.${h.name}`;
			return { handler: h.name, queue, events: h.events, retryQueues: backoffDelays(retry).map(delayMs => ({ delayMs, queue: `${queue}.retry.${formatDuration(delayMs)}` })) };
		})
	};
}

/** The retry queue a message goes to after failed try `attempt`, or null when it goes to the dead letters. */
export function retryQueueFor(queue: HandlerQueue, retry: BackoffPolicy, attempt: number): string | null {
	const delay = backoffDelay(retry, attempt);
	if (delay === null) return null;
	return queue.retryQueues.find(r => r.delayMs === delay)?.queue ?? null;
}

/** Arguments of a handler's queue: quorum, dead-lettering (at least once) to the DLX, the delivery limit. */
export function handlerQueueArguments(t: Topology): Record<string, unknown> {
	return { ...QUORUM, "x-dead-letter-exchange": t.deadLetterExchange, "x-delivery-limit": DELIVERY_LIMIT };
}

/** Arguments of a retry queue: its messages expire after its wait back into the handler's queue (default exchange, queue name). */
export function retryQueueArguments(h: HandlerQueue, delayMs: number): Record<string, unknown> {
	return { ...QUORUM, "x-message-ttl": delayMs, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": h.queue };
}

/** Declares everything (idempotent): exchanges, the dead-letter queue, handler queues, their bindings and retry queues. */
export async function declareTopology(ch: Channel, t: Topology): Promise<void> {
	await ch.assertExchange(t.exchange, "topic", { durable: true });
	await ch.assertExchange(t.deadLetterExchange, "topic", { durable: true });
	await ch.assertQueue(t.deadLetterQueue, { durable: true, arguments: { "x-queue-type": "quorum" } });
	await ch.bindQueue(t.deadLetterQueue, t.deadLetterExchange, "#");
	for (const h of t.handlers) {
		await ch.assertQueue(h.queue, { durable: true, arguments: handlerQueueArguments(t) });
		for (const type of h.events) await ch.bindQueue(h.queue, t.exchange, type);
		// Nobody consumes a retry queue.
		for (const r of h.retryQueues) await ch.assertQueue(r.queue, { durable: true, arguments: retryQueueArguments(h, r.delayMs) });
	}
}

/** Every queue and exchange of a topology (tests delete them afterwards). */
export function topologyNames(t: Topology): { queues: string[]; exchanges: string[] } {
	return {
		queues: [t.deadLetterQueue, ...t.handlers.flatMap(h => [h.queue, ...h.retryQueues.map(r => r.queue)])],
		exchanges: [t.exchange, t.deadLetterExchange]
	};
}
