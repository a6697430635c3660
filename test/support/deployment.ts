import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments, parseDocument } from "yaml";
import { SERVICE_NAMES, SETTINGS } from "../../lib/config";

export const ROOT = path.resolve(__dirname, "../..");

/**
 * The roles the deployment files run: each is one docker-compose service and one
 * Kubernetes Deployment (`cognitionos-<role>`), loading these services. The tests hold
 * docker-compose.yml and k8s/ to this table, and the table to SERVICE_NAMES.
 */
export const DEPLOYMENT_ROLES: { role: string; services: string[] }[] = [
	// The notifier delivers real-time messages to the sockets of its own node, so it runs with the gateway.
	// The events service (POST /events, inbound webhooks) verifies and forwards: HTTP-facing work, beside the gateway.
	{ role: "gateway", services: ["api-gateway", "notifier", "events"] },
	{ role: "auth", services: ["auth"] },
	// Evals start runs through the execution service and score them: work about workflow versions, beside their store.
	{ role: "workflow", services: ["workflow", "evals"] },
	{ role: "execution", services: ["execution"] },
	{ role: "llm", services: ["llm"] },
	{ role: "event-bus", services: ["event-bus", "webhooks"] }
];

/**
 * Services the deployment files already run while they are being built elsewhere. Until
 * one is in SERVICE_NAMES its roles are checked for everything but its name; from then
 * on, in full, with no change here.
 */
export const UPCOMING_SERVICES: string[] = [];

export const isShipped = (service: string) => (SERVICE_NAMES as readonly string[]).includes(service);

export const SETTING_NAMES = new Set(Object.keys(SETTINGS));

export function isSecretSetting(name: string): boolean {
	return Boolean((SETTINGS as unknown as Record<string, { secret?: boolean }>)[name]?.secret);
}

/** Settings values a deployment leaves to the operator, filled in for the tests that load the configuration. */
export const OPERATOR_VALUES: Record<string, string> = {
	SECURITY_SECRET_KEY: "deployment-test-secret-that-is-long-enough-0123",
	DB_PASSWORD: "deployment-test-password",
	SECURITY_ADMIN_PASSWORD: "deployment-test-admin-password",
	REDIS_URL: "redis://:password@redis-master:6379",
	RABBITMQ_URL: "amqp://user:password@cognitionos-mq:5672"
};

export function readText(relative: string): string {
	return readFileSync(path.join(ROOT, relative), "utf8");
}

/** One YAML document; throws on any syntax error or warning. Compose files use merge keys (`<<`). */
export function parseYamlFile(relative: string): unknown {
	const doc = parseDocument(readText(relative), { merge: true, prettyErrors: true });
	const problems = [...doc.errors, ...doc.warnings];
	if (problems.length) throw new Error(`${relative}: ${problems.map(p => p.message).join("; ")}`);
	return doc.toJS({ maxAliasCount: 1000 });
}

export interface K8sObject {
	apiVersion: string;
	kind: string;
	metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
	[field: string]: unknown;
}

/** Every document of every YAML file under k8s/, with the file it came from. */
export function k8sDocuments(): { file: string; object: K8sObject }[] {
	const out: { file: string; object: K8sObject }[] = [];
	for (const file of readdirSync(path.join(ROOT, "k8s"))
		.filter(f => f.endsWith(".yaml"))
		.sort()) {
		const docs = parseAllDocuments(readText(`k8s/${file}`), { prettyErrors: true });
		for (const doc of Array.isArray(docs) ? docs : [docs]) {
			const problems = [...doc.errors, ...doc.warnings];
			if (problems.length) throw new Error(`k8s/${file}: ${problems.map(p => p.message).join("; ")}`);
			const object = doc.toJS() as K8sObject | null;
			if (object) out.push({ file, object });
		}
	}
	return out;
}

/** The `.env.example` defaults as a map (comments and blank lines skipped). */
export function envExample(): Record<string, string> {
	const out: Record<string, string> = {};
	for (const line of readText(".env.example").split("\n")) {
		const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
		if (m) out[m[1]] = m[2];
	}
	return out;
}
