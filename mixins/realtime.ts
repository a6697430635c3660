/**
 * The real-time hub of a node, shared by the services that meet in it: the gateway
 * (which connects clients) and the notifier (which feeds it the runs' messages). One per
 * broker, so two nodes in one test process never share clients.
 */
import type { ServiceBroker } from "moleculer";
import { RealtimeHub, type HubObserver } from "../lib/realtime/hub";
import { runtimeOf } from "../lib/runtime";
import { ensureMetrics, REALTIME_METRICS } from "./metrics";

const hubs = new WeakMap<ServiceBroker, RealtimeHub>();

function metricsObserver(broker: ServiceBroker): HubObserver | undefined {
	if (!broker.isMetricsEnabled()) return undefined;
	ensureMetrics(broker, REALTIME_METRICS);
	const metrics = broker.metrics;
	return {
		connections: (transport, delta) => metrics.increment("websocket_connections", { transport }, delta),
		sent: (transport, type) => metrics.increment("websocket_messages_sent_total", { transport, type }),
		dropped: (transport, reason, count = 1) => metrics.increment("websocket_messages_dropped_total", { transport, reason }, count)
	};
}

export function realtimeHubOf(broker: ServiceBroker): RealtimeHub {
	let hub = hubs.get(broker);
	if (!hub) {
		const { config } = runtimeOf(broker);
		hub = new RealtimeHub({
			nodeId: broker.nodeID,
			maxConnectionsPerUser: config.REALTIME_MAX_CONNECTIONS_PER_USER,
			maxBacklog: config.REALTIME_MAX_BACKLOG,
			streams: {
				retentionMs: config.REALTIME_RESUME_RETENTION,
				maxMessages: config.REALTIME_RESUME_MAX_MESSAGES,
				reorderWindowMs: config.REALTIME_REORDER_WINDOW,
				now: Date.now
			},
			observer: metricsObserver(broker)
		});
		hubs.set(broker, hub);
	}
	return hub;
}
