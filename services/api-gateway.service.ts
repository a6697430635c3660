import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Context, Service, ServiceSchema } from "moleculer";
import ApiGateway, { type ApiRouteSchema, type ApiSettingsSchema } from "moleculer-web";
import { newTraceId } from "../lib/context";
import { amqpCheck, connectionCheck, healthStatusCode, readinessAnswer, redisCheck, runHealthChecks, type Check, type Dependency, type HealthReport } from "../lib/health";
import { isApiKey } from "../lib/auth/api-keys";
import { HOOK_HEADERS } from "../lib/hooks/scheme";
import { keyScopeFor, satisfies, scopeAllows, type AuthRequirement, type Principal } from "../lib/auth/principal";
import { invalidToken, verifyToken, type AccessClaims } from "../lib/auth/tokens";
import { AppError, forbidden, serviceUnavailable, unauthorized, validationFailed } from "../lib/errors";
import { requestShapeProblem } from "../lib/request-shape";
import { toErrorResponse } from "../lib/http-errors";
import { unreadBodyError } from "../lib/raw-body";
import { restRoutes, type KnownRoute } from "../lib/route-catalog";
import { runtimeOf, type Runtime } from "../lib/runtime";
import { TtlCache } from "../lib/ttl-cache";
import { activeTraceId, tracingEnabled } from "../lib/observability/tracing";
import { HEALTH_REPORT, LIVENESS, READINESS } from "../lib/openapi/health";
import { ApiDocsMixin, DOCS_ALIASES } from "../mixins/api-docs.mixin";
import { DASHBOARD_ALIASES, DashboardMixin } from "../mixins/dashboard.mixin";
import { LapsedNodesMixin } from "../mixins/lapsed-nodes.mixin";
import { GatewayObservabilityMixin, METRICS_ALIASES, requestIdOf, routeTemplate } from "../mixins/gateway-observability.mixin";
import { AUTH_METRICS, ensureMetrics } from "../mixins/metrics";
import { REALTIME_ALIASES, RealtimeGatewayMixin } from "../mixins/realtime-gateway.mixin";
import { MCP_ALIASES } from "../mixins/mcp-gateway.mixin";

interface GatewayRequest extends IncomingMessage {
	$ctx?: Context<unknown, { trace_id?: string }>;
	$action?: { name?: string; auth?: AuthRequirement; rawBody?: boolean };
	$params?: Record<string, unknown>;
	query?: Record<string, unknown>;
	parsedUrl?: string;
	body?: unknown;
	/** The JSON body as received, kept so a parse error can name its line and column. */
	jsonText?: Buffer;
	/** Why presented credentials were refused; raised only if the route needs them. */
	$authError?: AppError;
}

interface GatewayMeta {
	user?: Principal | null;
	client_ip?: string;
	idempotency_key?: string;
	content_type?: string;
	trace_id?: string;
}

interface GatewayMethods {
	health(): Promise<HealthReport>;
	/** From the real-time mixin: checks a user's open sockets again. */
	refreshSockets(userId: string): Promise<void>;
	authenticate(ctx: Context<unknown, GatewayMeta>, route: unknown, req: GatewayRequest): Promise<Principal | null>;
	principalFor(credential: string, call: (action: string, params: Record<string, unknown>) => Promise<unknown>): Promise<Principal>;
	authorize(ctx: Context<unknown, GatewayMeta>, route: unknown, req: GatewayRequest): void;
	clientIp(req: IncomingMessage): string;
	sendError(req: unknown, res: unknown, err: unknown): void;
}

type PrincipalRecord = Omit<Principal, "via"> & { is_active: boolean };

interface GatewayVars {
	runtime: Runtime;
	/** Access tokens already verified, until they expire: verification is the costly part of auth. */
	verifiedTokens: TtlCache<AccessClaims>;
	/** Users behind tokens; emptied whenever the auth service announces a change. */
	principals: TtlCache<PrincipalRecord>;
	healthChecks: Partial<Record<Dependency, Check>>;
	/** Every route of the product's services, kept in the route table while no node offers its service. */
	knownRoutes: KnownRoute[];
	/** Set once every local service has started and the route table has been built after that. */
	routesReady: boolean;
	server: Server;
}

type GatewayThis = Service<ApiSettingsSchema> & GatewayMethods & GatewayVars;

/** Object and list levels a request's params may nest (a workflow definition needs about 8; inputs of type json rarely more). */
const MAX_REQUEST_DEPTH = 64;

/** moleculer-web's route and alias, as far as the gateway reads them. */
interface WebRoute {
	path: string;
	opts: { autoAliases?: boolean };
}
interface WebAlias {
	route: WebRoute;
	method: string;
	path: string;
	action?: string;
	/** Stands for a service no node offers right now (see regenerateAutoAliases). */
	unavailable?: boolean;
}
interface WebGateway {
	aliases: WebAlias[];
	createAlias(route: WebRoute, path: object, action: string): WebAlias;
	optimizeAliasesOrder(): void;
}

const webMethods = (ApiGateway as unknown as { methods: Record<string, (this: unknown, ...args: unknown[]) => unknown> }).methods;
const baseRegenerateAutoAliases = webMethods.regenerateAutoAliases as (this: unknown, route: WebRoute) => void;
const baseAliasHandler = webMethods.aliasHandler as (this: unknown, req: unknown, res: unknown, alias: WebAlias) => Promise<unknown>;

/** Moleculer's and moleculer-web's "no node offers this action" errors. */
const NO_NODE = new Set(["SERVICE_NOT_FOUND", "SERVICE_NOT_AVAILABLE"]);

/** A W3C `traceparent` header: version-traceid-parentid-flags. */
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

function traceIdFrom(header: string | string[] | undefined): string | undefined {
	const m = typeof header === "string" ? TRACEPARENT.exec(header.trim()) : null;
	return m && !/^0+$/.test(m[1]) ? m[1] : undefined;
}

/**
 * Every request gets a request id (the client's, when it is well-formed) and a trace id:
 * the request span's with tracing on, else the caller's `traceparent` or a new one.
 */
function rootCallOptions(options: Record<string, unknown>, req: IncomingMessage): void {
	options.requestID = requestIdOf(req);
	options.meta = { trace_id: (tracingEnabled() && activeTraceId()) || traceIdFrom(req.headers.traceparent) || newTraceId() };
}

const ApiGatewayService: ServiceSchema<ApiSettingsSchema, GatewayMethods, GatewayVars> & {
	// Moleculer calls `merged` after mixins are applied and before `created`; its typings omit it.
	merged(this: GatewayThis, schema: ServiceSchema<ApiSettingsSchema>): void;
} = {
	name: "api",
	// Earlier mixins win: the observability mixin's httpHandler wraps moleculer-web's. Lifecycle hooks
	// run from the last mixin to the first: moleculer-web's server exists before sockets attach to it.
	mixins: [GatewayObservabilityMixin, ApiDocsMixin, DashboardMixin, RealtimeGatewayMixin, LapsedNodesMixin, ApiGateway as Partial<ServiceSchema>],

	settings: {
		// Filled from the configuration in created().
		port: 8100,
		ip: "0.0.0.0",
		optimizeOrder: true,
		log4XXResponses: false,
		logRequest: "debug",
		logResponse: "info",
		logRouteRegistration: "debug",
		logRequestParams: null,
		logResponseData: null,

		// moleculer-web also accepts a function here; its typings only know the object form.
		rootCallOptions: rootCallOptions as unknown as ApiSettingsSchema["rootCallOptions"],

		routes: [
			{
				path: "/",
				mappingPolicy: "restrict",
				authentication: false,
				authorization: false,
				bodyParsers: { json: false },
				aliases: {
					"GET /health": "api.health",
					"GET /health/live": "api.live",
					"GET /health/ready": "api.ready",
					...METRICS_ALIASES,
					...DOCS_ALIASES,
					...DASHBOARD_ALIASES,
					...REALTIME_ALIASES,
					...MCP_ALIASES
				}
			},
			{
				// Inbound webhooks: signatures are verified on the raw body, so every content type arrives as bytes, unparsed.
				path: "/api/v3/hooks",
				mappingPolicy: "restrict",
				authentication: false,
				authorization: false,
				mergeParams: false,
				aliases: { "POST /:id": "events.receiveHook" },
				onBeforeCall(this: GatewayThis, ctx: Context<unknown, GatewayMeta>, _route: unknown, req: GatewayRequest) {
					ctx.meta.client_ip = this.clientIp(req);
					const params = req.$params as Record<string, unknown>;
					const id = (params.params as Record<string, unknown> | undefined)?.id;
					for (const name of Object.keys(params)) delete params[name];
					const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
					const headers = Object.fromEntries(HOOK_HEADERS.map(h => [h, req.headers[h]]).filter(([, v]) => typeof v === "string"));
					Object.assign(params, { id, body: body.toString("base64"), headers });
				},
				bodyParsers: { json: false, raw: { type: () => true, limit: "1mb" } }
			},
			{
				path: "/api/v3",
				mappingPolicy: "restrict",
				autoAliases: true,
				authentication: true,
				authorization: true,
				onBeforeCall(this: GatewayThis, ctx: Context<unknown, GatewayMeta>, _route: unknown, req: GatewayRequest) {
					ctx.meta.client_ip = this.clientIp(req);
					const key = req.headers["idempotency-key"];
					if (typeof key === "string" && key.trim()) ctx.meta.idempotency_key = key.trim().slice(0, 255);
					if (req.$action?.rawBody) {
						const unread = unreadBodyError(req.headers, req.body !== undefined);
						if (unread) throw unread;
						// The action reads the body as sent (a YAML text stays text); URL params still apply.
						const params = req.$params as Record<string, unknown>;
						for (const name of Object.keys(params)) delete params[name];
						const alias = (req as { $alias?: { match(url: string): Record<string, unknown> | false } }).$alias;
						Object.assign(params, req.query ?? {}, alias?.match(req.parsedUrl ?? "") || {}, { body: req.body ?? null });
						ctx.meta.content_type = req.headers["content-type"];
					}
					// Hostile shapes are refused here, naming the field, before any action (or its validator) walks them.
					const problem = requestShapeProblem(req.$params, MAX_REQUEST_DEPTH);
					if (problem) throw validationFailed(`The request is not valid: ${problem.path} ${problem.message}`, [problem]);
				},
				bodyParsers: {
					json: {
						strict: true,
						limit: "1mb",
						verify(req: GatewayRequest, _res: ServerResponse, buf: Buffer) {
							req.jsonText = buf;
						}
					},
					text: { type: ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"], limit: "1mb" }
				}
			}
		],

		/**
		 * Every error answer, and one log line for it holding the trace id the answer carries:
		 * 5xx at error level with the error (503 and 507 at warn, without), 4xx at info level. The line names the route
		 * template, never the raw URL (its query may hold a token), and no body.
		 */
		onError(this: GatewayThis, req: GatewayRequest, res: ServerResponse, err: Error) {
			// A request refused before its call began (unmatched route, unreadable body) has no ctx: the request span's trace, else the caller's.
			const traceId = req.$ctx?.meta?.trace_id ?? ((tracingEnabled() && activeTraceId()) || traceIdFrom(req.headers.traceparent) || newTraceId());
			// moleculer-web drops body-parser's `body` from the error; give the text back so the answer names the line.
			if ((err as { type?: unknown }).type === "entity.parse.failed" && req.jsonText) Object.assign(err, { body: req.jsonText.toString("utf8") });
			const { status, headers, body } = toErrorResponse(err, traceId, this.runtime.config.API_DEBUG);
			const line = { status, error: body.error, method: req.method, route: routeTemplate(req), request_id: req.$ctx?.requestID ?? requestIdOf(req), trace_id: traceId };
			// Unavailable (503, 507) is the state of a dependency, said once by whoever saw it go: a warning per request, without a stack.
			if (status === 503 || status === 507) this.logger.warn({ ...line, reason: body.message }, "Request refused: unavailable");
			else if (status >= 500) this.logger.error({ err, ...line }, "Request failed");
			else this.logger.info(line, "Request refused");
			if (res.headersSent) return;
			res.setHeader("Content-Type", "application/json; charset=utf-8");
			for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
			res.writeHead(status);
			res.end(JSON.stringify(body));
		}
	},

	actions: {
		// The route table is for tests and operators on this node, not for the public API.
		listAliases: { visibility: "public", rest: null },
		/** Called by the auth service on every node when a user changes (roles, deactivation, a revoked key). */
		forgetPrincipal: {
			visibility: "public",
			params: { id: "string" },
			async handler(ctx: Context<{ id: string }>) {
				this.principals.delete(ctx.params.id);
				// The user's open sockets follow: closed, or carrying the new rights.
				await this.refreshSockets(ctx.params.id);
				return true;
			}
		},
		health: {
			visibility: "published",
			openapi: {
				summary: "Health of this node and its dependencies",
				description:
					"Real checks of the database, NATS, Redis and RabbitMQ as configured (a dependency that is not configured is `not_configured`), and of the data directory's free space embedded. `degraded` (200) names what is down without stopping the node (Redis, RabbitMQ, a disk that is nearly full); `unhealthy` (503) means the database or, in a cluster, NATS is down; `starting` (503) that the routes are not built yet.",
				tags: ["health"],
				responses: {
					200: { description: "The node serves: `ok`, or `degraded` with what is down listed", schema: HEALTH_REPORT },
					503: { description: "`unhealthy` (the database or NATS is down; the field says `down`, why is in the node's log) or `starting`", schema: HEALTH_REPORT }
				}
			},
			async handler(ctx: Context<unknown, { $statusCode?: number }>) {
				const report = await this.health();
				ctx.meta.$statusCode = healthStatusCode(report);
				return report;
			}
		},
		live: {
			visibility: "published",
			openapi: {
				summary: "Liveness probe",
				description: "Answers while the process runs; checks nothing else.",
				tags: ["health"],
				responses: { 200: { description: "The process is alive", schema: LIVENESS } }
			},
			handler() {
				return { status: "ok" };
			}
		},
		ready: {
			visibility: "published",
			openapi: {
				summary: "Readiness probe",
				description:
					"Ready when the database and (in a cluster) NATS answer and the routes are built, with Redis or RabbitMQ down too (listed in `degraded`); 503 as soon as the node starts draining.",
				tags: ["health"],
				responses: {
					200: { description: "The node takes requests", schema: READINESS },
					503: { description: "Not ready, or draining", schema: READINESS }
				}
			},
			async handler(ctx: Context<unknown, { $statusCode?: number }>) {
				if (this.runtime.isClosing) {
					ctx.meta.$statusCode = 503;
					return { status: "draining" };
				}
				const report = await this.health();
				// Draining may have begun while the checks ran: say so, not "not_ready".
				if (this.runtime.isClosing) {
					ctx.meta.$statusCode = 503;
					return { status: "draining" };
				}
				const { status, body } = readinessAnswer(report);
				ctx.meta.$statusCode = status;
				return { ...body, routes: this.routesReady };
			}
		}
	},

	events: {
		// The auth service broadcasts this on every user change (roles, deactivation): forget what we knew.
		"cache.clean.auth"() {
			this.principals.clear();
		},
		// Once every local service has started, build the routes now rather than after moleculer-web's debounce.
		"$broker.started"(this: GatewayThis & { regenerateAllAutoAliases: (() => void) & { flush(): void } }) {
			this.regenerateAllAutoAliases();
			this.regenerateAllAutoAliases.flush();
			this.routesReady = true;
		}
	},

	methods: {
		/**
		 * moleculer-web's auto-aliases, plus a route for each known route whose service no node
		 * offers right now: moleculer-web answers it 503 (named in onError) instead of 404, and
		 * it keeps literal paths of that service ahead of another service's patterns.
		 */
		regenerateAutoAliases(route: WebRoute) {
			baseRegenerateAutoAliases.call(this, route);
			const web = this as unknown as WebGateway;
			const served = new Set(web.aliases.filter(a => a.route === route).map(a => `${a.method} ${a.path}`));
			// moleculer-web builds its routes in its own created(), before this service's: read the catalog on first use.
			this.knownRoutes ??= restRoutes(runtimeOf(this.broker).serviceCatalog?.() ?? []);
			for (const known of this.knownRoutes) {
				if (served.has(`${known.method} ${known.path}`)) continue;
				// _generated: moleculer-web drops it at the next regeneration, as it does its own.
				web.aliases.push(web.createAlias(route, { method: known.method, path: known.path, _generated: true, unavailable: true }, known.action));
			}
			web.optimizeAliasesOrder();
		},
		/**
		 * moleculer-web's handling of a matched route, with "no node offers this action" turned
		 * into a 503 naming the service. Left as Moleculer's SERVICE_NOT_AVAILABLE, the broker's
		 * retry policy would run the whole HTTP request (`api.rest`) again, five times with
		 * backoff, on a body already read (seconds of waiting, then a 404).
		 */
		async aliasHandler(req: unknown, res: unknown, alias: WebAlias) {
			try {
				return await baseAliasHandler.call(this, req, res, alias);
			} catch (err) {
				const e = err as { name?: string; type?: string; data?: { action?: string } };
				if (!NO_NODE.has(e?.type ?? "") && e?.name !== "ServiceUnavailableError") throw err;
				const action = e.data?.action ?? alias.action ?? "";
				const service = action.includes(".") ? action.slice(0, action.lastIndexOf(".")) : action || "requested";
				throw serviceUnavailable(service, `The ${service} service is not available on any node right now; try again shortly`);
			}
		},
		/** The gateway logs error answers itself, in onError; moleculer-web would log them again. */
		errorHandler(req: unknown, res: unknown, err: unknown) {
			this.sendError(req, res, err);
		},
		/**
		 * Bearer JWT (verified here, on the gateway) or API key (`Bearer cos_…` or
		 * `X-API-Key`). Roles and the active flag come from the auth service (cached),
		 * so a deactivated user's tokens stop working at once.
		 */
		async authenticate(ctx, _route, req) {
			const header = req.headers.authorization;
			const keyHeader = req.headers["x-api-key"];
			let credential: string | undefined;
			if (typeof header === "string" && header.trim()) {
				const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
				if (!m) {
					req.$authError = invalidToken("Use the Bearer scheme: Authorization: Bearer <token>");
					return null;
				}
				credential = m[1];
			} else if (typeof keyHeader === "string" && keyHeader.trim()) credential = keyHeader.trim();
			if (!credential) return null;
			try {
				return await this.principalFor(credential, (action, params) => ctx.call(action, params));
			} catch (err) {
				if (!(err instanceof Error) || (err as AppError).code !== 401) throw err;
				req.$authError = err as AppError;
				return null;
			}
		},

		/**
		 * The user behind an access token or API key, for HTTP requests and sockets alike.
		 * Throws a 401 AppError (counted in auth_failures_total) when the credential is refused.
		 */
		async principalFor(credential, call) {
			try {
				if (isApiKey(credential)) return (await call("auth.apiKeyPrincipal", { key: credential })) as Principal;
				let claims = this.verifiedTokens.get(credential);
				if (!claims) {
					claims = verifyToken(this.runtime.tokenKeys(), credential, "access");
					this.verifiedTokens.set(credential, claims, claims.exp * 1000);
				}
				let user = this.principals.get(claims.sub);
				if (!user) {
					user = ((await call("auth.principal", { id: claims.sub })) as PrincipalRecord | null) ?? undefined;
					if (user) this.principals.set(claims.sub, user, Date.now() + this.runtime.config.CACHE_TTL);
				}
				if (!user) throw invalidToken("The token's user no longer exists");
				if (!user.is_active) throw invalidToken("This account is deactivated");
				return { id: user.id, email: user.email, roles: user.roles, via: "jwt", scopes: null };
			} catch (err) {
				if (err instanceof Error && (err as AppError).code === 401 && this.broker.isMetricsEnabled())
					this.broker.metrics.increment("auth_failures_total", { reason: "invalid_token" });
				throw err;
			}
		},

		/** Each action declares `auth`; an action that declares nothing is admin-only. */
		authorize(ctx, _route, req) {
			const requirement: AuthRequirement = req.$action?.auth ?? "admin";
			if (requirement === "public") return;
			const user = ctx.meta.user;
			if (!user) {
				if (this.broker.isMetricsEnabled() && !req.$authError) this.broker.metrics.increment("auth_failures_total", { reason: "missing_credentials" });
				throw req.$authError ?? unauthorized();
			}
			const scope = keyScopeFor(requirement, req.method);
			if (!satisfies(user, requirement) || !scopeAllows(user, scope)) {
				if (this.broker.isMetricsEnabled()) this.broker.metrics.increment("auth_failures_total", { reason: "forbidden" });
				throw forbidden(
					satisfies({ ...user, scopes: null }, requirement)
						? `This API key's scopes do not allow this (it needs ${scope})`
						: requirement === "admin"
							? "This needs the admin role"
							: "Your role does not allow this"
				);
			}
		},

		clientIp(req) {
			if (this.runtime.config.API_TRUST_PROXY) {
				const forwarded = req.headers["x-forwarded-for"];
				const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
				if (first) return first;
			}
			return req.socket.remoteAddress ?? "unknown";
		},

		health() {
			const { config } = this.runtime;
			// Read after the checks: the database check opens the database on a node that had not yet.
			const disk = () => this.runtime.disk?.status ?? "not_checked";
			return runHealthChecks(
				{ checks: this.healthChecks, disk, starting: !this.routesReady },
				{ version: config.version, nodeID: this.broker.nodeID, mode: config.mode },
				(dependency, err) => this.logger.warn({ dependency, err }, "Health check failed")
			);
		}
	},

	/** Settings that come from the configuration, applied before moleculer-web builds its routes. */
	merged(schema) {
		const { config } = runtimeOf(this.broker);
		const settings = schema.settings ?? {};
		const withLimit = (parsers: ApiRouteSchema["bodyParsers"]) =>
			Object.fromEntries(
				Object.entries(parsers ?? {}).map(([kind, opts]) => [kind, opts ? { ...(opts as object), limit: config.API_BODY_LIMIT } : opts])
			);
		schema.settings = {
			...settings,
			port: config.API_PORT,
			ip: config.API_HOST,
			routes: (settings.routes ?? []).map(route => ({ ...route, bodyParsers: withLimit(route.bodyParsers) })),
			cors: config.API_CORS_ORIGINS.length
				? {
						origin: config.API_CORS_ORIGINS.includes("*") ? "*" : config.API_CORS_ORIGINS,
						methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
						allowedHeaders: ["Authorization", "Content-Type", "X-Request-ID", "X-API-Key", "Idempotency-Key", "traceparent"],
						exposedHeaders: ["X-Request-ID", "Retry-After", "WWW-Authenticate"],
						maxAge: 600
					}
				: undefined
		};
	},

	created() {
		this.runtime = runtimeOf(this.broker);
		ensureMetrics(this.broker, AUTH_METRICS);
		this.verifiedTokens = new TtlCache(10_000);
		this.principals = new TtlCache(10_000);
		const { config } = this.runtime;
		const runtime = this.runtime;
		this.healthChecks = {
			database: async () => (await runtime.database()).ping()
		};
		const redis = runtime.redis();
		if (redis) this.healthChecks.redis = redisCheck(redis);
		if (config.RABBITMQ_URL) this.healthChecks.rabbitmq = amqpCheck(config.RABBITMQ_URL);
		if (runtime.transport) this.healthChecks.nats = connectionCheck(runtime.transport);
		this.routesReady = false;
		// Stop taking new connections as soon as draining begins; in-flight requests finish.
		runtime.onShutdown(() => {
			if (this.server?.listening) this.server.close();
		});
	},

	started() {
		const address = this.server.address() as AddressInfo;
		this.logger.info({ host: address.address, port: address.port }, `API listening on port ${address.port}`);
	}
};

export default ApiGatewayService;
