/**
 * Live updates: socket.io on the gateway's port (the real-time protocol: `subscribe`
 * with an acknowledgement, `workflow_status`, `event`, `notification`), and polling of
 * GET /workflows/executions/{id} whenever the socket is not connected, so a run's page
 * moves on either way.
 */
import { io, type Socket } from "socket.io-client";
import type { Api } from "./api";
import type { Execution } from "./types";

// Polling interval while the socket is down; also the slowest a page falls behind.
const POLL_MS = 1000;
// Several messages in a burst (a step finishing starts the next) cost one read.
const REFRESH_DEBOUNCE_MS = 80;
// A socket refused for its token refreshes the token at most this often (a refresh rotates the session's refresh token).
const TOKEN_REFRESH_MIN_MS = 30_000;

export interface Envelope {
	type: string;
	data: Record<string, unknown>;
	timestamp: string;
	workflow_id?: string;
	execution_id?: string;
	seq?: number;
}

type Listener = (message: Envelope) => void;

export type Transport = "socket" | "polling";

export class Live {
	private socket: Socket | null = null;
	private readonly listeners = new Map<string, Set<Listener>>();
	private readonly notificationListeners = new Set<Listener>();
	private readonly stateListeners = new Set<(t: Transport) => void>();
	/** Executions subscribed, with the last sequence number seen (resume after a reconnect). */
	private readonly subscriptions = new Map<string, number>();
	private readonly confirmed = new Set<string>();
	private lastRefresh = 0;

	constructor(private readonly api: Api) {}

	get transport(): Transport {
		return this.socket?.connected ? "socket" : "polling";
	}

	start(): void {
		if (this.socket) return;
		const socket = io({
			// The token is read at each (re)connection: it changes when the API refreshes it.
			auth: cb => cb({ token: this.api.accessToken ?? "" }),
			transports: ["websocket", "polling"],
			reconnectionDelayMax: 10_000
		});
		this.socket = socket;
		socket.on("connect", () => {
			for (const [id, since] of this.subscriptions) this.emitSubscribe(id, since);
			this.changed();
		});
		socket.on("disconnect", () => {
			this.confirmed.clear();
			this.changed();
		});
		socket.on("connect_error", (err: Error & { data?: { error?: string } }) => {
			// A refused token (expired): refresh it once in a while and let socket.io try again with the new one.
			if (err.data?.error === "unauthorized" && this.api.signedIn && Date.now() - this.lastRefresh > TOKEN_REFRESH_MIN_MS) {
				this.lastRefresh = Date.now();
				void this.api.refresh();
			}
			this.changed();
		});
		for (const type of ["workflow_status", "event"]) socket.on(type, (message: Envelope) => this.deliver(message));
		socket.on("notification", (message: Envelope) => this.notificationListeners.forEach(l => l(message)));
		this.changed();
	}

	stop(): void {
		this.socket?.disconnect();
		this.socket = null;
		this.subscriptions.clear();
		this.confirmed.clear();
		this.changed();
	}

	onTransport(listener: (t: Transport) => void): () => void {
		this.stateListeners.add(listener);
		return () => this.stateListeners.delete(listener);
	}

	onNotification(listener: Listener): () => void {
		this.notificationListeners.add(listener);
		return () => this.notificationListeners.delete(listener);
	}

	/** Messages of one execution until the returned function is called. */
	subscribe(executionId: string, listener: Listener): () => void {
		let set = this.listeners.get(executionId);
		if (!set) {
			set = new Set();
			this.listeners.set(executionId, set);
			// From the start of the run's stream: a page opened mid-run (or after it) still gets the LLM text streamed so far.
			this.subscriptions.set(executionId, 0);
			if (this.socket?.connected) this.emitSubscribe(executionId, 0);
		}
		set.add(listener);
		return () => {
			set.delete(listener);
			if (set.size) return;
			this.listeners.delete(executionId);
			this.subscriptions.delete(executionId);
			this.confirmed.delete(executionId);
			if (this.socket?.connected) this.socket.emit("unsubscribe", { execution_id: executionId });
		};
	}

	/** Whether this execution's messages arrive over the socket now (connected, and the subscription acknowledged). */
	isLive(executionId: string): boolean {
		return Boolean(this.socket?.connected) && this.confirmed.has(executionId);
	}

	private emitSubscribe(executionId: string, since: number): void {
		this.socket?.emit("subscribe", { execution_id: executionId, since }, (answer: Envelope | undefined) => {
			// A refused subscription (`error`) leaves the execution to polling.
			if (answer?.type === "subscribed" && this.subscriptions.has(executionId)) this.confirmed.add(executionId);
			this.changed();
		});
	}

	private deliver(message: Envelope): void {
		const id = message.execution_id ?? (message.data.execution_id as string | undefined);
		if (!id) return;
		if (typeof message.seq === "number" && this.subscriptions.has(id)) {
			if (message.seq <= this.subscriptions.get(id)!) return;
			this.subscriptions.set(id, message.seq);
		}
		this.listeners.get(id)?.forEach(l => l(message));
	}

	private changed(): void {
		const t = this.transport;
		this.stateListeners.forEach(l => l(t));
	}
}

export interface WatchHandlers {
	update(execution: Execution): void;
	/** A piece of an LLM answer as it streams (socket only). */
	token?(stepId: string, delta: string): void;
	/** An agent step's turn, tool call or approval request was journaled (socket only). */
	agent?(stepId: string): void;
	failed?(err: unknown): void;
}

/**
 * Keeps one execution's view current: reads it on every message of its stream while
 * the socket delivers them, and every second while it does not. Returns a stop function.
 */
export function watchExecution(api: Api, live: Live, executionId: string, handlers: WatchHandlers): () => void {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let inFlight: Promise<void> | null = null;
	let again = false;

	const read = async (): Promise<void> => {
		if (inFlight) {
			again = true;
			return inFlight;
		}
		inFlight = (async () => {
			try {
				const execution = await api.get<Execution>(`/workflows/executions/${encodeURIComponent(executionId)}`);
				if (!stopped) handlers.update(execution);
			} catch (err) {
				if (!stopped) handlers.failed?.(err);
			}
		})().finally(() => {
			inFlight = null;
			if (again && !stopped) {
				again = false;
				void read();
			}
		});
		return inFlight;
	};
	let debounce: ReturnType<typeof setTimeout> | null = null;
	const soon = () => {
		if (debounce) return;
		debounce = setTimeout(() => {
			debounce = null;
			void read();
		}, REFRESH_DEBOUNCE_MS);
	};
	const unsubscribe = live.subscribe(executionId, message => {
		if (message.type === "event" && message.data.event_type === "LlmToken") {
			handlers.token?.(String(message.data.step_id ?? ""), String(message.data.delta ?? ""));
			return;
		}
		if (message.type === "event" && String(message.data.event_type).startsWith("Agent")) handlers.agent?.(String(message.data.step_id ?? ""));
		soon();
	});
	const poll = () => {
		timer = setTimeout(async () => {
			if (stopped) return;
			if (!live.isLive(executionId)) await read();
			poll();
		}, POLL_MS);
	};
	// The socket may have missed what happened before the subscription: read once now, and again when it (re)connects.
	const offTransport = live.onTransport(() => live.isLive(executionId) && soon());
	void read();
	poll();
	return () => {
		stopped = true;
		unsubscribe();
		offTransport();
		if (timer) clearTimeout(timer);
		if (debounce) clearTimeout(debounce);
	};
}
