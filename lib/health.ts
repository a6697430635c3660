import amqp from "amqplib";
import type Redis from "ioredis";
import type { ConnectionState } from "./connection-state";

export type DependencyStatus = "ok" | "down" | "not_configured";
export type DiskStatus = "ok" | "low" | "not_checked";
export type Dependency = "database" | "redis" | "rabbitmq" | "nats";

/**
 * Without these a node serves nothing: its health and readiness fail (503). Redis and
 * RabbitMQ only degrade it (the cache, sign-in limits and event delivery wait; the outbox
 * keeps every event), so they never take a node out of its load balancer.
 */
const ESSENTIAL: ReadonlySet<Dependency> = new Set(["database", "nats"]);

export interface HealthReport {
	/** ok and degraded answer 200; unhealthy (an essential dependency down) and starting (routes not built yet) 503. */
	status: "ok" | "degraded" | "unhealthy" | "starting";
	version: string;
	timestamp: string;
	node_id: string;
	mode: "embedded" | "cluster";
	database: DependencyStatus;
	redis: DependencyStatus;
	rabbitmq: DependencyStatus;
	nats: DependencyStatus;
	/** The data directory's free space (embedded): `low` once new work is refused. */
	disk: DiskStatus;
	/** What is down or low without stopping the node (Redis, RabbitMQ, the disk). */
	degraded: string[];
}

/** Told why a dependency is down; the public report says only `down` (the reason can name internal hosts). */
export type OnDown = (dependency: string, err: Error) => void;

export type Check = () => Promise<void>;

export interface HealthInputs {
	checks: Partial<Record<Dependency, Check>>;
	/** The disk guard's reading, where there is one (embedded). */
	disk?: () => DiskStatus;
	/** The node has not finished starting (the gateway's routes are not built). */
	starting?: boolean;
}

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
	inputs: HealthInputs,
	info: { version: string; nodeID: string; mode: "embedded" | "cluster" },
	onDown?: OnDown,
	now = new Date()
): Promise<HealthReport> {
	const names = ["database", "redis", "rabbitmq", "nats"] as const;
	const results = await Promise.all(
		names.map(async (name): Promise<DependencyStatus> => {
			const check = inputs.checks[name];
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
	const disk = inputs.disk?.() ?? "not_checked";
	const down = names.filter((_, i) => results[i] === "down");
	const degraded = [...down.filter(name => !ESSENTIAL.has(name)), ...(disk === "low" ? ["disk"] : [])];
	const status = inputs.starting ? "starting" : down.some(name => ESSENTIAL.has(name)) ? "unhealthy" : degraded.length ? "degraded" : "ok";
	return {
		status,
		version: info.version,
		timestamp: now.toISOString(),
		node_id: info.nodeID,
		mode: info.mode,
		database: results[0],
		redis: results[1],
		rabbitmq: results[2],
		nats: results[3],
		disk,
		degraded
	};
}

/** 200 while the node serves (degraded included), 503 when it cannot or has not started. */
export function healthStatusCode(report: HealthReport): 200 | 503 {
	return report.status === "ok" || report.status === "degraded" ? 200 : 503;
}

/** The readiness probe's answer from a health report: ready exactly when health answers 200. */
export function readinessAnswer(report: HealthReport): { status: 200 | 503; body: Omit<HealthReport, "status"> & { status: "ready" | "not_ready" } } {
	const code = healthStatusCode(report);
	return { status: code, body: { ...report, status: code === 200 ? "ready" : "not_ready" } };
}

/** NATS as the transporter's client reports it (see broker/nats-transporter.ts), not as Moleculer assumes. */
export function connectionCheck(state: ConnectionState): Check {
	return async () => {
		if (!state.isUp) throw new Error(`not connected to ${state.name} since ${new Date(state.downSince ?? Date.now()).toISOString()}`);
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
