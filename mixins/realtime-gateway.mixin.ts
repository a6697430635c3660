/**
 * Gateway mixin: real-time clients on the API port. socket.io through `moleculer-io`
 * (token in the handshake's `auth.token` or `?token=`), and a plain WebSocket at
 * `/ws/connect?token=` speaking the summary's JSON protocol. Both kinds of client meet in
 * this node's hub (mixins/realtime.ts), which the notifier feeds.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import type { Service, ServiceSchema } from "moleculer";
import SocketIOMixin from "moleculer-io";
import type { Server as IOServer, Socket } from "socket.io";
import { WebSocketServer, type WebSocket } from "ws";
import { isAdmin, satisfies, type AuthRequirement, type Principal } from "../lib/auth/principal";
import { MAX_TIMER_MS } from "../lib/duration";
import { pageSecurityHeaders } from "../lib/page-security";
import type { ClientUser, RealtimeClient, RealtimeHub, Target } from "../lib/realtime/hub";
import type { Envelope } from "../lib/realtime/messages";
import { parseFrame, parseRequest, type ClientRequest, type ProtocolError } from "../lib/realtime/protocol";
import { RequestBudget } from "../lib/realtime/rate-limit";
import { runtimeOf } from "../lib/runtime";
import { realtimeHubOf } from "./realtime";

/** Actions a socket.io client may `call` (with the requirement the HTTP route would check). Nothing else is reachable. */
export const SOCKET_CALL_WHITELIST: Record<string, AuthRequirement> = {
	"execution.get": "read",
	"execution.list": "read",
	"workflow.list": "read",
	"workflow.versions": "read",
	"workflow.get": "read"
};

export const WS_PATH = "/ws/connect";
const SOCKET_IO_PATH = "/socket.io";
// A client's frames are small requests; anything larger is refused by the WebSocket layer (bytes).
const MAX_FRAME_BYTES = 64 * 1024;
// WebSocket close codes: 1008 policy violation (bad token, too many connections), 1013 try again later (too slow), 1001 going away.
const CLOSE_POLICY = 1008;
const CLOSE_SLOW = 1013;
const CLOSE_GOING_AWAY = 1001;

/**
 * One open connection and the rights it holds now: they follow the user (a role change,
 * a deactivation, a revoked key, the token's expiry), not what they were at connect.
 */
interface Session {
	client: RealtimeClient;
	principal: Principal;
	/** The token or API key it connected with, checked again when its user changes. */
	credential: string;
	budget: RequestBudget;
	expiry?: NodeJS.Timeout;
	/** Tells the client why, then closes the connection. */
	end(message: string): void;
}

/** Requests beyond the rate limit, in a row, after which a connection is closed (it ignores rate_limited). */
const CLOSE_AFTER_REFUSALS = 100;

interface RealtimeVars {
	hub: RealtimeHub;
	/** Open connections by client id. */
	sessions: Map<string, Session>;
	io: IOServer;
	server: Server;
	wss: WebSocketServer;
	wsPing?: NodeJS.Timeout;
	wsTestPage?: Buffer;
}

interface RealtimeMethods {
	openSession(client: RealtimeClient, principal: Principal, credential: string, end: (message: string) => void, onPrincipal: (p: Principal) => void): Session;
	closeSession(client: RealtimeClient): void;
	admitRequest(session: Session): boolean;
	refreshSockets(userId: string): Promise<void>;
	credentialExpiry(credential: string, principal: Principal): number | null;
	principalFor(credential: string, call: (action: string, params: Record<string, unknown>) => Promise<unknown>): Promise<Principal>;
	socketPrincipal(credential: unknown): Promise<Principal>;
	handleRequest(client: RealtimeClient, principal: Principal, request: ClientRequest): Promise<Answer>;
	targetFor(principal: Principal, request: ClientRequest & { action: "subscribe" | "unsubscribe" }): Promise<Target>;
	acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

type RealtimeThis = Service & RealtimeVars & RealtimeMethods;

/** A request's answer; `sent` when the hub already sent it (a subscription's acknowledgement precedes its replay). */
interface Answer {
	message: Envelope;
	sent?: boolean;
}

/** A refusal the client sees as an `error` message: stable code, message, and the field at fault. */
class RequestRefused extends Error {
	constructor(
		readonly code: "validation_error" | "not_found" | "forbidden" | "unavailable",
		message: string,
		readonly field?: string
	) {
		super(message);
	}
}

const userOf = (p: Principal): ClientUser => ({ id: p.id, email: p.email, roles: p.roles });

function errorData(err: unknown, action?: string): Record<string, unknown> {
	if (err instanceof RequestRefused) return { error: err.code, message: err.message, ...(err.field ? { field: err.field } : {}), ...(action ? { action } : {}) };
	const e = err as ProtocolError;
	if (e && e.error === "validation_error") return { ...e, ...(action ? { action } : {}) };
	return { error: "internal_error", message: "The request could not be handled", ...(action ? { action } : {}) };
}

/**
 * socket.io's in-memory adapter, whose broadcasts encode a packet (and its WebSocket frame)
 * once for all receivers: the hub sends to each client itself (the slow-client policy is
 * per client), with the same encoding. Methods of socket.io 4.8 (pinned in package.json).
 */
interface Broadcasting {
	adapter: { _encode(packet: unknown, opts: Record<string, unknown>): unknown[] };
	client: { writeToEngine(encoded: unknown[], opts: Record<string, unknown>): void };
}
// socket.io-parser's EVENT packet type.
const SOCKET_IO_EVENT = 2;

/** Not a refusal the client caused: worth a log line. */
const isUnexpected = (err: unknown) => !(err instanceof RequestRefused) && (err as ProtocolError)?.error !== "validation_error";

/** The socket.io transport's view of a connection, for the hub. */
function socketIoClient(socket: Socket, principal: Principal): RealtimeClient {
	const internals = { adapter: socket.nsp.adapter, client: socket.client } as unknown as Broadcasting;
	return {
		id: socket.id,
		transport: "socketio",
		user: userOf(principal),
		send(message, shared) {
			let encoded = shared.socketio as { packets: unknown[]; opts: Record<string, unknown> } | undefined;
			if (!encoded) {
				const opts: Record<string, unknown> = { preEncoded: true };
				encoded = { packets: internals.adapter._encode({ type: SOCKET_IO_EVENT, data: [message.type, message], nsp: socket.nsp.name }, opts), opts };
				shared.socketio = encoded;
			}
			if (socket.connected) internals.client.writeToEngine(encoded.packets, encoded.opts);
		},
		// Packets engine.io holds until the transport can write: they pile up when the client reads slowly.
		backlog: () => (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0,
		close: () => void socket.disconnect(true)
	};
}

/** The plain WebSocket transport's view of a connection, for the hub. */
function webSocketClient(ws: WebSocket, principal: Principal): RealtimeClient {
	let pending = 0;
	return {
		id: randomUUID(),
		transport: "websocket",
		user: userOf(principal),
		send(message, shared) {
			if (ws.readyState !== ws.OPEN) return;
			shared.json ??= JSON.stringify(message);
			pending++;
			ws.send(shared.json as string, () => pending--);
		},
		backlog: () => pending,
		close(reason) {
			if (reason === "slow_client") ws.close(CLOSE_SLOW, "Too slow: reconnect and subscribe with since");
			else ws.close(CLOSE_GOING_AWAY, "Server shutting down");
		}
	};
}

function tokenFromQuery(url: string | undefined): string | undefined {
	const token = new URL(url ?? "/", "http://localhost").searchParams.get("token");
	return token ?? undefined;
}

export const RealtimeGatewayMixin: Partial<ServiceSchema> = {
	mixins: [SocketIOMixin as Partial<ServiceSchema>],

	settings: {
		// moleculer-io attaches to moleculer-web's server (this.server): the API port.
		io: {
			options: {
				path: SOCKET_IO_PATH,
				// /socket.io/socket.io.js for the /ws/test page: no CDN.
				serveClient: true,
				// Upgrades for /ws/connect belong to the plain WebSocket server.
				destroyUpgrade: false,
				maxHttpBufferSize: MAX_FRAME_BYTES
			},
			namespaces: {
				"/": {
					authorization: true,
					events: {
						subscribe(this: Socket, payload: unknown, ack?: unknown) {
							void socketRequest(this, "subscribe", payload, ack);
						},
						unsubscribe(this: Socket, payload: unknown, ack?: unknown) {
							void socketRequest(this, "unsubscribe", payload, ack);
						},
						ping(this: Socket, payload: unknown, ack?: unknown) {
							void socketRequest(this, "ping", payload, ack);
						},
						get_stats(this: Socket, payload: unknown, ack?: unknown) {
							void socketRequest(this, "get_stats", payload, ack);
						},
						/** moleculer-io's `call`, limited to SOCKET_CALL_WHITELIST and the caller's role. */
						call(this: Socket, action: unknown, params: unknown, respond?: unknown) {
							void socketCall(this, action, params, respond);
						}
					}
				}
			}
		}
	} as Record<string, unknown>,

	actions: {
		// moleculer-io's broadcast and client list are for this node's code, not for callers elsewhere.
		broadcast: { visibility: "public" },
		getClients: { visibility: "public" }
	},

	methods: {
		/** moleculer-io calls this for each handshake; a refusal reaches the client as `connect_error`. */
		async socketAuthorize(this: RealtimeThis, socket: Socket) {
			const auth = socket.handshake.auth as Record<string, unknown> | undefined;
			const credential = auth?.token ?? socket.handshake.query?.token;
			const principal = await this.socketPrincipal(credential);
			if (!this.hub.admits(principal.id)) throw Object.assign(new Error("Too many connections for this user"), { data: { error: "too_many_connections" } });
			(socket as Socket & { $credential?: string }).$credential = String(credential).trim();
			return principal;
		},

		/**
		 * Starts following a connection: its rate budget, and a timer that ends it when its
		 * credential expires (the client reconnects with a fresh token and resumes with since).
		 */
		openSession(this: RealtimeThis, client, principal, credential, end, onPrincipal) {
			const { config } = runtimeOf(this.broker);
			const perSecond = config.REALTIME_MAX_MESSAGES_PER_SECOND;
			const session: Session = {
				client,
				principal,
				credential,
				budget: new RequestBudget(perSecond, perSecond * 2, CLOSE_AFTER_REFUSALS),
				end
			};
			const setPrincipal = session as Session & { setPrincipal?: (p: Principal) => void };
			setPrincipal.setPrincipal = p => {
				session.principal = p;
				onPrincipal(p);
			};
			const expiresAt = this.credentialExpiry(credential, principal);
			// Past a timer's reach (a key valid for years) the expiry is checked when the user changes instead.
			if (expiresAt !== null && expiresAt - Date.now() <= MAX_TIMER_MS) {
				session.expiry = setTimeout(() => session.end("Your token expired: connect again with a new one (and resume with since)"), Math.max(0, expiresAt - Date.now()));
				session.expiry.unref();
			}
			this.sessions.set(client.id, session);
			return session;
		},

		closeSession(this: RealtimeThis, client) {
			const session = this.sessions.get(client.id);
			if (!session) return;
			clearTimeout(session.expiry);
			this.sessions.delete(client.id);
		},

		/** Whether a request of this connection fits its rate budget; answers rate_limited or closes it when not. */
		admitRequest(this: RealtimeThis, session) {
			const take = session.budget.take();
			if (take.verdict === "ok") return true;
			if (take.verdict === "close") session.end("Too many requests: this connection ignored rate_limited");
			else if (!take.quiet) {
				const { config } = runtimeOf(this.broker);
				this.hub.send(session.client, this.hub.message("error", { error: "rate_limited", message: `At most ${config.REALTIME_MAX_MESSAGES_PER_SECOND} requests a second; this one and those until then are dropped` }));
			}
			return false;
		},

		/** When a connection's credential stops being valid on its own (ms), or null when it does not. */
		credentialExpiry(this: RealtimeThis & { verifiedTokens: { get(k: string): { exp: number } | undefined } }, credential, principal) {
			if (principal.via === "api_key") return principal.expires_at ?? null;
			const claims = this.verifiedTokens.get(credential);
			return claims ? claims.exp * 1000 : null;
		},

		/**
		 * A user changed (roles, deactivation, a revoked key): each of their connections on this
		 * node is checked again with the credential it holds. One that no longer authenticates
		 * is closed; the others carry the new rights, and lose subscriptions those no longer allow.
		 */
		async refreshSockets(this: RealtimeThis, userId) {
			const sessions = [...this.sessions.values()].filter(s => s.principal.id === userId);
			await Promise.all(
				sessions.map(async session => {
					let principal: Principal;
					try {
						principal = await this.principalFor(session.credential, (action, params) => this.broker.call(action, params));
					} catch (err) {
						if ((err as { code?: number }).code === 401) return session.end(`${(err as Error).message}: this connection is closed`);
						this.logger.warn({ err, user_id: userId }, "Could not check a real-time connection again; it keeps its rights until its user changes again");
						return;
					}
					(session as Session & { setPrincipal(p: Principal): void }).setPrincipal(principal);
					for (const target of this.hub.subscriptionsOf(session.client)) {
						const allowed =
							target.kind === "workflow"
								? target.owner_id === principal.id || isAdmin(principal)
								: await this.targetFor(principal, { action: "subscribe", execution_id: target.execution_id }).then(
										() => true,
										err => !(err instanceof RequestRefused && (err.code === "not_found" || err.code === "forbidden"))
									);
						if (allowed) continue;
						this.hub.unsubscribe(session.client, target);
						const ids = target.kind === "execution" ? { execution_id: target.execution_id } : { workflow_id: target.workflow_id };
						this.hub.send(session.client, this.hub.message("unsubscribed", { ...ids, was_subscribed: true, reason: "access_changed" }, ids));
					}
				})
			);
		},

		async socketPrincipal(this: RealtimeThis, credential: unknown) {
			if (typeof credential !== "string" || !credential.trim()) throw Object.assign(new Error("A token is needed: auth.token or ?token="), { data: { error: "unauthorized" } });
			try {
				return await this.principalFor(credential.trim(), (action, params) => this.broker.call(action, params));
			} catch (err) {
				if ((err as { code?: number }).code === 401) throw Object.assign(new Error((err as Error).message), { data: { error: "unauthorized" } });
				throw err;
			}
		},

		async targetFor(this: RealtimeThis, principal, request) {
			const meta = { meta: { user: principal } };
			if (request.execution_id) {
				try {
					await this.broker.call("execution.get", { id: request.execution_id }, meta);
				} catch (err) {
					if ((err as { code?: number }).code === 404) throw new RequestRefused("not_found", `No execution ${request.execution_id} of yours`, "execution_id");
					throw new RequestRefused("unavailable", "Executions cannot be checked right now; try again");
				}
				return { kind: "execution", execution_id: request.execution_id };
			}
			const ownerId = request.owner_id ?? principal.id;
			if (ownerId !== principal.id && !principal.roles.includes("admin")) throw new RequestRefused("forbidden", "Only admins may watch another user's workflows", "owner_id");
			try {
				await this.broker.call("workflow.versions", { workflow_id: request.workflow_id, owner_id: ownerId }, meta);
			} catch (err) {
				if ((err as { code?: number }).code === 404) throw new RequestRefused("not_found", `No workflow ${request.workflow_id} of yours`, "workflow_id");
				throw new RequestRefused("unavailable", "Workflows cannot be checked right now; try again");
			}
			return { kind: "workflow", owner_id: ownerId, workflow_id: request.workflow_id! };
		},

		/** One request from either transport; the answer (subscribed, unsubscribed, pong, stats) is sent by the caller. */
		async handleRequest(this: RealtimeThis, client, principal, request) {
			const ids = (r: ClientRequest) => ({
				...("workflow_id" in r && r.workflow_id ? { workflow_id: r.workflow_id } : {}),
				...("execution_id" in r && r.execution_id ? { execution_id: r.execution_id } : {})
			});
			const reqId = request.request_id ? { request_id: request.request_id } : {};
			switch (request.action) {
				case "ping":
					return { message: this.hub.message("pong", { node_id: this.broker.nodeID, ...reqId }) };
				case "get_stats":
					return { message: this.hub.message("stats", { ...this.hub.stats(client), ...reqId }) };
				case "subscribe": {
					const target = await this.targetFor(principal, request);
					// The acknowledgement goes first, then what was missed, then the live stream.
					const message = this.hub.subscribe(client, target, request.since, info =>
						this.hub.message("subscribed", { ...ids(request), ...(request.since !== undefined ? { since: request.since, ...info } : {}), ...reqId }, ids(request))
					);
					return { message, sent: true };
				}
				case "unsubscribe": {
					const target: Target = request.execution_id
						? { kind: "execution", execution_id: request.execution_id }
						: { kind: "workflow", owner_id: request.owner_id ?? principal.id, workflow_id: request.workflow_id! };
					const was = this.hub.unsubscribe(client, target);
					return { message: this.hub.message("unsubscribed", { ...ids(request), was_subscribed: was, ...reqId }, ids(request)) };
				}
			}
		},

		async acceptWebSocket(this: RealtimeThis, req, socket, head) {
			let principal: Principal | null = null;
			let refusal = "";
			try {
				principal = await this.socketPrincipal(tokenFromQuery(req.url));
				if (!this.hub.admits(principal.id)) {
					refusal = "Too many connections for this user";
					principal = null;
				}
			} catch (err) {
				refusal = (err as Error).message.slice(0, 120);
			}
			this.wss.handleUpgrade(req, socket, head, ws => {
				// Refused after the handshake, so that a browser sees the close code (1008) and the reason.
				if (!principal) return ws.close(CLOSE_POLICY, refusal || "Unauthorized");
				const client = webSocketClient(ws, principal);
				const session = this.openSession(
					client,
					principal,
					tokenFromQuery(req.url)!.trim(),
					message => {
						this.hub.send(client, this.hub.message("error", { error: "session_ended", message }));
						ws.close(CLOSE_POLICY, message.slice(0, 120));
					},
					() => undefined
				);
				let alive = true;
				ws.on("pong", () => (alive = true));
				(ws as WebSocket & { $alive?: () => boolean; $ping?: () => void }).$alive = () => {
					const was = alive;
					alive = false;
					return was;
				};
				this.hub.attach(client);
				ws.on("message", (data, isBinary) => {
					if (!this.admitRequest(session)) return;
					const parsed = isBinary ? parseRequest(null) : parseFrame(data.toString());
					if (!parsed.ok) {
						this.hub.send(client, this.hub.message("error", errorData(parsed.error)));
						return;
					}
					this.handleRequest(client, session.principal, parsed.request).then(
						answer => answer.sent || this.hub.send(client, answer.message),
						err => {
							if (isUnexpected(err)) this.logger.error({ err, action: parsed.request.action, transport: "websocket" }, "A real-time request failed");
							this.hub.send(client, this.hub.message("error", errorData(err, parsed.request.action)));
						}
					);
				});
				const gone = () => {
					this.closeSession(client);
					this.hub.detach(client);
				};
				ws.on("close", gone);
				ws.on("error", gone);
			});
		}
	},

	created(this: Service) {
		const self = this as RealtimeThis;
		self.hub = realtimeHubOf(self.broker);
		self.sessions = new Map();
		self.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
		runtimeOf(self.broker).onShutdown(() => {
			for (const client of self.hub.allClients()) client.close("shutdown");
		});
	},

	started(this: Service) {
		const self = this as RealtimeThis;
		const { config } = runtimeOf(self.broker);
		self.io.of("/").on("connection", (socket: Socket) => {
			const holder = socket.client as unknown as { user: Principal };
			const client = socketIoClient(socket, holder.user);
			(socket as Socket & { $client?: RealtimeClient }).$client = client;
			const session = self.openSession(
				client,
				holder.user,
				(socket as Socket & { $credential?: string }).$credential ?? "",
				message => {
					self.hub.send(client, self.hub.message("error", { error: "session_ended", message }));
					socket.disconnect(true);
				},
				// Calls and requests read the principal from here at each message.
				p => (holder.user = p)
			);
			(socket as Socket & { $session?: Session }).$session = session;
			self.hub.attach(client);
			socket.on("disconnect", () => {
				self.closeSession(client);
				self.hub.detach(client);
			});
		});
		self.server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
			const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
			if (pathname === WS_PATH) {
				self.acceptWebSocket(req, socket, head).catch(() => socket.destroy());
				return;
			}
			// socket.io answers its own path; nothing else upgrades.
			if (!pathname.startsWith(`${SOCKET_IO_PATH}/`)) socket.destroy();
		});
		// A WebSocket client that misses a ping is gone (a dropped network sends no close).
		self.wsPing = setInterval(() => {
			for (const ws of self.wss.clients) {
				const probe = ws as WebSocket & { $alive?: () => boolean };
				if (probe.$alive && !probe.$alive()) ws.terminate();
				else ws.ping();
			}
		}, config.REALTIME_PING_INTERVAL);
		self.wsPing.unref();
	},

	stopped(this: Service) {
		const self = this as RealtimeThis;
		clearInterval(self.wsPing);
		for (const session of self.sessions.values()) clearTimeout(session.expiry);
		for (const ws of self.wss.clients) ws.terminate();
		self.wss.close();
	}
};

/** A socket.io request: checked like a WebSocket frame, answered as an event of its type and, when asked, as the acknowledgement. */
async function socketRequest(socket: Socket, action: string, payload: unknown, ack: unknown): Promise<void> {
	const svc = (socket as Socket & { $service: RealtimeThis }).$service;
	const client = (socket as Socket & { $client?: RealtimeClient }).$client;
	if (typeof payload === "function" && ack === undefined) {
		ack = payload;
		payload = {};
	}
	const respond = typeof ack === "function" ? (ack as (m: Envelope) => void) : undefined;
	if (!client) return;
	const session = (socket as Socket & { $session?: Session }).$session;
	if (session && !svc.admitRequest(session)) return;
	const principal = (socket.client as unknown as { user: Principal }).user;
	const parsed = parseRequest({ ...(typeof payload === "object" && payload !== null ? payload : {}), action });
	let answer: Answer;
	try {
		if (!parsed.ok) throw parsed.error;
		answer = await svc.handleRequest(client, principal, parsed.request);
	} catch (err) {
		if (isUnexpected(err)) svc.logger.error({ err, action, transport: "socketio" }, "A real-time request failed");
		answer = { message: svc.hub.message("error", errorData(err, action)) };
	}
	if (!answer.sent) svc.hub.send(client, answer.message);
	respond?.(answer.message);
}

async function socketCall(socket: Socket, action: unknown, params: unknown, respond: unknown): Promise<void> {
	const svc = (socket as Socket & { $service: RealtimeThis & { actions: { call(p: unknown): Promise<unknown> } } }).$service;
	if (typeof params === "function") {
		respond = params;
		params = {};
	}
	const reply = typeof respond === "function" ? (respond as (err: unknown, res?: unknown) => void) : () => undefined;
	const session = (socket as Socket & { $session?: Session }).$session;
	if (session && !svc.admitRequest(session)) return reply({ name: "RateLimited", message: "Too many requests on this connection", code: 429, type: "RATE_LIMITED" });
	const principal = (socket.client as unknown as { user: Principal }).user;
	const requirement = typeof action === "string" && Object.hasOwn(SOCKET_CALL_WHITELIST, action) ? SOCKET_CALL_WHITELIST[action] : undefined;
	if (!requirement) return reply({ name: "ServiceNotFoundError", message: `Action '${String(action)}' is not available over the socket`, code: 404, type: "SERVICE_NOT_FOUND" });
	if (!satisfies(principal, requirement)) return reply({ name: "ForbiddenError", message: "Your role does not allow this", code: 403, type: "FORBIDDEN" });
	try {
		const res = await svc.actions.call({ socket, action, params: params ?? {}, handlerItem: { whitelist: Object.keys(SOCKET_CALL_WHITELIST) } });
		reply(null, res);
	} catch (err) {
		const e = err as { name?: string; message?: string; code?: number; type?: string; data?: unknown };
		reply({ name: e.name, message: e.message, code: e.code, type: e.type, data: e.data });
	}
}

/** The /ws/test page: an offline client of both transports (public/ws-test.html). */
export function wsTestPage(root = path.resolve(__dirname, "..")): Buffer {
	for (const dir of [root, path.resolve(root, "..")]) {
		try {
			return readFileSync(path.join(dir, "public", "ws-test.html"));
		} catch {
			// dist/ runs one directory deeper than the sources
		}
	}
	throw new Error("public/ws-test.html is missing");
}

export const REALTIME_ALIASES = {
	"GET /ws/test"(this: RealtimeThis, _req: IncomingMessage, res: ServerResponse) {
		this.wsTestPage ??= wsTestPage();
		res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache", ...pageSecurityHeaders(this.wsTestPage.toString("utf8")) });
		res.end(this.wsTestPage);
	},
	/** Reached only without an Upgrade header (upgrades never reach the routes). */
	[`GET ${WS_PATH}`](_req: IncomingMessage, res: ServerResponse) {
		res.writeHead(426, { "Content-Type": "application/json; charset=utf-8", Upgrade: "websocket", Connection: "Upgrade" });
		res.end(JSON.stringify({ error: "upgrade_required", message: `${WS_PATH} is a WebSocket endpoint: connect with ws://…${WS_PATH}?token=<access token>` }));
	}
};
