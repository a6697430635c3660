import { Cachers } from "moleculer";
import type Redis from "ioredis";
import { ConnectionState, type ConnectionLog } from "../lib/connection-state";

/**
 * Moleculer's Redis cacher, quiet while Redis is down: Moleculer's own logs an error line
 * (with an empty message for a refused connection) on every reconnect attempt. This one
 * logs the outage once and its end once. While Redis is down, cached actions run their
 * handlers (Moleculer's cacher skips itself while it is not connected).
 */
export class RedisCacher extends Cachers.Redis {
	override init(broker: Parameters<InstanceType<typeof Cachers.Redis>["init"]>[0]): void {
		super.init(broker);
		const client = this.client as Redis;
		const state = new ConnectionState("Redis (cache)", this.logger as unknown as ConnectionLog);
		client.removeAllListeners("error");
		client.removeAllListeners("ready");
		client.on("error", (err: Error) => {
			this.connected = false;
			state.down(err);
		});
		client.on("ready", () => {
			this.connected = true;
			state.up();
		});
	}
}
