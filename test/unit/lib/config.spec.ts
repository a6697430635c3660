import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, engineTransactionTimeoutMs, environmentWithDotEnv, loadConfig, renderEnvExample, SERVICE_NAMES, SETTINGS } from "../../../lib/config";

function problemsOf(env: Record<string, string>): string[] {
	try {
		loadConfig(env);
	} catch (err) {
		if (err instanceof ConfigError) return err.problems;
		throw err;
	}
	throw new Error("expected a ConfigError");
}

describe("config", () => {
	it("runs embedded with SQLite under DATA_DIR by default", () => {
		const c = loadConfig({});
		expect(c.mode).toBe("embedded");
		expect(c.API_PORT).toBe(8100);
		expect(c.API_HOST).toBe("0.0.0.0");
		expect(c.database.dialect).toBe("sqlite");
		expect(c.database.storage).toBe(path.resolve("./data/cognitionos.sqlite"));
		expect(c.SERVICES).toEqual([...SERVICE_NAMES]);
		expect(c.REDIS_URL).toBe("");
	});

	it("runs as a cluster node with a transporter and PostgreSQL", () => {
		const c = loadConfig({
			TRANSPORTER: "nats://127.0.0.1:4222",
			DATABASE_URL: "postgres://u:p@db:5432/cos",
			SERVICES: "api-gateway",
			SECURITY_SECRET_KEY: "k".repeat(32)
		});
		expect(c.mode).toBe("cluster");
		expect(c.database).toEqual({ dialect: "postgres", url: "postgres://u:p@db:5432/cos" });
		expect(c.SERVICES).toEqual(["api-gateway"]);
	});

	it("builds URLs from the summary's DB_*, REDIS_* and RABBITMQ_* names", () => {
		const c = loadConfig({ DB_HOST: "postgres", DB_PASSWORD: "s3cret", REDIS_HOST: "redis", RABBITMQ_HOST: "rabbitmq" });
		expect(c.database.url).toBe("postgres://cognition:s3cret@postgres:5432/cognitionos");
		expect(c.REDIS_URL).toBe("redis://redis:6379");
		expect(c.RABBITMQ_URL).toBe("amqp://guest:guest@rabbitmq:5672");
	});

	it.each([
		["API_PORT", "eighty", "API_PORT must be an integer between 0 and 65535"],
		["API_PORT", "70000", "API_PORT must be an integer between 0 and 65535"],
		["API_DEBUG", "maybe", "API_DEBUG must be true or false"],
		["TRANSPORTER", "redis://x", "TRANSPORTER must be a URL starting with nats:// or tls://"],
		["DATABASE_URL", "mysql://x/y", "DATABASE_URL must be a URL starting with postgres:// or postgresql://"],
		["SERVICES", "api-gateway,bogus", "SERVICES must be a comma list of"],
		["OBSERVABILITY_LOG_LEVEL", "loud", "OBSERVABILITY_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace"],
		["API_REQUEST_TIMEOUT", "soon", "API_REQUEST_TIMEOUT must be a duration"],
		["API_BODY_LIMIT", "huge", "API_BODY_LIMIT must be a size"]
	])("refuses %s=%s, naming the variable and what it expected", (name, value, message) => {
		const problems = problemsOf({ [name]: value });
		expect(problems).toHaveLength(1);
		expect(problems[0]).toContain(message);
		expect(problems[0]).toContain(name === "DATABASE_URL" ? "(hidden)" : JSON.stringify(value));
	});

	it("reports every bad variable at once", () => {
		expect(problemsOf({ API_PORT: "x", API_DEBUG: "y" })).toHaveLength(2);
	});

	it("never echoes a secret's value in its error", () => {
		const [problem] = problemsOf({ DATABASE_URL: "mysql://user:hunter2@db/x" });
		expect(problem).not.toContain("hunter2");
		expect(problem).toContain("(hidden)");
	});

	it.each([
		["TRANSPORTER", "http://natsuser:s3cretpw@nats:4222", "http://[REDACTED]@nats:4222"],
		["TRANSPORTER", "nats://n1:4222, nats//tok3nvalue@n2:4222", "nats//[REDACTED]@n2:4222"],
		["TRANSPORTER", "natsuser:s3cretpw@nats:4222", "[REDACTED]@nats:4222"],
		["OBSERVABILITY_OTLP_ENDPOINT", "grpc://otel:s3cretpw@collector:4317", "grpc://[REDACTED]@collector:4317"],
		["LLM_OPENAI_BASE_URL", "ftp://user:s3cret@pw@llm:11434/v1", "ftp://[REDACTED]@llm:11434/v1"],
		["LLM_ANTHROPIC_BASE_URL", "anthropic.example/v1?api_key=s3cretpw", "api_key=[REDACTED]"]
	])("masks credentials in a refused URL-like %s", (name, value, shown) => {
		const [problem] = problemsOf({ [name]: value });
		expect(problem).toContain(name);
		expect(problem).toContain(shown);
		for (const secret of ["s3cret", "tok3nvalue", "natsuser"]) expect(problem).not.toContain(secret);
	});

	it("masks URL credentials in every start-up problem and in the printed message", () => {
		const err = new ConfigError(["SECURITY_PUBLIC_KEY_FILE must name a readable PEM file, got \"https://u:hunter22@keys/pub.pem\""]);
		expect(err.message).not.toContain("hunter22");
		expect(err.problems[0]).not.toContain("hunter22");
		expect(err.message).toContain("https://[REDACTED]@keys/pub.pem");
	});

	it("needs a shared signing key in a cluster, and a long one", () => {
		expect(problemsOf({ TRANSPORTER: "nats://n:4222" })[0]).toContain("SECURITY_SECRET_KEY must be set in a cluster");
		expect(problemsOf({ SECURITY_SECRET_KEY: "short" })[0]).toContain("at least 32 characters");
		expect(problemsOf({ SECURITY_ALGORITHM: "RS256" })[0]).toContain("SECURITY_PUBLIC_KEY_FILE must be set");
	});

	it("bounds engine transactions under a lease: half of it unless set, and never as long", () => {
		expect(engineTransactionTimeoutMs(loadConfig({}))).toBe(1500);
		expect(engineTransactionTimeoutMs(loadConfig({ ENGINE_LEASE_TTL: "10s", ENGINE_TRANSACTION_TIMEOUT: "2s" }))).toBe(2000);
		expect(problemsOf({ ENGINE_LEASE_TTL: "2s", ENGINE_TRANSACTION_TIMEOUT: "2s" })).toEqual([
			"ENGINE_TRANSACTION_TIMEOUT must be shorter than ENGINE_LEASE_TTL (2000 ms): a transaction may not outlive its node's lease"
		]);
	});

	it("reads sizes with their unit", () => {
		expect(loadConfig({ DATA_DIR_MIN_FREE: "64mb" }).DATA_DIR_MIN_FREE).toBe(64 * 1024 ** 2);
		expect(problemsOf({ DATA_DIR_MIN_FREE: "lots" })).toEqual(['DATA_DIR_MIN_FREE must be a size such as "64mb" or "1gb", got "lots"']);
	});

	it("refuses debug output in production", () => {
		expect(problemsOf({ ENVIRONMENT: "production", API_DEBUG: "true", SECURITY_SECRET_KEY: "k".repeat(32) })[0]).toContain("API_DEBUG");
	});

	it("reads .env under the real environment, which wins", () => {
		const dir = mkdtempSync(path.join(tmpdir(), "cos-env-"));
		const file = path.join(dir, ".env");
		writeFileSync(file, "API_PORT=9000\nNAMESPACE=from-file\n");
		const env = environmentWithDotEnv({ ENV_FILE: file, NAMESPACE: "from-env" });
		const c = loadConfig(env);
		expect(c.API_PORT).toBe(9000);
		expect(c.NAMESPACE).toBe("from-env");
	});

	it("refuses an ENV_FILE that does not exist", () => {
		expect(() => environmentWithDotEnv({ ENV_FILE: "/nonexistent/.env" })).toThrow(ConfigError);
	});

	it(".env.example lists exactly the settings, with their defaults", () => {
		const file = readFileSync(path.resolve(__dirname, "../../../.env.example"), "utf8");
		expect(file).toBe(renderEnvExample());
		for (const name of Object.keys(SETTINGS)) expect(file).toMatch(new RegExp(`^${name}=`, "m"));
	});
});
