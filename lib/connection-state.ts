/** Where a connection's changes are told: one line when it goes down, one when it comes back. */
export interface ConnectionLog {
	warn(fields: object, msg: string): void;
	info(fields: object, msg: string): void;
}

/** Why a client connection failed, in words: ioredis reports a refused dual-stack connect as an AggregateError with no message. */
export function describeConnectionError(err: unknown): { message: string; code?: string } {
	const e = err as { message?: string; code?: string; errors?: { message?: string }[] } | undefined;
	const inner = Array.isArray(e?.errors) ? e.errors.map(x => x?.message).filter(Boolean).join("; ") : "";
	const message = e?.message || inner || String(err ?? "unknown error");
	return e?.code ? { message, code: e.code } : { message };
}

/**
 * Whether one connection to a dependency (NATS, Redis) is up, as its client reports it.
 * Clients report every failed reconnect attempt; this keeps the state and logs only its
 * changes, so an outage is two lines, not one per attempt.
 */
export class ConnectionState {
	/** Null until the client first connects or fails to. */
	private upNow: boolean | null = null;
	private changedAt: number;
	private lastReconnect: number | null = null;
	private readonly listeners = new Set<() => void>();

	constructor(
		/** The dependency, as the logs name it. */
		readonly name: string,
		private readonly log: ConnectionLog,
		private readonly now: () => number = Date.now
	) {
		this.changedAt = now();
	}

	get isUp(): boolean {
		return this.upNow === true;
	}

	/** Since when the connection has been down or not yet made (ms epoch), or null while it is up. */
	get downSince(): number | null {
		return this.upNow ? null : this.changedAt;
	}

	/** When the connection last came back after being lost (ms epoch); null if it never was lost. */
	get reconnectedAt(): number | null {
		return this.lastReconnect;
	}

	/** The client is connected (again). */
	up(): void {
		if (this.upNow) return;
		const wasDown = this.upNow === false;
		const downMs = this.now() - this.changedAt;
		this.upNow = true;
		this.changedAt = this.now();
		if (!wasDown) return;
		this.lastReconnect = this.changedAt;
		this.log.info({ dependency: this.name, down_ms: downMs }, `Connection to ${this.name} is back`);
	}

	/** The client lost its connection, or failed to make one; `err` says why. */
	down(err?: unknown): void {
		if (this.upNow === false) return;
		const first = this.upNow === null;
		this.upNow = false;
		this.changedAt = this.now();
		const why = err === undefined ? {} : { err: describeConnectionError(err) };
		this.log.warn({ dependency: this.name, ...why }, first ? `Cannot connect to ${this.name}; retrying` : `Connection to ${this.name} lost; retrying`);
		for (const listener of [...this.listeners]) listener();
	}

	/** Calls `listener` each time the connection goes down, until the returned function is called. */
	onDown(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}
