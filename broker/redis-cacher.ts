import { Cachers } from "moleculer";
import type Redis from "ioredis";
import { ConnectionState, type ConnectionLog } from "../lib/connection-state";

/** Longest a cache command may wait (ms): a cache that does not answer is a miss, not a hung request. */
const CACHE_COMMAND_TIMEOUT_MS = 1000;

/**
 * Moleculer's Redis cacher, for a Redis that may go away:
 * - quiet: Moleculer's own logs an error line (with an empty message for a refused
 *   connection) on every reconnect attempt; this one logs the outage once and its end once;
 * - a cache, never a dependency: while it is down cached actions run their handlers
 *   (Moleculer skips a cacher that is not connected), a read that fails is a miss, and a
 *   write or a clean that fails is logged, never an error for the request (Moleculer does
 *   not wait for a write: its failure would be an unhandled rejection). Entries written
 *   before an outage expire with their TTL (CACHE_TTL).
 */
export class RedisCacher extends Cachers.Redis {
	override init(broker: Parameters<InstanceType<typeof Cachers.Redis>["init"]>[0]): void {
		super.init(broker);
		const client = this.client as Redis;
		// Moleculer builds the client from a URL alone; ioredis reads this option at each command.
		client.options.commandTimeout = CACHE_COMMAND_TIMEOUT_MS;
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

	override get(key: string): Promise<Record<string, unknown> | null> {
		return super.get(key).catch(() => this.opts.missingResponse as null);
	}

	override set(key: string, data: unknown, ttl?: number): Promise<void> {
		return super.set(key, data, ttl).catch((err: Error) => this.logger.debug(`Cache write of ${key} failed: ${err.message}`));
	}

	override del(key: string | string[]): Promise<void> {
		return super.del(key).catch((err: Error) => this.logger.warn(`Cache delete failed (the entries expire with their TTL): ${err.message}`));
	}

	override clean(match?: string | string[]): Promise<void> {
		return super.clean(match).catch((err: Error) => this.logger.warn(`Cache clean failed (the entries expire with their TTL): ${err.message}`));
	}
}
