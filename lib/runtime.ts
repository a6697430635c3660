import type Redis from "ioredis";
import type { Logger } from "pino";
import { MIGRATIONS } from "../migrations";
import { loadTokenKeys, type TokenKeys } from "./auth/keys";
import type { Config } from "./config";
import { migrate, openDatabase, type Database } from "./db";
import { Isolation } from "./isolation";

/**
 * What one process holds open for its services: the configuration, the database
 * (migrated on first use), the shared Redis client. Services reach it through the
 * broker they run on (`runtimeOf(broker)`), so two brokers in one test process
 * never share state by accident.
 */
export class Runtime {
	private db?: Promise<Database>;
	private opened?: Database;
	private redisClient?: Redis;
	private keys?: TokenKeys;
	private sandbox?: Isolation;
	private closing = false;
	private readonly shutdownListeners: (() => void)[] = [];
	/** Sees every SQL statement with its duration (metrics, spans); set before the database is first opened. */
	queryObserver?: (sql: string, ms: number) => void;

	constructor(
		readonly config: Config,
		readonly logger: Logger
	) {}

	/** The database, opened and migrated once per process. */
	database(): Promise<Database> {
		if (!this.db) {
			this.db = (async () => {
				const db = await openDatabase(this.config, this.queryObserver);
				const applied = await migrate(db, MIGRATIONS);
				if (applied.length) this.logger.info({ migrations: applied }, "Applied database migrations");
				this.opened = db;
				return db;
			})();
			this.db.catch(() => (this.db = undefined));
		}
		return this.db;
	}

	/** The database if it is open already (metrics read its pool without opening it). */
	get openedDatabase(): Database | undefined {
		return this.opened;
	}

	/** Keys that sign and verify JWTs on this node. */
	tokenKeys(): TokenKeys {
		return (this.keys ??= loadTokenKeys(this.config));
	}

	/** The shared Redis client, or undefined when REDIS_URL is not set. */
	redis(): Redis | undefined {
		if (!this.config.REDIS_URL) return undefined;
		if (!this.redisClient) {
			// Loaded on first use: an embedded node without REDIS_URL never needs the client.
			const IORedis = require("ioredis") as typeof import("ioredis").default;
			this.redisClient = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
			this.redisClient.on("error", err => this.logger.warn({ err: { message: err.message } }, "Redis connection error"));
		}
		return this.redisClient;
	}

	/** Where this process runs user work (expressions, conditions, uploads): worker processes under limits, started on first use. */
	isolation(): Isolation {
		return (this.sandbox ??= new Isolation({
			workers: this.config.ISOLATION_WORKERS,
			workerMemoryBytes: this.config.ISOLATION_WORKER_MEMORY,
			maxOutputBytes: this.config.STEP_MAX_OUTPUT_BYTES,
			parseTimeoutMs: this.config.WORKFLOW_PARSE_TIMEOUT
		}));
	}

	get isClosing(): boolean {
		return this.closing;
	}

	/** Registers what to do the moment draining begins (stop accepting connections). */
	onShutdown(listener: () => void): void {
		this.shutdownListeners.push(listener);
	}

	/** Marks the process as draining: readiness turns false and listeners stop taking new work. */
	beginShutdown(): void {
		if (this.closing) return;
		this.closing = true;
		for (const listener of this.shutdownListeners) listener();
	}

	async close(): Promise<void> {
		this.beginShutdown();
		const db = this.db;
		this.db = undefined;
		this.opened = undefined;
		if (db) await (await db.catch(() => undefined))?.close();
		if (this.redisClient) {
			await this.redisClient.quit().catch(() => undefined);
			this.redisClient = undefined;
		}
		await this.sandbox?.close();
		this.sandbox = undefined;
	}
}

const runtimes = new WeakMap<object, Runtime>();

export function attachRuntime(broker: object, runtime: Runtime): void {
	runtimes.set(broker, runtime);
}

export function runtimeOf(broker: object): Runtime {
	const runtime = runtimes.get(broker);
	if (!runtime) throw new Error("No CognitionOS runtime is attached to this broker (create it with createBroker())");
	return runtime;
}
