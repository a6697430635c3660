/**
 * Where message tracing plugs in: the AMQP transport publishes and consumes through these
 * two calls. The default does nothing; the observability helpers (`tracedPublish`,
 * `tracedConsume`) have the same shape and can be passed in as they are.
 */
export type MessageHeaders = Record<string, unknown>;

export interface MessageDestination {
	exchange: string;
	routingKey: string;
	messageId?: string;
}

export interface MessageTracing {
	publish<T>(dest: MessageDestination, headers: MessageHeaders, send: (headers: MessageHeaders) => T): T;
	consume<T>(dest: MessageDestination & { queue: string }, headers: MessageHeaders | undefined, handle: () => Promise<T>): Promise<T>;
}

export const NO_TRACING: MessageTracing = {
	publish: (_dest, headers, send) => send(headers),
	consume: (_dest, _headers, handle) => handle()
};
