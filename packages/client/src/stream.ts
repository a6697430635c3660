/**
 * Follows one execution's message stream over the plain WebSocket endpoint
 * (`/ws/connect`): subscribes from a sequence number, yields each message of the run as
 * the server sends it, reconnects after a drop and resumes after the last sequence number
 * seen (no gaps, no repeats), and ends when the run ends.
 */
import { ApiError, ConnectionError } from "./errors";
import { isTerminal, type Execution } from "./types";

/** A message of a run's stream (the summary's envelope): `event` or `workflow_status`. */
export interface StreamMessage {
	type: "event" | "workflow_status";
	data: Record<string, unknown>;
	timestamp: string;
	workflow_id: string;
	execution_id: string;
	/** Increasing (not contiguous) position in the run's stream. */
	seq: number;
}

export interface WatchOptions {
	/** Resume after this sequence number (0, the default, starts at the run's beginning). */
	since?: number;
	/** Stops following (the iterator ends). */
	signal?: AbortSignal;
	/** Reconnect attempts in a row before giving up with a ConnectionError. */
	maxReconnects?: number;
}

export interface StreamSource {
	baseUrl: string;
	credential(): Promise<string | undefined>;
	/** The execution over HTTP: tells whether a run that sends nothing more has already ended. */
	execution(id: string): Promise<Execution>;
	/** Spends the refresh token after the socket refused an expired access token. */
	refresh(): Promise<boolean>;
}

// Waits between reconnects grow from the first to the last (ms): a restarting gateway is back within seconds.
const RECONNECT_MIN_DELAY = 100;
const RECONNECT_MAX_DELAY = 5_000;
const DEFAULT_MAX_RECONNECTS = 10;
// WebSocket close code for a refused credential (policy violation).
const CLOSE_POLICY = 1008;

type Frame = { kind: "message"; value: Record<string, unknown> } | { kind: "closed"; code: number; reason: string } | { kind: "failed"; error: Error };

/** One WebSocket connection as a queue of frames the follower awaits in order. */
class Connection {
	private readonly frames: Frame[] = [];
	private wake: (() => void) | null = null;
	private readonly ws: WebSocket;
	private ended = false;

	constructor(url: string) {
		this.ws = new WebSocket(url);
		this.ws.addEventListener("message", event => {
			try {
				this.push({ kind: "message", value: JSON.parse(String(event.data)) as Record<string, unknown> });
			} catch {
				// Not JSON: not part of the protocol; ignore it.
			}
		});
		this.ws.addEventListener("close", event => this.push({ kind: "closed", code: event.code, reason: event.reason }));
		this.ws.addEventListener("error", event => this.push({ kind: "failed", error: (event as unknown as { error?: Error }).error ?? new Error("WebSocket error") }));
	}

	send(value: unknown): void {
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(value));
	}

	close(): void {
		if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
	}

	async next(signal?: AbortSignal): Promise<Frame | null> {
		while (!this.frames.length) {
			if (this.ended || signal?.aborted) return null;
			await new Promise<void>(resolve => {
				this.wake = resolve;
				signal?.addEventListener("abort", () => resolve(), { once: true });
			});
			this.wake = null;
		}
		const frame = this.frames.shift()!;
		if (frame.kind !== "message") this.ended = true;
		return frame;
	}

	private push(frame: Frame): void {
		this.frames.push(frame);
		this.wake?.();
	}
}

const socketUrl = (baseUrl: string, credential: string | undefined) => {
	const url = new URL("/ws/connect", baseUrl);
	url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
	if (credential) url.searchParams.set("token", credential);
	return url.toString();
};

const sleep = (ms: number, signal?: AbortSignal) =>
	new Promise<void>(resolve => {
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
	});

export async function* followExecution(source: StreamSource, executionId: string, opts: WatchOptions = {}): AsyncGenerator<StreamMessage, void, undefined> {
	let since = opts.since ?? 0;
	let failures = 0;
	let refreshed = false;
	const maxReconnects = opts.maxReconnects ?? DEFAULT_MAX_RECONNECTS;
	while (!opts.signal?.aborted) {
		const conn = new Connection(socketUrl(source.baseUrl, await source.credential()));
		let ended = false;
		let checkedRun = false;
		try {
			for (let frame = await conn.next(opts.signal); frame; frame = await conn.next(opts.signal)) {
				if (frame.kind === "closed") {
					if (frame.code === CLOSE_POLICY) {
						// An access token that expired while we followed: refresh once, else the credential is refused.
						if (!refreshed && (await source.refresh())) {
							refreshed = true;
							break;
						}
						throw new ApiError(401, { error: "unauthorized", message: `The stream refused the credential: ${frame.reason || "unauthorized"}` });
					}
					break;
				}
				if (frame.kind === "failed") break;
				const m = frame.value;
				if (m.type === "connected") {
					conn.send({ action: "subscribe", execution_id: executionId, since });
				} else if (m.type === "error") {
					const data = (m.data ?? {}) as Record<string, unknown>;
					if (data.error === "unavailable") break;
					throw new ApiError(data.error === "not_found" ? 404 : data.error === "forbidden" ? 403 : 400, { error: data.error, message: data.message, detail: data.field ? { field: data.field } : undefined });
				} else if (m.type === "subscribed") {
					failures = 0;
					refreshed = false;
					// The replay follows the acknowledgement at once; a ping after it answers only once the replay is in.
					conn.send({ action: "ping", request_id: "replayed" });
				} else if (m.type === "pong" && (m.data as { request_id?: unknown } | undefined)?.request_id === "replayed" && !checkedRun) {
					checkedRun = true;
					// A run that ended before this server kept its stream sends nothing more: the execution tells.
					if (isTerminal((await source.execution(executionId)).status)) {
						conn.send({ action: "ping", request_id: "drained" });
					}
				} else if (m.type === "pong" && (m.data as { request_id?: unknown } | undefined)?.request_id === "drained") {
					ended = true;
					return;
				} else if ((m.type === "event" || m.type === "workflow_status") && m.execution_id === executionId && typeof m.seq === "number") {
					if (m.seq <= since) continue; // already seen before a reconnect
					since = m.seq;
					yield m as unknown as StreamMessage;
					if (m.type === "workflow_status" && isTerminal(String((m.data as { status?: unknown }).status))) {
						ended = true;
						return;
					}
				}
			}
		} finally {
			conn.close();
		}
		if (ended || opts.signal?.aborted) return;
		if (++failures > maxReconnects) throw new ConnectionError(`Lost the stream of execution ${executionId} and could not reconnect`, source.baseUrl);
		if (!refreshed || failures > 1) await sleep(Math.min(RECONNECT_MAX_DELAY, RECONNECT_MIN_DELAY * 2 ** (failures - 1)), opts.signal);
	}
}
