import { io, type Socket } from "socket.io-client";
import type { Envelope } from "../../lib/realtime/messages";

export const SERVER_MESSAGE_TYPES = ["connected", "subscribed", "unsubscribed", "workflow_status", "event", "notification", "pong", "stats", "error"] as const;

/** A real-time client under test: what it received, in order, and a way to wait for more. */
export interface RealtimeTestClient {
	readonly transport: "websocket" | "socketio";
	readonly messages: Envelope[];
	send(request: Record<string, unknown>): void;
	/** Resolves with the first message (from index `from` on) that matches; rejects after `timeoutMs`. */
	waitFor(match: (m: Envelope) => boolean, opts?: { from?: number; timeoutMs?: number }): Promise<Envelope>;
	/** Sends `request` and waits for the answer of type `type` that follows it. */
	request(request: Record<string, unknown>, type: Envelope["type"] | "error"): Promise<Envelope>;
	/** Drops the connection without a goodbye (as a network failure would). */
	drop(): void;
	close(): Promise<void>;
}

class MessageLog {
	readonly messages: Envelope[] = [];
	private waiters: (() => void)[] = [];

	push(m: Envelope): void {
		this.messages.push(m);
		const waiters = this.waiters;
		this.waiters = [];
		for (const w of waiters) w();
	}

	waitFor(match: (m: Envelope) => boolean, from = 0, timeoutMs = 15000): Promise<Envelope> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`No matching message after ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(from).map(m => m.type))}`)), timeoutMs);
			const check = () => {
				const found = this.messages.slice(from).find(match);
				if (found) {
					clearTimeout(timer);
					resolve(found);
				} else this.waiters.push(check);
			};
			check();
		});
	}
}

/** The summary's client example, with Node's built-in (browser-compatible) WebSocket. */
export async function connectWebSocket(baseUrl: string, token: string): Promise<RealtimeTestClient & { closed: Promise<{ code: number; reason: string }> }> {
	const log = new MessageLog();
	const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ws/connect?token=${encodeURIComponent(token)}`);
	const closed = new Promise<{ code: number; reason: string }>(resolve => ws.addEventListener("close", e => resolve({ code: e.code, reason: e.reason })));
	ws.addEventListener("message", e => log.push(JSON.parse(String(e.data)) as Envelope));
	await new Promise<void>((resolve, reject) => {
		ws.addEventListener("open", () => resolve());
		ws.addEventListener("error", () => reject(new Error("WebSocket error")));
	});
	const client = {
		transport: "websocket" as const,
		messages: log.messages,
		closed,
		send: (r: Record<string, unknown>) => ws.send(JSON.stringify(r)),
		waitFor: (match: (m: Envelope) => boolean, opts: { from?: number; timeoutMs?: number } = {}) => log.waitFor(match, opts.from, opts.timeoutMs),
		async request(r: Record<string, unknown>, type: Envelope["type"]) {
			const from = log.messages.length;
			ws.send(JSON.stringify(r));
			return log.waitFor(m => m.type === type || m.type === "error", from);
		},
		// Node's WebSocket has no terminate; closing without waiting for the answer is what the server sees of a drop.
		drop: () => ws.close(),
		async close() {
			if (ws.readyState !== ws.CLOSED) {
				ws.close();
				await closed;
			}
		}
	};
	return client;
}

/** A WebSocket that is expected to be refused: resolves with its close code and reason. */
export function refusedWebSocket(baseUrl: string, token: string): Promise<{ code: number; reason: string; messages: number }> {
	const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ws/connect?token=${encodeURIComponent(token)}`);
	let messages = 0;
	ws.addEventListener("message", () => messages++);
	return new Promise(resolve => ws.addEventListener("close", e => resolve({ code: e.code, reason: e.reason, messages })));
}

export async function connectSocketIo(baseUrl: string, token: string): Promise<RealtimeTestClient & { socket: Socket }> {
	const log = new MessageLog();
	const socket = io(baseUrl, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
	for (const type of SERVER_MESSAGE_TYPES) socket.on(type, (m: Envelope) => log.push(m));
	await new Promise<void>((resolve, reject) => {
		socket.once("connect", () => resolve());
		socket.once("connect_error", err => reject(err));
	});
	return {
		transport: "socketio",
		socket,
		messages: log.messages,
		send({ action, ...payload }) {
			socket.emit(String(action), payload);
		},
		waitFor: (match, opts = {}) => log.waitFor(match, opts.from, opts.timeoutMs),
		async request({ action, ...payload }, type) {
			const from = log.messages.length;
			socket.emit(String(action), payload);
			return log.waitFor(m => m.type === type || m.type === "error", from);
		},
		drop: () => socket.io.engine.close(),
		async close() {
			socket.disconnect();
		}
	};
}

/** A socket.io handshake expected to fail: resolves with the connect_error. */
export function refusedSocketIo(baseUrl: string, token: string): Promise<Error & { data?: Record<string, unknown> }> {
	const socket = io(baseUrl, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
	return new Promise((resolve, reject) => {
		socket.once("connect", () => {
			socket.disconnect();
			reject(new Error("connected with a bad token"));
		});
		socket.once("connect_error", err => {
			socket.disconnect();
			resolve(err as Error & { data?: Record<string, unknown> });
		});
	});
}

export const connectors = {
	websocket: connectWebSocket,
	socketio: connectSocketIo
};

/** Sequence numbers of one execution's messages, in the order received. */
export function seqsOf(messages: Envelope[], executionId: string): number[] {
	return messages.filter(m => m.execution_id === executionId && typeof m.seq === "number").map(m => m.seq!);
}
