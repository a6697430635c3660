import { readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";

const ROOT = path.resolve(__dirname, "../../..");
const compose = YAML.parse(readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8")) as { services: Record<string, { environment?: Record<string, string> }> };
const scrape = YAML.parse(readFileSync(path.join(ROOT, "monitoring/prometheus/prometheus.yml"), "utf8")) as {
	scrape_configs: { job_name: string; static_configs?: { targets: string[] }[]; dns_sd_configs?: { names: string[]; port: number }[] }[];
};

/** Where a compose service of CognitionOS serves /metrics: the API port with the gateway, the metrics port without. */
function metricsPort(service: string): number | null {
	const env = compose.services[service]?.environment;
	if (!env?.SERVICES) return null;
	return env.SERVICES.split(",").includes("api-gateway") ? 8100 : 3030;
}

describe("monitoring/prometheus/prometheus.yml against docker-compose.yml", () => {
	const targets = scrape.scrape_configs.flatMap(job => [
		...(job.static_configs ?? []).flatMap(c => c.targets.map(t => ({ host: t.split(":")[0], port: Number(t.split(":")[1]) }))),
		...(job.dns_sd_configs ?? []).flatMap(c => c.names.map(name => ({ host: name, port: c.port })))
	]);

	it("scrapes only services that exist, on the port where each serves /metrics", () => {
		expect(targets.length).toBeGreaterThan(0);
		for (const t of targets) expect([t.host, t.port]).toEqual([t.host, metricsPort(t.host)]);
	});

	it("scrapes every CognitionOS role of the compose file", () => {
		const roles = Object.keys(compose.services).filter(name => metricsPort(name) !== null);
		expect(targets.map(t => t.host).sort()).toEqual(roles.sort());
	});
});
