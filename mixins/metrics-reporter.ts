import http from "node:http";
import type { AddressInfo } from "node:net";
import { MetricReporters, type MetricRegistry } from "moleculer";
import { renderExposition, type MetricFamilySource } from "../lib/observability/prometheus";

type Collector = () => void;

/**
 * Moleculer's metrics left out of /metrics: clock readings, and facts about the host
 * (command line, OS user, network addresses) that an endpoint on the API port should not tell.
 */
function isWithheld(name: string): boolean {
	return name.startsWith("os.datetime") || name === "process.arguments" || name.startsWith("os.user.") || name.startsWith("os.network.");
}

export interface ScrapeReporterOptions {
	/**
	 * Where to serve `/metrics` itself: a node without the gateway listens here; a node
	 * with the gateway leaves this out and the gateway serves the same text on its port.
	 */
	listen?: { host: string; port: number };
}

/**
 * Moleculer's Prometheus reporter with output `promtool check metrics` accepts (see
 * lib/observability/prometheus.ts), gauges read from their sources at scrape time, and a
 * server of its own only on nodes that have no gateway.
 */
export class ScrapeReporter extends MetricReporters.Prometheus {
	private readonly collectors: Collector[] = [];
	private readonly listenAt?: { host: string; port: number };
	declare registry: MetricRegistry & { store: Map<string, MetricFamilySource> };

	constructor(opts: ScrapeReporterOptions = {}) {
		super({ port: opts.listen?.port ?? 0, path: "/metrics" });
		this.listenAt = opts.listen;
	}

	override init(registry: MetricRegistry): void {
		this.registry = registry as ScrapeReporter["registry"];
		this.broker = registry.broker;
		this.logger = registry.logger;
		if (!this.listenAt) return;
		this.server = http.createServer((req, res) => this.handler(req, res));
		// A taken port costs this node its metrics, not its work.
		this.server.on("error", err => this.logger.error(`Metrics cannot listen on ${this.listenAt?.host}:${this.listenAt?.port}: ${err.message}`));
		this.server.listen(this.listenAt.port, this.listenAt.host, () => {
			const { address, port } = this.server.address() as AddressInfo;
			this.logger.info({ host: address, port }, `Metrics at http://${address}:${port}/metrics`);
		});
	}

	override stop(): Promise<void> {
		if (!this.server?.listening) return Promise.resolve();
		return new Promise(resolve => this.server.close(() => resolve()));
	}

	/** Runs `collect` before each scrape, to read gauges whose source is elsewhere (pool sizes). */
	beforeScrape(collect: Collector): void {
		this.collectors.push(collect);
	}

	override generatePrometheusResponse(): string {
		for (const collect of this.collectors) {
			try {
				collect();
			} catch (err) {
				this.logger.warn("A metrics collector failed", err);
			}
		}
		return renderExposition(this.registry.store.values(), isWithheld);
	}
}

/** The reporter of a broker, when metrics are on. */
export function scrapeReporterOf(broker: { metrics?: { reporter?: unknown[] } }): ScrapeReporter | undefined {
	return broker.metrics?.reporter?.find((r): r is ScrapeReporter => r instanceof ScrapeReporter);
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
