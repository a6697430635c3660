import { Transporters } from "moleculer";
import type { NatsConnection } from "nats";
import type { ConnectionState } from "../lib/connection-state";

type NatsOptions = ConstructorParameters<typeof Transporters.NATS>[0];

/**
 * Moleculer's NATS transporter, telling the truth about its connection. Moleculer's own
 * counts itself connected until the client closes for good, through any outage; this one
 * follows the client's status into `state` (health checks and the outage middleware read
 * it), and on reconnect announces this node again the way Moleculer's other transporters
 * do (INFO to every node, DISCOVER of every node), so registries refill at once instead of
 * at the next heartbeat.
 */
export class NatsTransporter extends Transporters.NATS {
	constructor(
		opts: NatsOptions,
		private readonly state: ConnectionState
	) {
		super(opts);
	}

	override async connect(): Promise<void> {
		await super.connect();
		this.state.up();
		void this.follow(this.client as NatsConnection);
	}

	private async follow(client: NatsConnection): Promise<void> {
		for await (const status of client.status()) {
			if (status.type === "disconnect") this.state.down(new Error(`disconnected from NATS ${String(status.data)}`));
			else if (status.type === "reconnect") {
				this.state.up();
				this.onConnected(true).catch((err: Error) => this.logger.warn({ err }, "Announcing this node after a NATS reconnect failed; heartbeats will"));
			}
		}
		// The client closed: the broker is stopping (or gave up reconnecting).
		this.state.down(new Error("the NATS client closed"));
	}
}
