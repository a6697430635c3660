/**
 * How a CognitionOS node is assembled: broker options from the typed configuration,
 * and the services named by SERVICES. `bin/cognitionos.ts` starts one; tests build
 * theirs the same way.
 */
import { ServiceBroker, type BrokerOptions, type ServiceSchema } from "moleculer";
import type { DestinationStream } from "pino";
import { useBucketHistograms } from "./broker/bucket-histogram";
import { NatsTransporter } from "./broker/nats-transporter";
import { RedisCacher } from "./broker/redis-cacher";
import { SERVICE_NAMES, type Config, type ServiceName } from "./lib/config";
import type { FreeSpace } from "./lib/db/disk-guard";
import type { RestDeclaration } from "./lib/route-catalog";
import { createRootLogger } from "./lib/logging";
import { startTracingFor, traceCorrelation, tracingEnabled } from "./lib/observability/tracing";
import { attachRuntime, Runtime } from "./lib/runtime";
import { ScrapeReporter } from "./mixins/metrics-reporter";
import { CallerMiddleware } from "./middlewares/caller.middleware";
import { DependencyErrorsMiddleware, NatsOutageMiddleware } from "./middlewares/dependency-errors.middleware";
import { NodeObservabilityMiddleware } from "./middlewares/observability.middleware";
import { PinoJsonLogger } from "./middlewares/pino-logger";
import { RequestContextMiddleware } from "./middlewares/request-context.middleware";
import { EventTraceHeadersMiddleware, TracingMiddleware } from "./middlewares/tracing.middleware";

/** Schema of each loadable service, by its SERVICES name. Loaded lazily: a node requires only what it runs. */
const SERVICE_MODULES: Record<ServiceName, () => ServiceSchema> = {
	"api-gateway": () => require("./services/api-gateway.service").default,
	auth: () => require("./services/auth.service").default,
	workflow: () => require("./services/workflow.service").default,
	execution: () => require("./services/execution.service").default,
	llm: () => require("./services/llm.service").default,
	"event-bus": () => require("./services/event-bus.service").default,
	webhooks: () => require("./services/webhooks.service").default,
	notifier: () => require("./services/notifier.service").default,
	events: () => require("./services/events.service").default,
	evals: () => require("./services/evals.service").default
};

export function brokerOptions(config: Config, runtime: Runtime, services: readonly ServiceName[] = config.SERVICES): BrokerOptions {
	// A node with the gateway serves /metrics on the API port; any other node on a port of its own.
	const reporter = new ScrapeReporter(services.includes("api-gateway") ? {} : { listen: { host: config.API_HOST, port: config.OBSERVABILITY_METRICS_PORT } });
	return {
		namespace: config.NAMESPACE,
		nodeID: config.nodeID,
		logger: new PinoJsonLogger(runtime.logger, config.OBSERVABILITY_LOG_LEVEL),
		// A NATS server that stops answering (a frozen host) is found within pingInterval × maxPingOut, not NATS's default 4 minutes.
		transporter:
			config.TRANSPORTER && runtime.transport
				? new NatsTransporter({ url: config.TRANSPORTER, maxReconnectAttempts: -1, reconnectTimeWait: 1000, pingInterval: 5000, maxPingOut: 2 }, runtime.transport)
				: null,
		serializer: "JSON",
		requestTimeout: config.API_REQUEST_TIMEOUT,
		// A call that never reached its node (it died and the registry does not know yet) goes to another one.
		// Nothing else is retried: a timed-out call may have run, and retrying it could run it twice.
		retryPolicy: {
			enabled: true,
			retries: 5,
			delay: 100,
			maxDelay: 2000,
			factor: 2,
			check: err => ["REQUEST_REJECTED", "SERVICE_NOT_AVAILABLE"].includes((err as { type?: string }).type ?? "")
		},
		// Nodes that stop answering are dropped after 6 s; work they held is recovered by leases, not by this.
		heartbeatInterval: 2,
		heartbeatTimeout: 6,
		// SIGTERM waits for in-flight requests before services stop.
		tracking: { enabled: true, shutdownTimeout: config.SHUTDOWN_TIMEOUT },
		// Round robin over every node, this one included: ready steps and requests spread over the
		// cluster (a node that preferred itself would keep a run's backlog however many nodes join).
		registry: { strategy: "RoundRobin", preferLocal: false },
		cacher: config.REDIS_URL
			? new RedisCacher({
					// ioredis takes a URL where the typings ask for its options object.
					redis: config.REDIS_URL as unknown as Record<string, unknown>,
					prefix: `cognitionos${config.NAMESPACE ? `-${config.NAMESPACE}` : ""}`,
					ttl: Math.ceil(config.CACHE_TTL / 1000),
					// No Redlock (the cacher's locks are off); the typings know only its options object.
					redlock: false as unknown as Record<string, never>
				})
			: { type: "Memory", options: { ttl: Math.ceil(config.CACHE_TTL / 1000), clone: false } },
		validator: true,
		// Moleculer takes a reporter instance here; its typings know only the `{type, options}` form.
		metrics: { enabled: config.OBSERVABILITY_ENABLE_METRICS, reporter: [reporter as unknown as "Prometheus"] },
		// Moleculer's own tracer stays off: spans come from OpenTelemetry (middlewares/tracing.middleware.ts).
		tracing: false,
		// The request-scope middleware (spans or request context) is added by createBroker, after Moleculer's own.
		middlewares: [
			...(tracingEnabled() ? [EventTraceHeadersMiddleware()] : []),
			NodeObservabilityMiddleware(runtime, services),
			CallerMiddleware,
			DependencyErrorsMiddleware(runtime),
			...(runtime.transport ? [NatsOutageMiddleware(runtime.transport)] : [])
		],
		stopped: () => runtime.close()
	};
}

export interface CreateBrokerOptions {
	/** Services to load; the configuration's SERVICES when absent. */
	services?: ServiceName[];
	/** Extra schemas (tests add probes here). */
	extraServices?: ServiceSchema[];
	/** Where log lines go; stdout when absent. */
	logDestination?: DestinationStream;
	/** Leave SIGTERM/SIGINT handling to the caller (tests run many brokers in one process). */
	skipProcessEventRegistration?: boolean;
	/** How the data directory's free space is read (tests give low readings instead of filling a disk). */
	freeSpace?: FreeSpace;
}

/** Builds a broker for `config` with its runtime attached and its services created (not started). */
export function createBroker(config: Config, opts: CreateBrokerOptions = {}): ServiceBroker {
	startTracingFor(config);
	useBucketHistograms();
	const logger = createRootLogger({
		level: config.OBSERVABILITY_LOG_LEVEL,
		format: config.OBSERVABILITY_LOG_FORMAT,
		correlation: tracingEnabled() ? traceCorrelation : undefined,
		base: { service_name: config.SERVICE_NAME, version: config.version },
		destination: opts.logDestination
	});
	const runtime = new Runtime(config, logger);
	for (const warning of config.warnings) logger.warn(warning);
	// A gateway keeps a route to every service of the product, offered by some node right now or not.
	runtime.serviceCatalog = () => SERVICE_NAMES.map(name => SERVICE_MODULES[name]() as RestDeclaration);
	runtime.freeSpace = opts.freeSpace;
	const services = opts.services ?? config.SERVICES;
	const broker = new ServiceBroker({
		...brokerOptions(config, runtime, services),
		skipProcessEventRegistration: opts.skipProcessEventRegistration ?? false
	});
	attachRuntime(broker, runtime);
	// Added after Moleculer's internal middlewares (validator, cacher, timeout, …), so it wraps
	// them: every log line they write, and with tracing the action's span, carry the request's ids.
	// With tracing on, the trace context carries those ids; without it, a plain AsyncLocalStorage does.
	broker.middlewares.add(tracingEnabled() ? TracingMiddleware(broker) : RequestContextMiddleware);
	for (const name of services) broker.createService(SERVICE_MODULES[name]());
	for (const schema of opts.extraServices ?? []) broker.createService(schema);
	return broker;
}
