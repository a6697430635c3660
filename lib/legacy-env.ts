/**
 * The product summary's `.env` spells a few settings its own way: they are read with a
 * warning instead of refused. Its Jaeger agent address becomes the OTLP endpoint, and
 * names that look like settings but are none (CELERY_*, a typo) are named once as ignored.
 * Pure: the environment and the known names in, the environment to read and warnings out.
 */

// Jaeger takes OTLP over HTTP on this port; the summary's 6831 is its agent's UDP port, which OpenTelemetry no longer speaks.
const JAEGER_OTLP_HTTP_PORT = 4318;
// Prefixes of names a reader of the summary might set and we do not use.
const FOREIGN_PREFIXES = ["CELERY_"];
const FAMILY_SIZE = 3;

export interface LegacyReading {
	env: Record<string, string | undefined>;
	warnings: string[];
}

export function readLegacyEnvironment(env: Record<string, string | undefined>, known: readonly string[]): LegacyReading {
	const out = { ...env };
	const warnings: string[] = [];
	const jaegerHost = env.OBSERVABILITY_JAEGER_HOST?.trim();
	const jaegerPort = env.OBSERVABILITY_JAEGER_PORT?.trim();
	if (jaegerHost) {
		if (env.OBSERVABILITY_OTLP_ENDPOINT) {
			warnings.push("OBSERVABILITY_JAEGER_HOST/_PORT are ignored: OBSERVABILITY_OTLP_ENDPOINT is set");
		} else {
			const endpoint = `http://${jaegerHost}:${JAEGER_OTLP_HTTP_PORT}`;
			out.OBSERVABILITY_OTLP_ENDPOINT = endpoint;
			warnings.push(
				`OBSERVABILITY_JAEGER_HOST${jaegerPort ? `/_PORT (${jaegerPort})` : ""} read as OBSERVABILITY_OTLP_ENDPOINT=${endpoint}: traces go to Jaeger over OTLP/HTTP (port ${JAEGER_OTLP_HTTP_PORT}); set OBSERVABILITY_OTLP_ENDPOINT instead`
			);
		}
	}
	const knownSet = new Set([...known, "OBSERVABILITY_JAEGER_HOST", "OBSERVABILITY_JAEGER_PORT"]);
	// A family of settings (LLM_*, DB_*, …) is a prefix three or more of them share; NODE_ID makes no family of NODE_*.
	const counts = new Map<string, number>();
	for (const name of known) counts.set(`${name.split("_")[0]}_`, (counts.get(`${name.split("_")[0]}_`) ?? 0) + 1);
	const prefixes = new Set([...[...counts].filter(([, n]) => n >= FAMILY_SIZE).map(([p]) => p), ...FOREIGN_PREFIXES]);
	const ignored = Object.keys(env)
		.filter(name => env[name] !== undefined && !knownSet.has(name) && [...prefixes].some(p => name.startsWith(p)))
		.sort();
	if (ignored.length) warnings.push(`Ignored, not settings of CognitionOS (see .env.example): ${ignored.join(", ")}`);
	return { env: out, warnings };
}
