/**
 * The real-time clients of one gateway node, whatever their transport (plain WebSocket or
 * socket.io): who is connected, what each one subscribed to, and delivery with the
 * slow-client policy. Every gateway node has its own hub; each receives every run's
 * messages (the notifier's broadcasts) and delivers them to its own clients.
 */
import { envelope, type Envelope, type ExecutionMessage, type MessageType } from "./messages";
import { ExecutionStreams, type StreamOptions } from "./streams";

export type Transport = "websocket" | "socketio";
export const TRANSPORTS: readonly Transport[] = ["websocket", "socketio"];

export interface ClientUser {
	id: string;
	email: string;
	roles: string[];
}

/** One connected client, as the transport adapters present it to the hub. */
export interface RealtimeClient {
	readonly id: string;
	readonly transport: Transport;
	readonly user: ClientUser;
	/**
	 * Sends one message. `shared` is the same object for every client a message goes to: a
	 * transport keeps its encoding there, so a message sent to a thousand clients is encoded once.
	 */
	send(message: Envelope, shared: Record<string, unknown>): void;
	/** Messages handed to the transport and not yet written to the network. */
	backlog(): number;
	/** Ends the connection from the server side (the client may reconnect and resume). */
	close(reason: "slow_client" | "shutdown"): void;
}

export interface HubObserver {
	connections(transport: Transport, delta: number): void;
	sent(transport: Transport, type: MessageType): void;
	dropped(transport: Transport, reason: "superseded" | "slow_client" | "gap" | "orphan_tokens", count?: number): void;
}

export interface HubOptions {
	nodeId: string;
	maxConnectionsPerUser: number;
	/** A client with this many messages not yet written is disconnected; from half of it on, superseded statuses are skipped. */
	maxBacklog: number;
	streams: Omit<StreamOptions, "deliver" | "onLoss">;
	observer?: HubObserver;
}

export type Target = { kind: "execution"; execution_id: string } | { kind: "workflow"; owner_id: string; workflow_id: string };

interface ClientState {
	client: RealtimeClient;
	subscriptions: Map<string, Target>;
	sent: number;
	dropped: number;
	connectedAt: number;
}

const keyOf = (t: Target) => (t.kind === "execution" ? `x:${t.execution_id}` : `w:${t.owner_id}:${t.workflow_id}`);

export class RealtimeHub {
	readonly streams: ExecutionStreams;
	private readonly clients = new Map<string, ClientState>();
	private readonly byUser = new Map<string, Set<string>>();
	/** Subscribers by target key (`x:<execution>` or `w:<owner>:<workflow>`). */
	private readonly subscribers = new Map<string, Set<string>>();
	private readonly counts: Record<Transport, number> = { websocket: 0, socketio: 0 };

	constructor(private readonly opts: HubOptions) {
		this.streams = new ExecutionStreams({
			...opts.streams,
			deliver: messages => {
				for (const m of messages) this.deliver(m);
			},
			onLoss: (_id, what, count) => {
				for (const t of TRANSPORTS) if (this.counts[t]) opts.observer?.dropped(t, what, count);
			}
		});
	}

	/** Whether `userId` may open one more connection on this node. */
	admits(userId: string): boolean {
		return (this.byUser.get(userId)?.size ?? 0) < this.opts.maxConnectionsPerUser;
	}

	attach(client: RealtimeClient): void {
		this.clients.set(client.id, { client, subscriptions: new Map(), sent: 0, dropped: 0, connectedAt: this.opts.streams.now() });
		let mine = this.byUser.get(client.user.id);
		if (!mine) this.byUser.set(client.user.id, (mine = new Set()));
		mine.add(client.id);
		this.counts[client.transport]++;
		this.opts.observer?.connections(client.transport, 1);
		this.send(client, this.message("connected", { connection_id: client.id, user_id: client.user.id, node_id: this.opts.nodeId, transport: client.transport }));
	}

	detach(client: RealtimeClient): void {
		const state = this.clients.get(client.id);
		if (!state) return;
		for (const key of state.subscriptions.keys()) this.removeSubscriber(key, client.id);
		this.clients.delete(client.id);
		const mine = this.byUser.get(client.user.id);
		mine?.delete(client.id);
		if (mine?.size === 0) this.byUser.delete(client.user.id);
		this.counts[client.transport]--;
		this.opts.observer?.connections(client.transport, -1);
	}

	/**
	 * Subscribes (ownership was checked by the caller). With `since`, first sends the
	 * messages after it that this node still keeps; replay and subscription happen in one
	 * step, so the live stream continues exactly where the replay ends.
	 */
	subscribe(client: RealtimeClient, target: Target, since: number | undefined, ack: (info: { replayed: number; complete: boolean }) => Envelope): Envelope {
		const state = this.clients.get(client.id);
		const missed = since !== undefined && target.kind === "execution" ? this.streams.replay(target.execution_id, since) : [];
		const complete = since !== undefined && target.kind === "execution" ? this.streams.covers(target.execution_id, since) : true;
		const answer = ack({ replayed: missed.length, complete });
		if (!state) return answer;
		this.send(client, answer);
		for (const m of missed) this.send(client, m.envelope);
		const key = keyOf(target);
		state.subscriptions.set(key, target);
		let set = this.subscribers.get(key);
		if (!set) this.subscribers.set(key, (set = new Set()));
		set.add(client.id);
		return answer;
	}

	/** What a client is subscribed to (a user's rights changed: each is checked again). */
	subscriptionsOf(client: RealtimeClient): Target[] {
		return [...(this.clients.get(client.id)?.subscriptions.values() ?? [])];
	}

	/** Every client of a user on this node. */
	clientsOf(userId: string): RealtimeClient[] {
		return [...(this.byUser.get(userId) ?? [])].map(id => this.clients.get(id)?.client).filter((c): c is RealtimeClient => c !== undefined);
	}

	unsubscribe(client: RealtimeClient, target: Target): boolean {
		const state = this.clients.get(client.id);
		const key = keyOf(target);
		if (!state?.subscriptions.delete(key)) return false;
		this.removeSubscriber(key, client.id);
		return true;
	}

	/** Sends `message` to every connection of `userId` on this node. */
	toUser(userId: string, message: Envelope): number {
		const ids = this.byUser.get(userId);
		const shared = {};
		let n = 0;
		for (const id of ids ?? []) {
			const state = this.clients.get(id);
			if (state && this.send(state.client, message, false, shared)) n++;
		}
		return n;
	}

	/** Sends one message to one client under the slow-client policy; false when it was skipped. */
	send(client: RealtimeClient, message: Envelope, supersedable = false, shared: Record<string, unknown> = {}): boolean {
		const state = this.clients.get(client.id);
		if (!state) return false;
		const backlog = client.backlog();
		if (backlog >= this.opts.maxBacklog) {
			state.dropped++;
			this.opts.observer?.dropped(client.transport, "slow_client");
			client.close("slow_client");
			this.detach(client);
			return false;
		}
		if (supersedable && backlog >= this.opts.maxBacklog / 2) {
			state.dropped++;
			this.opts.observer?.dropped(client.transport, "superseded");
			return false;
		}
		client.send(message, shared);
		state.sent++;
		this.opts.observer?.sent(client.transport, message.type);
		return true;
	}

	/** The `stats` message's data for `client`. */
	stats(client: RealtimeClient): Record<string, unknown> {
		const state = this.clients.get(client.id);
		return {
			node_id: this.opts.nodeId,
			connections: { total: this.clients.size, websocket: this.counts.websocket, socketio: this.counts.socketio },
			your_connections: this.byUser.get(client.user.id)?.size ?? 0,
			subscriptions: [...(state?.subscriptions.values() ?? [])].map(t => (t.kind === "execution" ? { execution_id: t.execution_id } : { workflow_id: t.workflow_id })),
			messages_sent: state?.sent ?? 0,
			messages_dropped: state?.dropped ?? 0,
			connected_at: state ? new Date(state.connectedAt).toISOString() : null,
			streams_kept: this.streams.size
		};
	}

	message(type: MessageType, data: Record<string, unknown>, ids: { workflow_id?: string; execution_id?: string } = {}): Envelope {
		return envelope(type, data, this.opts.streams.now(), ids);
	}

	get connectionCount(): number {
		return this.clients.size;
	}

	/** Every connected client (for shutdown). */
	allClients(): RealtimeClient[] {
		return [...this.clients.values()].map(s => s.client);
	}

	private deliver(m: ExecutionMessage): void {
		const targets = [this.subscribers.get(`x:${m.envelope.execution_id}`), this.subscribers.get(`w:${m.owner_id}:${m.envelope.workflow_id}`)];
		const seen = new Set<string>();
		const shared = {};
		for (const set of targets) {
			for (const id of set ?? []) {
				if (seen.has(id)) continue;
				seen.add(id);
				const state = this.clients.get(id);
				if (state) this.send(state.client, m.envelope, m.supersedable, shared);
			}
		}
	}

	private removeSubscriber(key: string, clientId: string): void {
		const set = this.subscribers.get(key);
		set?.delete(clientId);
		if (set?.size === 0) this.subscribers.delete(key);
	}
}
