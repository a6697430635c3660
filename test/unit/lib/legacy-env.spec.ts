import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { ConfigError, loadConfig, SETTINGS } from "../../../lib/config";
import { readLegacyEnvironment } from "../../../lib/legacy-env";

/** The product summary's `.env`, as its Configuration section prints it. */
function summaryEnv(): Record<string, string> {
	const summary = readFileSync(path.resolve(__dirname, "../../fixtures/summary.env"), "utf8");
	return parseEnv(summary) as Record<string, string>;
}

describe("the product summary's .env", () => {
	it("is accepted with warnings once its secret is long enough: Jaeger becomes the OTLP endpoint, SERVICE_VERSION is honoured, CELERY_* named as ignored", () => {
		const env = { ...summaryEnv(), SECURITY_SECRET_KEY: "a".repeat(64), SERVICE_VERSION: "3.0.1-summary", DATA_DIR: "/tmp/unused" };
		const config = loadConfig(env);
		expect(config.OBSERVABILITY_OTLP_ENDPOINT).toBe("http://localhost:4318");
		expect(config.version).toBe("3.0.1-summary");
		expect(config.warnings).toEqual([
			expect.stringContaining("OBSERVABILITY_JAEGER_HOST/_PORT (6831) read as OBSERVABILITY_OTLP_ENDPOINT=http://localhost:4318"),
			"Ignored, not settings of CognitionOS (see .env.example): CELERY_BROKER_URL, CELERY_RESULT_BACKEND"
		]);
	});

	it("with its too-short secret says how to make one", () => {
		let error: unknown;
		try {
			loadConfig(summaryEnv());
		} catch (err) {
			error = err;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as ConfigError).problems).toEqual(["SECURITY_SECRET_KEY must be at least 32 characters, got a shorter one: make one with `openssl rand -hex 32`"]);
	});
});

describe("readLegacyEnvironment", () => {
	const known = Object.keys(SETTINGS);

	it("names unknown members of a settings family and foreign ones once, and leaves other variables alone", () => {
		const { warnings } = readLegacyEnvironment({ LLM_OPENAI_KEY: "typo", CELERY_X: "1", NODE_OPTIONS: "--x", PATH: "/bin", API_PORT: "1" }, known);
		expect(warnings).toEqual(["Ignored, not settings of CognitionOS (see .env.example): CELERY_X, LLM_OPENAI_KEY"]);
	});

	it("leaves an OTLP endpoint that is set alone, and says the Jaeger names are ignored", () => {
		const { env, warnings } = readLegacyEnvironment({ OBSERVABILITY_OTLP_ENDPOINT: "http://otel:4318", OBSERVABILITY_JAEGER_HOST: "jaeger" }, known);
		expect(env.OBSERVABILITY_OTLP_ENDPOINT).toBe("http://otel:4318");
		expect(warnings).toEqual(["OBSERVABILITY_JAEGER_HOST/_PORT are ignored: OBSERVABILITY_OTLP_ENDPOINT is set"]);
		expect(readLegacyEnvironment({ API_PORT: "8100" }, known).warnings).toEqual([]);
	});
});
