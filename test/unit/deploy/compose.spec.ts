import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../../../lib/config";
import { DEPLOYMENT_ROLES, envExample, isShipped, OPERATOR_VALUES, parseYamlFile, readText, ROOT, SETTING_NAMES } from "../../support/deployment";
import { parseDuration } from "../../../lib/duration";

interface ComposeService {
	image?: string;
	build?: unknown;
	command?: string[];
	environment?: Record<string, string>;
	env_file?: string | string[];
	depends_on?: Record<string, { condition: string }>;
	healthcheck?: { test?: string[]; disable?: boolean };
	deploy?: { replicas?: number };
	stop_grace_period?: string;
	ports?: string[];
	volumes?: string[];
}

const compose = parseYamlFile("docker-compose.yml") as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const services = compose.services;
const IMAGE = "cognitionos:";
const appServices = Object.entries(services).filter(([, s]) => s.image?.startsWith(IMAGE));
const roleServices = appServices.filter(([name]) => name !== "migrate");

/** Compose's variable substitution: ${X}, ${X:-default}, ${X-default}, ${X:?error}, ${X?error}; $$ is a dollar. */
function interpolate(value: string, env: Record<string, string>): string {
	return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
		if (whole === "$$") return "$";
		const v = env[name!];
		const unsetOrEmpty = v === undefined || (op?.startsWith(":") && v === "");
		if (op?.endsWith("-")) return unsetOrEmpty ? (arg ?? "") : v!;
		if (op?.endsWith("?")) {
			if (unsetOrEmpty) throw new Error(`${name}: ${arg}`);
			return v!;
		}
		return v ?? "";
	});
}

/** The variables the file substitutes, from its text. */
const substituted = [...readText("docker-compose.yml").matchAll(/(?<!\$)\$\{([A-Z0-9_]+)/g)].map(m => m[1]);

/** What the operator's .env holds: .env.example's defaults plus the two values it must fill in. */
const dotEnv = { ...envExample(), SECURITY_SECRET_KEY: OPERATOR_VALUES.SECURITY_SECRET_KEY, DB_PASSWORD: OPERATOR_VALUES.DB_PASSWORD };

/** A container's environment as the node sees it: the env file under the service's `environment`. */
function containerEnv(service: ComposeService, envFile: Record<string, string> = dotEnv): Record<string, string> {
	const environment = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), envFile)]));
	return { ...envFile, ...environment };
}

describe("docker-compose.yml", () => {
	it("runs one container per role, loading that role's services", () => {
		expect(roleServices.map(([name]) => name).sort()).toEqual(DEPLOYMENT_ROLES.map(r => r.role).sort());
		for (const { role, services: loads } of DEPLOYMENT_ROLES) expect({ role, SERVICES: services[role].environment?.SERVICES }).toEqual({ role, SERVICES: loads.join(",") });
	});

	it("builds the image once from this repository and runs two execution nodes", () => {
		for (const [name, s] of appServices) expect({ name, build: s.build }).toEqual({ name, build: "." });
		expect(new Set(appServices.map(([, s]) => s.image)).size).toBe(1);
		expect(services.execution.deploy?.replicas).toBeGreaterThanOrEqual(2);
	});

	it("provisions NATS with JetStream, PostgreSQL, Redis, RabbitMQ with its management plugin, Jaeger, Prometheus and Grafana", () => {
		expect(services.nats.command).toContain("--jetstream");
		expect(services.postgres.image).toMatch(/^postgres:/);
		expect(services.redis.image).toMatch(/^redis:/);
		expect(services.rabbitmq.image).toMatch(/^rabbitmq:.*management/);
		expect(services.jaeger.image).toMatch(/^jaegertracing\//);
		expect(services.prometheus.image).toMatch(/^prom\/prometheus:/);
		expect(services.grafana.image).toMatch(/^grafana\/grafana:/);
	});

	it("migrates once, after PostgreSQL is healthy, before any role starts", () => {
		expect(services.migrate.command).toEqual(["node", "dist/bin/migrate.js"]);
		expect(services.migrate.depends_on?.postgres).toEqual({ condition: "service_healthy" });
		for (const [name, s] of roleServices) {
			expect({ name, migrate: s.depends_on?.migrate }).toEqual({ name, migrate: { condition: "service_completed_successfully" } });
			for (const dependency of ["nats", "redis", "rabbitmq"]) expect({ name, dependency, on: s.depends_on?.[dependency] }).toEqual({ name, dependency, on: { condition: "service_healthy" } });
		}
	});

	it("waits on health only for containers that report it", () => {
		const dockerfileHasHealthcheck = /^HEALTHCHECK /m.test(readText("Dockerfile"));
		for (const [name, s] of Object.entries(services)) {
			for (const [dependency, { condition }] of Object.entries(s.depends_on ?? {})) {
				expect(services[dependency]).toBeDefined();
				if (condition !== "service_healthy") continue;
				const own = services[dependency].healthcheck;
				const reports = own ? !own.disable && Boolean(own.test?.length) : services[dependency].image?.startsWith(IMAGE) && dockerfileHasHealthcheck;
				expect({ service: name, waitsOn: dependency, reportsHealth: reports }).toEqual({ service: name, waitsOn: dependency, reportsHealth: true });
			}
		}
	});

	it("sets only variables the configuration knows, from the env file that .env.example describes", () => {
		for (const [name, s] of appServices) {
			expect({ name, env_file: s.env_file }).toEqual({ name, env_file: ".env" });
			const unknown = Object.keys(s.environment ?? {}).filter(k => !SETTING_NAMES.has(k));
			expect({ name, unknown }).toEqual({ name, unknown: [] });
		}
		const unknownSubstitutions = [...new Set(substituted)].filter(v => !SETTING_NAMES.has(v));
		expect(unknownSubstitutions).toEqual([]);
	});

	it("refuses to start without the secrets the operator must choose", () => {
		const withoutSecrets = { ...envExample() };
		expect(() => interpolate(String(services.gateway.environment?.SECURITY_SECRET_KEY), withoutSecrets)).toThrow(/SECURITY_SECRET_KEY/);
		expect(() => interpolate(String(services.postgres.environment?.POSTGRES_PASSWORD), withoutSecrets)).toThrow(/DB_PASSWORD/);
	});

	it("gives every role a configuration that loads, as a cluster node on the compose network", () => {
		// An .env written for another setup (URLs of other servers) does not take the containers off this network.
		const elsewhere = { ...dotEnv, DATABASE_URL: "postgres://u:p@db.example.com/x", REDIS_URL: "redis://cache.example.com", RABBITMQ_URL: "amqp://mq.example.com" };
		for (const envFile of [dotEnv, elsewhere])
			for (const { role, services: loads } of DEPLOYMENT_ROLES) {
				const env = containerEnv(services[role], envFile);
				// A service still being built is left out of SERVICES here; everything else must load.
				env.SERVICES = loads.filter(isShipped).join(",") || "auth";
				const config = loadConfig(env);
				expect({ role, mode: config.mode, database: new URL(config.database.url).host, redis: config.REDIS_URL, rabbitmq: new URL(config.RABBITMQ_URL).host }).toEqual({
					role,
					mode: "cluster",
					database: "postgres:5432",
					redis: "redis://redis:6379",
					rabbitmq: "rabbitmq:5672"
				});
			}
		expect(() => loadConfig(containerEnv(services.migrate))).not.toThrow();
	});

	it("gives the database and RabbitMQ containers the credentials the nodes use", () => {
		const node = loadConfig({ ...containerEnv(services.auth), SERVICES: "auth" });
		const pg = Object.fromEntries(Object.entries(services.postgres.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), dotEnv)]));
		expect([pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, pg.POSTGRES_DB]).toEqual([node.DB_USERNAME, node.DB_PASSWORD, node.DB_DATABASE]);
		const mq = Object.fromEntries(Object.entries(services.rabbitmq.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), dotEnv)]));
		expect([mq.RABBITMQ_DEFAULT_USER, mq.RABBITMQ_DEFAULT_PASS]).toEqual([node.RABBITMQ_USERNAME, node.RABBITMQ_PASSWORD]);
	});

	it("publishes the gateway's port and gives each node longer to stop than its drain takes", () => {
		const gateway = loadConfig({ ...containerEnv(services.gateway), SERVICES: "api-gateway" });
		expect(services.gateway.ports?.map(p => interpolate(p, dotEnv))).toEqual([`${gateway.API_PORT}:${gateway.API_PORT}`]);
		for (const [name, s] of roleServices) {
			const config = loadConfig({ ...containerEnv(s), SERVICES: "auth" });
			const grace = parseDuration(s.stop_grace_period ?? "10s")!;
			// In-flight requests drain first, then the services stop (an execution node's running steps): each up to SHUTDOWN_TIMEOUT.
			expect({ name, enough: grace > 2 * config.SHUTDOWN_TIMEOUT }).toEqual({ name, enough: true });
		}
	});

	it("mounts the monitoring configuration where Prometheus and Grafana read it", () => {
		expect(services.prometheus.volumes).toContain("./monitoring/prometheus:/etc/prometheus:ro");
		expect(services.prometheus.command).toContain("--config.file=/etc/prometheus/prometheus.yml");
		expect(services.grafana.volumes).toEqual(
			expect.arrayContaining(["./monitoring/grafana/provisioning:/etc/grafana/provisioning:ro", "./monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro"])
		);
		for (const [, s] of Object.entries(services))
			for (const volume of s.volumes ?? []) {
				const source = volume.split(":")[0];
				if (!source.startsWith(".")) expect(Object.keys(compose.volumes ?? {})).toContain(source);
			}
	});

	(existsSync(path.join(ROOT, "monitoring")) ? it : it.skip)("finds the mounted monitoring files in the repository", () => {
		expect(existsSync(path.join(ROOT, "monitoring/prometheus/prometheus.yml"))).toBe(true);
		expect(existsSync(path.join(ROOT, "monitoring/grafana/provisioning"))).toBe(true);
		expect(existsSync(path.join(ROOT, "monitoring/grafana/dashboards"))).toBe(true);
	});
});
