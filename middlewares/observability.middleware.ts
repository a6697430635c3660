import type { Middleware, MetricTypes, ServiceBroker } from "moleculer";
import { createQueryObserver, type QueryMetricsSink } from "../lib/observability/db";
import { flushTracing } from "../lib/observability/tracing";
import type { Runtime } from "../lib/runtime";
import { scrapeReporterOf } from "../mixins/metrics-reporter";
import { DB_METRICS, DB_POOL_METRICS, ensureMetrics, SERVICE_METRICS } from "../mixins/metrics";

function queryMetrics(broker: ServiceBroker): QueryMetricsSink | undefined {
	if (!broker.isMetricsEnabled()) return undefined;
	ensureMetrics(broker, DB_METRICS);
	const total = broker.metrics.getMetric("db_queries_total") as MetricTypes.Counter;
	const duration = broker.metrics.getMetric("db_query_duration_seconds") as MetricTypes.Histogram;
	return {
		query(operation, table, seconds) {
			const labels = { operation, table };
			total.increment(labels);
			duration.observe(seconds, labels);
		}
	};
}

/**
 * What every node reports about itself, whichever services it runs: the SQL statements
 * it runs (metrics and spans), its database pool, `cognitionos_service_info`; and its
 * last spans are sent before it stops.
 */
export function NodeObservabilityMiddleware(runtime: Runtime, services: readonly string[]): Middleware {
	return {
		name: "NodeObservability",
		created(broker: ServiceBroker) {
			const { config } = runtime;
			runtime.queryObserver = createQueryObserver(config.database.dialect, queryMetrics(broker));
			if (!broker.isMetricsEnabled()) return;
			ensureMetrics(broker, SERVICE_METRICS);
			if (config.database.dialect === "postgres") {
				ensureMetrics(broker, DB_POOL_METRICS);
				const connections = broker.metrics.getMetric("db_pool_connections") as MetricTypes.Gauge;
				const max = broker.metrics.getMetric("db_pool_max_connections") as MetricTypes.Gauge;
				const waiting = broker.metrics.getMetric("db_pool_waiting_requests") as MetricTypes.Gauge;
				scrapeReporterOf(broker)?.beforeScrape(() => {
					const stats = runtime.openedDatabase?.poolStats?.();
					if (!stats) return;
					connections.set(stats.inUse, { state: "in_use" });
					connections.set(stats.idle, { state: "idle" });
					max.set(stats.max);
					waiting.set(stats.waiting);
				});
			}
		},
		started(broker: ServiceBroker) {
			if (!broker.isMetricsEnabled()) return;
			const { config } = runtime;
			const info = broker.metrics.getMetric("cognitionos_service_info") as MetricTypes.Gauge;
			info.set(1, { version: config.version, node_id: config.nodeID, mode: config.mode, environment: config.ENVIRONMENT, services: services.join(",") });
		},
		async stopped() {
			await flushTracing().catch(() => undefined);
		}
	} as unknown as Middleware;
}
