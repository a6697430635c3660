import path from "node:path";
import type Redis from "ioredis";
import type { Logger } from "pino";
import { MIGRATIONS } from "../migrations";
import { loadTokenKeys, type TokenKeys } from "./auth/keys";
import type { Config } from "./config";
import { ConnectionState } from "./connection-state";
import { migrate, openDatabase, type Database } from "./db";
import { Isolation } from "./isolation";
import { DiskGuard, type FreeSpace } from "./db/disk-guard";
import type { RestDeclaration } from "./route-catalog";
import { SecretCipher, secretsKeyOf } from "./secrets/cipher";

/**
 * Longest a Redis command may wait, queued while the client reconnects included (ms): past
 * it the caller gets an error (a 503 to clients) instead of hanging through an outage.
 */
const REDIS_COMMAND_TIMEOUT_MS = 1000;
/** How often an embedded node reads its data directory's free space (ms). */
const DISK_CHECK_INTERVAL_MS = 2000;

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
	private diskTimer?: NodeJS.Timeout;
	/** Embedded: whether the data directory has room for new work (absent in a cluster, where PostgreSQL guards its disk). */
	disk?: DiskGuard;
	private keys?: TokenKeys;
	private cipher?: SecretCipher;
	private sandbox?: Isolation;
	private closing = false;
	private readonly shutdownListeners: (() => void)[] = [];
	/** Sees every SQL statement with its duration (metrics, spans); set before the database is first opened. */
	queryObserver?: (sql: string, ms: number) => void;
	/** The schemas of every service a node could run, for the gateway's routes to services no node offers right now. */
	serviceCatalog?: () => RestDeclaration[];
	/** Reads the data directory's free space (embedded); tests set a low reading here instead of filling a disk. */
	freeSpace?: FreeSpace;

	/** This node's connection to NATS as its transporter reports it; absent without a transporter. */
	readonly transport?: ConnectionState;

	constructor(
		readonly config: Config,
		readonly logger: Logger
	) {
		if (config.TRANSPORTER) this.transport = new ConnectionState("NATS", logger.child({ node_id: config.nodeID, service: "transporter" }));
	}

	/** The database, opened and migrated once per process. */
	database(): Promise<Database> {
		if (!this.db) {
			this.db = (async () => {
				const db = await openDatabase(this.config, this.queryObserver, this.logger.child({ node_id: this.config.nodeID, service: "database" }));
				await this.watchDisk();
				const applied = await migrate(db, MIGRATIONS);
				if (applied.length) this.logger.info({ migrations: applied }, "Applied database migrations");
				this.opened = db;
				return db;
			})();
			this.db.catch(() => (this.db = undefined));
		}
		return this.db;
	}

	/**
	 * Embedded, the data directory's free space: read now and every few seconds while the
	 * database is open (new work is refused while it is low; see disk-guard.ts).
	 */
	private async watchDisk(): Promise<void> {
		const { storage } = this.config.database;
		if (this.config.database.dialect !== "sqlite" || !storage || this.disk) return;
		const disk = new DiskGuard({
			dir: path.dirname(storage),
			minFreeBytes: this.config.DATA_DIR_MIN_FREE,
			freeSpace: this.freeSpace,
			log: this.logger.child({ node_id: this.config.nodeID, service: "database" })
		});
		await disk.check();
		let checking = false;
		this.diskTimer = setInterval(() => {
			if (checking) return;
			checking = true;
			void disk.check().finally(() => (checking = false));
		}, DISK_CHECK_INTERVAL_MS);
		this.diskTimer.unref();
		this.disk = disk;
	}

	/** The database if it is open already (metrics read its pool without opening it). */
	get openedDatabase(): Database | undefined {
		return this.opened;
	}

	/** Keys that sign and verify JWTs on this node. */
	tokenKeys(): TokenKeys {
		return (this.keys ??= loadTokenKeys(this.config));
	}

	/** What encrypts and decrypts users' secrets; throws SecretsUnavailable in a cluster without SECRETS_ENCRYPTION_KEY. */
	secretCipher(): SecretCipher {
		return (this.cipher ??= new SecretCipher(secretsKeyOf(this.config), this.config.SECRETS_PREVIOUS_KEYS));
	}

	/** The shared Redis client, or undefined when REDIS_URL is not set. */
	redis(): Redis | undefined {
		if (!this.config.REDIS_URL) return undefined;
		if (!this.redisClient) {
			// Loaded on first use: an embedded node without REDIS_URL never needs the client.
			const IORedis = require("ioredis") as typeof import("ioredis").default;
			const client = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
			// ioredis reports every failed reconnect; the state logs the outage once and its end once.
			const state = new ConnectionState("Redis", this.logger.child({ node_id: this.config.nodeID, service: "redis" }));
			client.on("error", err => state.down(err));
			client.on("ready", () => state.up());
			this.redisClient = client;
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
		clearInterval(this.diskTimer);
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
