/** Answers of the health routes (lib/health.ts `HealthReport`), as JSON Schema for the OpenAPI document. */
import type { JsonSchema } from "./fastest-validator";

const DEPENDENCY: JsonSchema = { type: "string", enum: ["ok", "down", "not_configured"] };

const REPORT_PROPERTIES: Record<string, JsonSchema> = {
	version: { type: "string" },
	timestamp: { type: "string", format: "date-time" },
	node_id: { type: "string" },
	mode: { type: "string", enum: ["embedded", "cluster"] },
	database: DEPENDENCY,
	redis: DEPENDENCY,
	rabbitmq: DEPENDENCY,
	nats: DEPENDENCY,
	disk: { type: "string", enum: ["ok", "low", "not_checked"] },
	degraded: { type: "array", items: { type: "string", enum: ["redis", "rabbitmq", "disk"] } }
};

export const HEALTH_REPORT: JsonSchema = {
	title: "HealthReport",
	type: "object",
	required: ["status", "version", "timestamp", "node_id", "mode", "database", "redis", "rabbitmq", "nats", "disk", "degraded"],
	properties: { status: { type: "string", enum: ["ok", "degraded", "unhealthy", "starting"] }, ...REPORT_PROPERTIES },
	additionalProperties: false
};

export const LIVENESS: JsonSchema = {
	type: "object",
	required: ["status"],
	properties: { status: { const: "ok" } },
	additionalProperties: false
};

/** The health report plus whether the routes are built; only `status` while draining. */
export const READINESS: JsonSchema = {
	title: "Readiness",
	type: "object",
	required: ["status"],
	properties: { status: { type: "string", enum: ["ready", "not_ready", "draining"] }, routes: { type: "boolean" }, ...REPORT_PROPERTIES },
	additionalProperties: false
};
