import type { Dialect, SqlRunner } from "../db/database";
import type { DomainEvent } from "./outbox";

/** A notification a handler created, announced once its transaction has committed. */
export interface NotificationRecord {
	id: string;
	user_id: string;
	kind: "info" | "alert";
	title: string;
	message: string;
	event_id: string;
	event_type: string;
	workflow_id: string | null;
	execution_id: string | null;
	data: Record<string, unknown>;
	created_at: number;
	read_at: number | null;
}

/** What a handler's transaction leaves to do after it commits. */
export interface HandlerEffects {
	notifications: NotificationRecord[];
	/** Webhook deliveries queued (the webhook sender is told to look now). */
	webhookDeliveries: number;
}

export interface HandlerContext {
	/** The handler's transaction: its inbox row and its effects commit together. */
	tx: SqlRunner;
	dialect: Dialect;
	now: number;
	effects: HandlerEffects;
}

/**
 * One of the bus's handlers: it is bound to `events` (routing keys), gets a durable queue
 * `<exchange>.<name>`, and sees each event at most once in effect (the inbox).
 */
export interface EventHandler {
	readonly name: string;
	readonly events: readonly string[];
	handle(event: DomainEvent, hc: HandlerContext): Promise<void>;
}

/**
 * A handler refused an event. `final` failures (a malformed event) go to the dead-letter
 * queue at once: trying again cannot help, only a fix and a replay can.
 */
export class HandlerFailure extends Error {
	constructor(
		message: string,
		readonly type: string,
		readonly final = false
	) {
		super(message);
		this.name = "HandlerFailure";
	}
}

/** The error's type for headers, dead letters and logs. */
export function failureType(err: unknown): string {
	if (err instanceof HandlerFailure) return err.type;
	const e = err as { code?: unknown; name?: unknown };
	if (typeof e?.code === "string" && e.code) return e.code;
	return typeof e?.name === "string" && e.name !== "Error" ? e.name : "handler_error";
}

export function failureMessage(err: unknown): string {
	return ((err as Error)?.message ?? String(err)).slice(0, 2000);
}

export const isFinalFailure = (err: unknown): boolean => err instanceof HandlerFailure && err.final;

/** Connection failures of PostgreSQL and the network, and SQLite's disk errors: no fault of the event. */
const UNAVAILABLE_CODES = /^(08|57P0[123]|53300|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|SQLITE_(IOERR|FULL|CANTOPEN))/;

/**
 * The database could not be reached: the event is not at fault, so the try does not count
 * (an outage longer than all the backoff waits must not send every event to the dead letters).
 */
export function isUnavailable(err: unknown): boolean {
	const e = err as { code?: unknown; name?: unknown; message?: unknown; parent?: { code?: unknown } };
	const code = String(e?.parent?.code ?? e?.code ?? "");
	if (UNAVAILABLE_CODES.test(code)) return true;
	if (typeof e?.name === "string" && /^Sequelize(Connection|HostNotReachable|ConnectionRefused|ConnectionAcquireTimeout)/.test(e.name)) return true;
	return typeof e?.message === "string" && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(e.message);
}

/** Parses a message body into an event, or fails for good (no retry makes bad JSON good). */
export function parseEvent(content: string | Buffer): DomainEvent {
	let value: unknown;
	try {
		value = JSON.parse(typeof content === "string" ? content : content.toString("utf8"));
	} catch {
		throw new HandlerFailure("The message body is not JSON", "malformed_event", true);
	}
	const e = value as Partial<DomainEvent> | null;
	if (!e || typeof e !== "object" || Array.isArray(e)) throw new HandlerFailure("The message body is not a JSON object", "malformed_event", true);
	for (const field of ["event_id", "event_type", "occurred_at"] as const) {
		if (typeof e[field] !== "string" || !e[field]) throw new HandlerFailure(`The event has no ${field}`, "malformed_event", true);
	}
	return e as DomainEvent;
}

/** A string field an event must carry, or a final failure naming it. */
export function requiredString(event: DomainEvent, field: string): string {
	const v = event[field];
	if (typeof v !== "string" || v === "") throw new HandlerFailure(`${event.event_type} ${event.event_id} has no ${field}`, "malformed_event", true);
	return v;
}

export function optionalString(event: DomainEvent, field: string): string | null {
	const v = event[field];
	return typeof v === "string" && v !== "" ? v : null;
}
