import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import { backoffDelay, jittered, type BackoffPolicy } from "../backoff";

/** One live connection and the confirm channel everything is published on. */
export interface AmqpSession {
	connection: ChannelModel;
	publisher: ConfirmChannel;
}

export interface ReconnectingAmqpOptions {
	url: string;
	heartbeatMs: number;
	reconnect: Omit<BackoffPolicy, "maxAttempts">;
	/** Sets the session up (topology, consumers); a failure closes it and the next attempt starts over. */
	onSession(session: AmqpSession): Promise<void>;
	log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

// How long one connection attempt may take before it counts as failed (ms).
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A RabbitMQ connection that comes back: when it is lost (or was never made) it is
 * attempted again with backoff, and each new connection is set up by `onSession` before
 * anyone publishes on it. Nothing waits for it: callers see `session` null meanwhile.
 */
export class ReconnectingAmqp {
	private current: AmqpSession | null = null;
	private closing = false;
	private failures = 0;
	private timer?: NodeJS.Timeout;
	private connecting?: Promise<void>;

	constructor(private readonly opts: ReconnectingAmqpOptions) {}

	get session(): AmqpSession | null {
		return this.current;
	}

	start(): void {
		this.closing = false;
		this.connecting = this.connect();
	}

	async close(): Promise<void> {
		this.closing = true;
		clearTimeout(this.timer);
		await this.connecting;
		const session = this.current;
		this.current = null;
		await session?.connection.close().catch(() => undefined);
	}

	private async connect(): Promise<void> {
		let connection: ChannelModel | undefined;
		try {
			const url = new URL(this.opts.url);
			if (!url.searchParams.has("heartbeat")) url.searchParams.set("heartbeat", String(Math.max(1, Math.round(this.opts.heartbeatMs / 1000))));
			connection = await amqp.connect(url.toString(), { timeout: CONNECT_TIMEOUT_MS, clientProperties: { connection_name: "cognitionos-event-bus" } });
			// Errors are followed by "close", where reconnection starts; without a listener an "error" would throw.
			connection.on("error", () => undefined);
			const publisher = await connection.createConfirmChannel();
			publisher.on("error", () => undefined);
			const session = { connection, publisher };
			let closed = false;
			connection.once("close", () => {
				closed = true;
				this.lost(session);
			});
			// A publisher channel closed by the broker (a channel-level error) takes its connection down with it, so that all is rebuilt.
			publisher.once("close", () => void connection?.close().catch(() => undefined));
			await this.opts.onSession(session);
			if (closed) throw new Error("The connection closed while it was being set up");
			if (this.closing) {
				await connection.close().catch(() => undefined);
				return;
			}
			this.current = session;
			if (this.failures) this.opts.log.info({ failed_tries: this.failures }, "Reconnected to RabbitMQ");
			this.failures = 0;
		} catch (err) {
			await connection?.close().catch(() => undefined);
			this.retryLater(err);
		}
	}

	private lost(session: AmqpSession): void {
		if (this.current !== session) return;
		this.current = null;
		if (this.closing) return;
		this.opts.log.warn({}, "Lost the RabbitMQ connection; reconnecting");
		this.retryLater(null);
	}

	private retryLater(err: unknown): void {
		if (this.closing) return;
		this.failures++;
		const wait = jittered(backoffDelay({ ...this.opts.reconnect, maxAttempts: Infinity }, this.failures)!);
		if (err && (this.failures === 1 || this.failures % 10 === 0)) {
			this.opts.log.warn({ err: { message: (err as Error).message }, failed_tries: this.failures, retry_in_ms: wait }, "Cannot reach RabbitMQ; trying again");
		}
		this.timer = setTimeout(() => {
			this.connecting = this.connect();
		}, wait);
		this.timer.unref();
	}
}
