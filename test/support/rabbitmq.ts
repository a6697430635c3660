import { randomBytes } from "node:crypto";
import amqp from "amqplib";
import type { Config } from "../../lib/config";
import { EVENT_HANDLERS } from "../../lib/events/handlers";
import { topologyNames, topologyOf, type Topology } from "../../lib/events/topology";

/** An exchange name (and so queue names) no other test run on this broker uses. */
export function uniqueExchange(tag = "test"): string {
	return `cos-${tag}-${process.pid}-${randomBytes(4).toString("hex")}.events`;
}

/** The topology a node with `config` declares. */
export function topologyFor(config: Config): Topology {
	return topologyOf(config.RABBITMQ_EXCHANGE, EVENT_HANDLERS, {
		maxAttempts: config.EVENT_HANDLER_MAX_ATTEMPTS,
		minDelay: config.EVENT_HANDLER_RETRY_MIN_DELAY,
		maxDelay: config.EVENT_HANDLER_RETRY_MAX_DELAY,
		multiplier: 2
	});
}

/** Deletes a test's queues and exchanges (quorum queues are durable: nothing removes them otherwise). */
export async function deleteTopology(url: string, topology: Topology, extraQueues: string[] = []): Promise<void> {
	const conn = await amqp.connect(url);
	try {
		const ch = await conn.createChannel();
		const { queues, exchanges } = topologyNames(topology);
		for (const q of [...queues, ...extraQueues]) await ch.deleteQueue(q);
		for (const x of exchanges) await ch.deleteExchange(x);
		await ch.close();
	} finally {
		await conn.close();
	}
}

/** Publishes raw messages to an exchange with confirms, as any other publisher could. */
export async function publishRaw(url: string, exchange: string, messages: { routingKey: string; content: Buffer | string; messageId?: string; headers?: Record<string, unknown> }[]): Promise<void> {
	const conn = await amqp.connect(url);
	try {
		const ch = await conn.createConfirmChannel();
		for (const m of messages) {
			ch.publish(exchange, m.routingKey, Buffer.isBuffer(m.content) ? m.content : Buffer.from(m.content), { persistent: true, messageId: m.messageId, headers: m.headers ?? {} });
		}
		await ch.waitForConfirms();
		await ch.close();
	} finally {
		await conn.close();
	}
}
