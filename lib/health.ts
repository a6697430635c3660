import amqp from "amqplib";
import type Redis from "ioredis";

export type DependencyStatus = "ok" | "down" | "not_configured";

export interface HealthReport {
	status: "ok" | "unhealthy";
	version: string;
	timestamp: string;
	node_id: string;
	mode: "embedded" | "cluster";
	database: DependencyStatus;
	redis: DependencyStatus;
	rabbitmq: DependencyStatus;
	nats: DependencyStatus;
}

/** Told why a dependency is down; the public report says only `down` (the reason can name internal hosts). */
export type OnDown = (dependency: string, err: Error) => void;

export type Check = () => Promise<void>;

/** How long one dependency check may take before it counts as down (ms). */
export const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout;
	return Promise.race([
		p,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
		})
	]).finally(() => clearTimeout(timer));
}

/** Runs the configured checks in parallel; a missing check is `not_configured`, a failing one `down` (its error goes to `onDown`). */
export async function runHealthChecks(
	checks: Partial<Record<"database" | "redis" | "rabbitmq" | "nats", Check>>,
	info: { version: string; nodeID: string; mode: "embedded" | "cluster" },
	onDown?: OnDown,
	now = new Date()
): Promise<HealthReport> {
	const names = ["database", "redis", "rabbitmq", "nats"] as const;
	const results = await Promise.all(
		names.map(async (name): Promise<DependencyStatus> => {
			const check = checks[name];
			if (!check) return "not_configured";
			try {
				await withTimeout(check(), CHECK_TIMEOUT_MS, name);
				return "ok";
			} catch (err) {
				onDown?.(name, err as Error);
				return "down";
			}
		})
	);
	return {
		status: results.includes("down") ? "unhealthy" : "ok",
		version: info.version,
		timestamp: now.toISOString(),
		node_id: info.nodeID,
		mode: info.mode,
		database: results[0],
		redis: results[1],
		rabbitmq: results[2],
		nats: results[3]
	};
}

export function redisCheck(client: Redis): Check {
	return async () => {
		const pong = await client.ping();
		if (pong !== "PONG") throw new Error(`Redis answered ${pong}`);
	};
}

/**
 * Opens and closes an AMQP connection. Results are kept for a few seconds so that
 * frequent probes do not open a connection each.
 */
export function amqpCheck(url: string, cacheMs = 5000): Check {
	let last: { at: number; error?: Error } | undefined;
	return async () => {
		if (!last || Date.now() - last.at > cacheMs) {
			try {
				const conn = await amqp.connect(url, { timeout: CHECK_TIMEOUT_MS });
				await conn.close();
				last = { at: Date.now() };
			} catch (err) {
				last = { at: Date.now(), error: new Error(`RabbitMQ: ${(err as Error).message}`) };
			}
		}
		if (last.error) throw last.error;
	};
}
