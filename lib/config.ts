/**
 * Every setting CognitionOS reads, from the environment (and an optional `.env`),
 * validated once at start. A bad value stops start-up with a message naming the
 * variable and what it expected; `.env.example` lists the same table.
 */
import { parseMcpServers } from "./agents/mcp-config";
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import { parseDuration } from "./duration";
import { parseRetention, RETENTION_HINT } from "./retention/policy";
import { readLegacyEnvironment } from "./legacy-env";
import { redactUrlCredentials } from "./redact";
import { parseModelMap, parsePricing, parseProviderList, parseRoles } from "./llm/settings";

/** The services a node can load, by file name under `services/`. */
export const SERVICE_NAMES = ["api-gateway", "auth", "workflow", "execution", "llm", "event-bus", "webhooks", "notifier", "events", "evals"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

interface Setting<T> {
	default: string;
	description: string;
	/** Throws an Error whose message says what was expected. */
	parse(raw: string): T;
	secret?: boolean;
}

const str = (def: string, description: string, secret = false): Setting<string> => ({
	default: def,
	description,
	secret,
	parse: raw => raw
});

const int = (def: number, min: number, max: number, description: string): Setting<number> => ({
	default: String(def),
	description,
	parse(raw) {
		if (!/^-?\d+$/.test(raw.trim())) throw new Error(`an integer between ${min} and ${max}`);
		const n = Number(raw);
		if (n < min || n > max) throw new Error(`an integer between ${min} and ${max}`);
		return n;
	}
});

const num = (def: number, min: number, max: number, description: string): Setting<number> => ({
	default: String(def),
	description,
	parse(raw) {
		const n = Number(raw);
		if (raw.trim() === "" || !Number.isFinite(n) || n < min || n > max)
			throw new Error(`a number between ${min} and ${max}`);
		return n;
	}
});

const bool = (def: boolean, description: string): Setting<boolean> => ({
	default: String(def),
	description,
	parse(raw) {
		const v = raw.trim().toLowerCase();
		if (["true", "1", "yes", "on"].includes(v)) return true;
		if (["false", "0", "no", "off"].includes(v)) return false;
		throw new Error("true or false");
	}
});

const oneOf = <T extends string>(values: readonly T[], def: T, description: string): Setting<T> => ({
	default: def,
	description,
	parse(raw) {
		const v = raw.trim() as T;
		if (!values.includes(v)) throw new Error(`one of ${values.join(", ")}`);
		return v;
	}
});

/** An optional URL whose scheme is one of `schemes`; empty means "not configured". */
const url = (schemes: string[], description: string, secret = true): Setting<string> => ({
	default: "",
	description,
	secret,
	parse(raw) {
		const v = raw.trim();
		if (v === "") return "";
		for (const part of v.split(",")) {
			let parsed: URL;
			try {
				parsed = new URL(part.trim());
			} catch {
				throw new Error(`a URL starting with ${schemes.map(s => `${s}://`).join(" or ")}`);
			}
			if (!schemes.includes(parsed.protocol.replace(/:$/, "")))
				throw new Error(`a URL starting with ${schemes.map(s => `${s}://`).join(" or ")}`);
		}
		return v;
	}
});

const durationMs = (def: string, description: string): Setting<number> => ({
	default: def,
	description,
	parse(raw) {
		const ms = parseDuration(raw);
		if (ms === null) throw new Error('a duration such as "500ms", "30s", "5m", "1h" or a number of seconds');
		return ms;
	}
});

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size in bytes written with its unit: "512kb", "256mb", "2gb". */
const byteSize = (def: string, description: string): Setting<number> => ({
	default: def,
	description,
	parse(raw) {
		const m = /^(\d+)\s*(b|kb|mb|gb)$/.exec(raw.trim().toLowerCase());
		if (!m) throw new Error('a size such as "64mb" or "1gb"');
		return Number(m[1]) * UNITS[m[2]];
	}
});

const list = (def: string, description: string): Setting<string[]> => ({
	default: def,
	description,
	parse: raw =>
		raw
			.split(",")
			.map(s => s.trim())
			.filter(Boolean)
});

/** A JSON setting; empty means the built-in value, which `parse` merges the given JSON over. */
const json = <T>(description: string, parse: (raw: string) => T): Setting<T> => ({ default: "", description, parse });

const serviceList: Setting<ServiceName[]> = {
	default: "",
	description: `Comma list of services this node loads (${SERVICE_NAMES.join(", ")}); empty loads all`,
	parse(raw) {
		const names = list("", "").parse(raw);
		if (names.length === 0) return [...SERVICE_NAMES];
		const unknown = names.filter(n => !(SERVICE_NAMES as readonly string[]).includes(n));
		if (unknown.length) throw new Error(`a comma list of ${SERVICE_NAMES.join(", ")} (unknown: ${unknown.join(", ")})`);
		return [...new Set(names)] as ServiceName[];
	}
};

const bodySize: Setting<string> = {
	default: "1mb",
	description: "Largest request body the API accepts (e.g. 512kb, 1mb)",
	parse(raw) {
		const v = raw.trim().toLowerCase();
		if (!/^\d+(b|kb|mb)$/.test(v)) throw new Error('a size such as "512kb" or "1mb"');
		return v;
	}
};

/** A size in bytes, written "512kb", "4mb" or a number of bytes; at least `min`. */
const bytes = (def: string, min: number, max: number, description: string): Setting<number> => ({
	default: def,
	description,
	parse(raw) {
		const m = /^\s*(\d+)\s*(b|kb|mb|gb)?\s*$/i.exec(raw);
		const n = m ? Number(m[1]) * { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? "b").toLowerCase() as "b"] : NaN;
		if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`a size from ${min} bytes to ${max / 1024 ** 2} MB, such as "512kb" or "4mb"`);
		return n;
	}
});

/** An AES-256 key: 64 hex digits or base64 of 32 bytes; empty means "not configured" (an empty buffer). */
function parseSecretsKey(raw: string): Buffer {
	const v = raw.trim();
	if (v === "") return Buffer.alloc(0);
	const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, "hex") : Buffer.from(v, "base64");
	if (key.length !== 32) throw new Error("32 bytes written as 64 hex digits or base64 (make one with `openssl rand -hex 32`)");
	return key;
}

/**
 * The table of settings. Order and grouping here is the order of `.env.example`.
 * Names follow the product summary (API_*, SECURITY_*, LLM_*, OBSERVABILITY_*, …).
 */
export const SETTINGS = {
	// Environment
	ENVIRONMENT: oneOf(["development", "test", "staging", "production"] as const, "development", "Deployment environment"),
	SERVICE_NAME: str("cognitionos", "Service name reported in health, logs and traces"),
	SERVICE_VERSION: str("", "Version reported in health, logs, traces and /openapi.json; empty uses package.json's"),
	NODE_ID: str("", "Moleculer node id; empty uses <hostname>-<pid>"),
	NAMESPACE: str("", "Moleculer namespace; nodes only see nodes of the same namespace"),
	SERVICES: serviceList,
	DATA_DIR: str("./data", "Directory for embedded data (the SQLite database)"),
	DATA_DIR_MIN_FREE: byteSize(
		"256mb",
		"Embedded: free space DATA_DIR keeps; below it new runs and workflow versions are refused (507) until space returns, so runs in flight finish and SQLite can checkpoint (its WAL is kept under a quarter of this)"
	),

	// Transport and storage. Empty TRANSPORTER and DATABASE_URL mean embedded mode.
	TRANSPORTER: url(["nats", "tls"], "NATS URL(s) joining this node to a cluster, comma separated; empty runs embedded", false),
	DATABASE_URL: url(["postgres", "postgresql"], "PostgreSQL URL; empty uses SQLite under DATA_DIR"),
	DB_HOST: str("", "PostgreSQL host, used to build DATABASE_URL when it is empty"),
	DB_PORT: int(5432, 1, 65535, "PostgreSQL port (with DB_HOST)"),
	DB_DATABASE: str("cognitionos", "PostgreSQL database (with DB_HOST)"),
	DB_USERNAME: str("cognition", "PostgreSQL user (with DB_HOST)"),
	DB_PASSWORD: str("", "PostgreSQL password (with DB_HOST)", true),
	DB_POOL_MAX: int(10, 1, 1000, "Largest number of the ledger's PostgreSQL connections per node (engine, outbox, event handlers); the models' pool adds a quarter of it, at least 2"),
	DB_STATEMENT_TIMEOUT: durationMs("30s", "Longest a PostgreSQL statement may run"),
	REDIS_URL: url(["redis", "rediss"], "Redis URL for the cache, rate limits and socket fan-out; empty keeps them in memory"),
	REDIS_HOST: str("", "Redis host, used to build REDIS_URL when it is empty"),
	REDIS_PORT: int(6379, 1, 65535, "Redis port (with REDIS_HOST)"),
	RABBITMQ_URL: url(["amqp", "amqps"], "RabbitMQ URL for the event bus; empty delivers events in-process"),
	RABBITMQ_HOST: str("", "RabbitMQ host, used to build RABBITMQ_URL when it is empty"),
	RABBITMQ_PORT: int(5672, 1, 65535, "RabbitMQ port (with RABBITMQ_HOST)"),
	RABBITMQ_USERNAME: str("guest", "RabbitMQ user (with RABBITMQ_HOST)"),
	RABBITMQ_PASSWORD: str("guest", "RabbitMQ password (with RABBITMQ_HOST)", true),

	// API
	API_HOST: str("0.0.0.0", "Interface the HTTP API listens on"),
	API_PORT: int(8100, 0, 65535, "Port of the HTTP API, WebSocket and socket.io (0 picks a free port)"),
	API_DEBUG: bool(false, "Include error stacks in 5xx responses (never in production)"),
	API_CORS_ORIGINS: list("", "Comma list of origins allowed by CORS; * allows any; empty disables CORS"),
	API_BODY_LIMIT: bodySize,
	API_REQUEST_TIMEOUT: durationMs("30s", "Longest an API call may take before it answers 504"),
	SHUTDOWN_TIMEOUT: durationMs("10s", "How long SIGTERM waits for in-flight requests before closing"),
	HEALTH_PORT: int(0, 0, 65535, "Port of /health/live and /health/ready on a node without the api-gateway (for probes); 0 serves none"),
	API_TRUST_PROXY: bool(false, "Take the client address from X-Forwarded-For (only behind a proxy you run)"),
	API_PUBLIC_URL: url(["http", "https"], "Where clients reach the API (https://cos.example.com): inbound webhook URLs are given absolute with it; empty: relative", false),
	CACHE_TTL: durationMs("5m", "Lifetime of cached reads (workflow definitions, user lookups)"),
	DEFINITION_CACHE_MAX_BYTES: bytes("64mb", 1024 ** 2, 16 * 1024 ** 3, "Workflow definitions an execution node keeps in memory (least recently used go first), by the size of their JSON"),

	// Real time: /ws/connect (plain WebSocket) and socket.io on API_PORT
	REALTIME_MAX_CONNECTIONS_PER_USER: int(20, 1, 100_000, "WebSocket and socket.io connections one user may hold open on one gateway node"),
	REALTIME_MAX_BACKLOG: int(1000, 2, 1_000_000, "Messages a client may leave unwritten before it is disconnected (it resumes with since); from half of it on, superseded status messages are skipped"),
	REALTIME_RESUME_RETENTION: durationMs("5m", "How long a run's messages are kept after its last one, for clients that resume with since"),
	REALTIME_RESUME_MAX_MESSAGES: int(5000, 10, 10_000_000, "Messages kept per run for clients that resume (the oldest go first)"),
	REALTIME_REORDER_WINDOW: durationMs("500ms", "How long a run's message waits for an earlier one still on its way from another node before the stream moves on"),
	REALTIME_PING_INTERVAL: durationMs("25s", "How often the server pings WebSocket clients; one that does not answer by the next ping is disconnected"),
	REALTIME_MAX_MESSAGES_PER_SECOND: int(20, 1, 100_000, "Requests one connection may send per second (bursts of twice that); more are refused with rate_limited, and a connection that keeps on is closed"),

	// Security
	SECURITY_SECRET_KEY: str("", "HS256 signing key, 32+ characters; required in a cluster; embedded generates one under DATA_DIR", true),
	SECURITY_ALGORITHM: oneOf(["HS256", "RS256"] as const, "HS256", "JWT signing algorithm"),
	SECURITY_PRIVATE_KEY_FILE: str("", "RS256: PEM private key (needed where the auth service runs)"),
	SECURITY_PUBLIC_KEY_FILE: str("", "RS256: PEM public key (needed on every node that verifies tokens)"),
	SECURITY_JWT_ISSUER: str("cognitionos", "iss claim of issued tokens, checked on every token"),
	SECURITY_JWT_AUDIENCE: str("cognitionos-api", "aud claim of issued tokens, checked on every token"),
	SECURITY_ACCESS_TOKEN_EXPIRE_MINUTES: int(30, 1, 24 * 60, "Lifetime of access tokens in minutes"),
	SECURITY_REFRESH_TOKEN_EXPIRE_DAYS: int(7, 1, 365, "Lifetime of refresh tokens in days"),
	SECURITY_BCRYPT_ROUNDS: int(12, 4, 15, "bcrypt cost factor for password hashes"),
	SECURITY_ADMIN_EMAIL: str("", "Email of the admin created (or promoted) at start; empty creates none"),
	SECURITY_ADMIN_PASSWORD: str("", "Password of that admin when it is created", true),
	SECURITY_LOGIN_MAX_FAILURES_PER_EMAIL: int(5, 1, 1000, "Failed logins allowed per email within the window before 429"),
	SECURITY_LOGIN_MAX_FAILURES_PER_IP: int(20, 1, 100000, "Failed logins allowed per client address within the window before 429"),
	SECURITY_LOGIN_FAILURE_WINDOW: durationMs("15m", "Window over which failed logins are counted"),
	SECURITY_REGISTER_MAX_PER_IP: int(20, 1, 100_000, "Registrations allowed per client address within SECURITY_REGISTER_WINDOW before 429 (each costs a bcrypt hash)"),
	SECURITY_REGISTER_WINDOW: durationMs("1m", "Window over which registrations per address are counted"),

	// LLM
	LLM_DEFAULT_PROVIDER: oneOf(
		["auto", "openai", "anthropic", "local"] as const,
		"auto",
		"Provider of calls that name none; auto takes the first provider of LLM_PROVIDER_ORDER with a key, else the offline local one"
	),
	LLM_DEFAULT_MODEL: str("large", "Model of calls that name none: a tier of LLM_MODEL_MAP (large, small) or a model name"),
	LLM_PROVIDER_ORDER: {
		default: "openai,anthropic",
		description: "Fallback order of providers (openai, anthropic, local); a provider without a key is skipped",
		parse: parseProviderList
	} satisfies Setting<ReturnType<typeof parseProviderList>>,
	LLM_OPENAI_API_KEY: str("", "OpenAI API key (or the key of an OpenAI-compatible server); empty disables the openai provider", true),
	LLM_OPENAI_BASE_URL: url(["http", "https"], "Base URL of an OpenAI-compatible server (vLLM, Ollama, LM Studio), e.g. http://localhost:11434/v1; empty uses OpenAI", false),
	LLM_ANTHROPIC_API_KEY: str("", "Anthropic API key; empty disables the anthropic provider", true),
	LLM_ANTHROPIC_BASE_URL: url(["http", "https"], "Base URL of the Anthropic API; empty uses Anthropic", false),
	LLM_TIMEOUT: durationMs("60s", "Longest one attempt at an LLM call may take before it counts as a timeout"),
	LLM_MAX_TOKENS: int(1024, 1, 1_000_000, "Output tokens a call may produce when it does not say (max_tokens)"),
	LLM_RETRY_MAX_ATTEMPTS: int(3, 1, 20, "Attempts per provider on 429, 5xx, timeouts and connection errors before the next provider"),
	LLM_RETRY_MIN_DELAY: durationMs("1s", "Wait before the second attempt; each later wait is multiplied by LLM_RETRY_MULTIPLIER"),
	LLM_RETRY_MAX_DELAY: durationMs("30s", "Longest wait between attempts; a longer Retry-After moves on to the next provider"),
	LLM_RETRY_MULTIPLIER: num(2, 1, 10, "Growth of the wait between attempts"),
	LLM_BREAKER_FAILURE_THRESHOLD: int(5, 1, 1000, "Failures in a row that open a provider's circuit breaker (calls then skip it)"),
	LLM_BREAKER_RESET_TIMEOUT: durationMs("30s", "How long an open breaker waits before letting one trial call through"),
	LLM_MODEL_MAP: json(
		'Model per tier and provider, JSON merged over the built-in {"large":{"openai":"gpt-5.4","anthropic":"claude-sonnet-4-6"},"small":{"openai":"gpt-5.4-mini","anthropic":"claude-haiku-4-5"}}',
		parseModelMap
	),
	LLM_ROLES: json(
		'Routing by agent role (planner, reasoner, executor, critic, summarizer), JSON merged over the built-in, e.g. {"critic":{"provider":"anthropic","model":"large","temperature":0,"system":"..."}}',
		parseRoles
	),
	LLM_PRICING: json('Prices in USD per million tokens, JSON merged over the built-in table, e.g. {"gpt-4o":{"input":2.5,"output":10}}', parsePricing),
	LLM_OPENAI_REQUESTS_PER_MINUTE: int(0, 0, 1_000_000, "OpenAI requests per minute, cluster-wide with Redis (0: no limit); calls over it wait"),
	LLM_OPENAI_TOKENS_PER_MINUTE: int(0, 0, 1_000_000_000, "OpenAI tokens per minute (0: no limit); calls over it wait"),
	LLM_OPENAI_MAX_IN_FLIGHT: int(0, 0, 100_000, "OpenAI calls in flight at once (0: no limit); calls over it wait"),
	LLM_ANTHROPIC_REQUESTS_PER_MINUTE: int(0, 0, 1_000_000, "Anthropic requests per minute, cluster-wide with Redis (0: no limit); calls over it wait"),
	LLM_ANTHROPIC_TOKENS_PER_MINUTE: int(0, 0, 1_000_000_000, "Anthropic tokens per minute (0: no limit); calls over it wait"),
	LLM_ANTHROPIC_MAX_IN_FLIGHT: int(0, 0, 100_000, "Anthropic calls in flight at once (0: no limit); calls over it wait"),
	LLM_BUDGET_MAX_TOKENS: int(32000, 1, 1_000_000_000, "Tokens an execution may use when its workflow sets no budget"),
	LLM_BUDGET_MAX_COST_USD: num(1, 0, 1_000_000, "USD an execution may spend on LLM calls when its workflow sets no budget"),
	LLM_CAPTURE: bool(
		false,
		"Keep each model call's transcript (messages, answer, tool calls, usage, latency, provider, model; secrets masked) for GET /api/v3/workflows/executions/{id}/llm-calls; a workflow's `llm_capture: true` keeps its runs' calls either way"
	),
	EVAL_DATASET_MAX_ITEMS: int(1000, 1, 100_000, "Most items one dataset may hold (and so runs one eval starts)"),
	EVAL_DATASET_MAX_BYTES: bytes("1mb", 1024, 64 * 1024 ** 2, "Largest a dataset's items may be together, as JSON"),
	EVAL_CONCURRENCY: int(4, 1, 1000, "Runs of one eval in flight at once (started, not yet scored)"),
	EVAL_TICK_INTERVAL: durationMs("1s", "How often each node moves the evals it holds: scores runs that ended, starts the next"),
	EVAL_SCORE_TIMEOUT: durationMs("60s", "Longest the scorers of one run may take together (an llm_judge call, a jsonata expression)"),
	LLM_CAPTURE_MAX_BYTES: bytes("64kb", 1024, 16 * 1024 ** 2, "Most bytes of text kept of one captured model call; longer texts are cut, each with a marker saying how much was left out"),

	// Engine
	ENGINE_WORKER_CONCURRENCY: int(64, 1, 10_000, "Steps one node runs at once (most wait on I/O: LLM and HTTP calls)"),
	ENGINE_MAX_PARALLEL_STEPS: int(64, 1, 1000, "Steps of one execution that may be ready or running at once (64, one node's worker slots: a fan-out of compute-free steps runs in one wave, not in waves of a few)"),
	ENGINE_STEP_TIMEOUT: durationMs("5m", "Per-attempt timeout of steps that set none"),
	ENGINE_LEASE_TTL: durationMs("3s", "How long a running attempt stays owned without its node renewing it; a dead node's steps run again after this"),
	ENGINE_SWEEP_INTERVAL: durationMs("500ms", "How often the elected node looks for lapsed leases, lost messages, due timers and schedules"),
	ENGINE_DISPATCH_GRACE: durationMs("2s", "How long a ready step may wait untaken before the sweeper sends it again"),
	ENGINE_MAX_LEASE_RECOVERIES: int(
		1,
		0,
		100,
		"Times a running step may lose its node (a crash, a freeze) and run again elsewhere; the next loss fails it with node_lost, so a step that kills nodes reaches at most this many plus one"
	),
	ENGINE_TRANSACTION_TIMEOUT: durationMs(
		"0",
		"PostgreSQL: longest an engine statement may run (a lock wait included), and a ledger transaction may sit idle, before the server ends it; under ENGINE_LEASE_TTL, so a frozen node's locks go before its leases lapse (0 picks half of ENGINE_LEASE_TTL)"
	),
	FLOW_MAX_QUEUED: int(10_000, 1, 10_000_000, "Runs that may wait (queued) for one concurrency, rate-limit or debounce key; more are refused (429, or a problem on the event)"),
	HOOK_SECRET_GRACE: durationMs("24h", "How long an inbound webhook's old secret stays valid after a rotation that gives no grace of its own"),
	HOOK_SIGNATURE_TOLERANCE: durationMs("5m", "How old a signed timestamp (stripe, standard-webhooks, hmac-sha256) an inbound webhook still accepts; older is a replay"),
	STEP_HTTP_ALLOWED_HOSTS: list("", "Hosts http_request steps and webhooks may reach on private or local addresses (comma list; * allows any)"),
	MCP_SERVERS: json(
		'MCP servers whose tools agent steps may call, JSON: {"NAME":{"url":"https://…/mcp","headers":{…}}} (Streamable HTTP, through the STEP_HTTP_ALLOWED_HOSTS guard) or {"NAME":{"command":"…","args":[…],"env":{…}}} (stdio, started by the node)',
		parseMcpServers
	),

	// Limits: what one user can make the runtime spend (README, "Security and limits")
	ISOLATION_WORKERS: int(2, 1, 256, "Worker processes that run user expressions (JSONata, conditions), map items and uploads, off the engine's event loop"),
	ISOLATION_WORKER_MEMORY: bytes("256mb", 16 * 1024 ** 2, 16 * 1024 ** 3, "Heap one worker process may use; a task that needs more fails with memory_limit (the worker is replaced)"),
	STEP_MAX_OUTPUT_BYTES: bytes("4mb", 1024, 1024 ** 3, "Largest output a step may record (its JSON); more fails the attempt with output_too_large before anything is written"),
	EXECUTION_MAX_INPUT_BYTES: bytes("1mb", 1024, 1024 ** 3, "Largest inputs an execution may start with (its JSON), sub-workflows included"),
	EXECUTION_VIEW_MAX_BYTES: bytes("16mb", 64 * 1024, 1024 ** 3, "Step outputs, inputs and outputs one API answer carries at most; the rest are left out and marked (read them one step at a time)"),
	EXECUTION_MAX_DEPTH: int(8, 1, 100, "How deep sub-workflows may nest below the run that started them"),
	EXECUTION_MAX_TREE_SIZE: int(1000, 1, 10_000_000, "Executions one root run may create in all, its sub-workflows' sub-workflows included"),
	EXECUTION_MAX_RUNNING_PER_USER: int(10_000, 1, 100_000_000, "Runs of one user that may be running at once; more wait as queued and start as others end"),
	MAP_MAX_ITEMS: int(10_000, 1, 10_000_000, "Items one map step may run"),
	WORKFLOW_PARSE_TIMEOUT: durationMs("1s", "Longest the parsing and checking of one uploaded definition may take before it is refused"),

	// Secrets, retention, LLM transcripts (README, "Running AI in production")
	SECRETS_ENCRYPTION_KEY: {
		default: "",
		description:
			"Key that encrypts secrets at rest (AES-256-GCM): 32 bytes as 64 hex digits or base64. Embedded generates one under DATA_DIR; a cluster without it refuses to store or use secrets. To rotate, set the new key here and the old one in SECRETS_PREVIOUS_KEYS",
		secret: true,
		parse: parseSecretsKey
	},
	SECRETS_PREVIOUS_KEYS: {
		default: "",
		description: "Comma list of former SECRETS_ENCRYPTION_KEY values still accepted for decryption (secrets are written again with the current key when next set)",
		secret: true,
		parse: raw =>
			raw
				.split(",")
				.map(s => s.trim())
				.filter(Boolean)
				.map(parseSecretsKey)
	} as Setting<Buffer[]>,
	EXECUTION_RETENTION: {
		default: "30d",
		description:
			'How long ended runs are kept before the elected node archives and prunes them (with their steps), and how long published outbox rows, events, notifications and idle agent threads are kept; a workflow\'s `retention` overrides it for its runs. "off" keeps everything',
		parse(raw) {
			const ms = parseRetention(raw);
			if (ms === null) throw new Error(RETENTION_HINT);
			return ms;
		}
	} as Setting<number>,
	AUDIT_RETENTION: {
		default: "365d",
		description: 'How long audit log rows are kept before the elected node deletes them; "off" keeps them',
		parse(raw) {
			const ms = parseRetention(raw);
			if (ms === null) throw new Error(RETENTION_HINT);
			return ms;
		}
	} as Setting<number>,
	EXECUTION_PRUNE_INTERVAL: durationMs("1m", "How often the elected node looks for runs past their retention"),
	EXECUTION_PRUNE_BATCH: int(100, 1, 10_000, "Runs pruned (and archived as one file) per transaction"),
	EXECUTION_ARCHIVE_DIR: str("", 'Where pruned runs are archived as gzipped JSON lines (one closed file per batch); empty uses DATA_DIR/archive, "off" prunes without archiving'),
	SECRETS_MAX_PER_OWNER: int(1000, 1, 1_000_000, "Secrets one user may keep (shared ones count for the admins' namespace)"),
	SECRET_MAX_BYTES: bytes("64kb", 1, 1024 ** 2, "Largest value one secret may hold"),

	// Event bus: outbox relay, RabbitMQ topology, handlers. Without RABBITMQ_URL events go to the handlers in-process.
	RABBITMQ_EXCHANGE: {
		default: "cognitionos.events",
		description: "Topic exchange of domain events; also the prefix of <name>.dlx, <name>.dead_letter and the handler queues <name>.<handler>",
		parse(raw) {
			const v = raw.trim();
			if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,200}$/.test(v)) throw new Error("a name of letters, digits, dots, dashes, underscores or colons");
			return v;
		}
	} satisfies Setting<string>,
	RABBITMQ_PREFETCH: int(32, 1, 10_000, "Unacknowledged messages each handler's consumer holds at once per node (QoS)"),
	RABBITMQ_HEARTBEAT: durationMs("10s", "AMQP heartbeat: a silent connection is considered dead after about twice this"),
	RABBITMQ_RECONNECT_MIN_DELAY: durationMs("500ms", "Wait before the first reconnection attempt; doubles per failure"),
	RABBITMQ_RECONNECT_MAX_DELAY: durationMs("30s", "Longest wait between reconnection attempts"),
	OUTBOX_BATCH_SIZE: int(500, 1, 10_000, "Outbox events the relay publishes per batch (one confirm wait, one update)"),
	OUTBOX_POLL_INTERVAL: durationMs("100ms", "How often the relay looks for new outbox events when it has caught up"),
	OUTBOX_RETENTION: durationMs("7d", "How long published outbox rows and handled-event ids (the inbox) are kept"),
	EVENT_HANDLER_CONCURRENCY: int(
		0,
		0,
		10_000,
		"Handler transactions one node runs at once; 0 picks DB_POOL_MAX - 2 on PostgreSQL (the relay and the API keep connections) and 64 on SQLite"
	),
	EVENT_HANDLER_MAX_ATTEMPTS: int(5, 1, 100, "Tries of a handler on one event before the event goes to the dead-letter queue"),
	EVENT_HANDLER_RETRY_MIN_DELAY: durationMs("1s", "Wait before a handler's second try; doubles per try"),
	EVENT_HANDLER_RETRY_MAX_DELAY: durationMs("1m", "Longest wait between a handler's tries"),
	WEBHOOK_MAX_ATTEMPTS: int(8, 1, 100, "Tries of a webhook delivery before it is marked failed"),
	WEBHOOK_RETRY_MIN_DELAY: durationMs("10s", "Wait before a webhook delivery's second try; triples per try"),
	WEBHOOK_RETRY_MAX_DELAY: durationMs("1h", "Longest wait between a webhook delivery's tries"),
	WEBHOOK_TIMEOUT: durationMs("10s", "Longest a webhook receiver may take to answer one delivery"),
	WEBHOOK_CONCURRENCY: int(8, 1, 1000, "Webhook deliveries one node sends at once"),

	// Operations
	REPL_OPERATOR_EMAIL: str("", "User the operator REPL (npm run repl) acts as, with that user's roles; empty uses SECURITY_ADMIN_EMAIL"),

	// Observability
	OBSERVABILITY_LOG_LEVEL: oneOf(["fatal", "error", "warn", "info", "debug", "trace"] as const, "info", "Lowest log level written"),
	OBSERVABILITY_LOG_FORMAT: oneOf(["auto", "json", "pretty"] as const, "auto", "json writes one JSON object per line; pretty one readable line; auto is pretty on a terminal, json otherwise"),
	OBSERVABILITY_ENABLE_METRICS: bool(true, "Serve Prometheus metrics at /metrics (on API_PORT where the api-gateway runs)"),
	OBSERVABILITY_METRICS_PORT: int(3030, 0, 65535, "Port of /metrics on nodes that do not run the api-gateway (0 picks a free port)"),
	OBSERVABILITY_METRICS_WORKFLOW_LABELS: int(
		0,
		0,
		10_000,
		"Workflow ids that may appear as workflow_id labels in /metrics (the first ones seen, per node; later ones are \"other\"); 0 labels every series \"all\": ids are user-chosen"
	),
	OBSERVABILITY_ENABLE_TRACING: bool(false, "Export OpenTelemetry traces (spans of HTTP requests, actions, events, SQL, Redis, outgoing HTTP, LLM calls)"),
	OBSERVABILITY_OTLP_ENDPOINT: url(["http", "https"], "OTLP/HTTP endpoint for traces (e.g. http://jaeger:4318)", false),
	OBSERVABILITY_TRACE_SAMPLE_RATIO: num(1, 0, 1, "Fraction of traces sampled when tracing is enabled")
} as const;

type Settings = typeof SETTINGS;
export type SettingName = keyof Settings;
type Values = { readonly [K in SettingName]: ReturnType<Settings[K]["parse"]> };

export interface Config extends Values {
	/** `embedded` when no transporter is set: one process, in-process delivery. */
	readonly mode: "embedded" | "cluster";
	/** The database URL in use: the PostgreSQL URL, or `sqlite:<absolute path>`. */
	readonly database: { dialect: "sqlite" | "postgres"; url: string; storage?: string };
	readonly version: string;
	readonly nodeID: string;
	/** What was read with a warning (the summary's spellings, names that are no settings): logged once at start. */
	readonly warnings: readonly string[];
}

/** Start-up errors echo the values they refuse; credentials inside URL-like values are masked first. */
export class ConfigError extends Error {
	public readonly problems: string[];

	constructor(problems: string[]) {
		const safe = problems.map(redactUrlCredentials);
		super(`Invalid configuration:\n${safe.map(p => `  - ${p}`).join("\n")}`);
		this.problems = safe;
		this.name = "ConfigError";
	}
}

function packageVersion(): string {
	for (const dir of [__dirname, path.join(__dirname, "..")]) {
		const file = path.join(dir, "..", "package.json");
		if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
	}
	return "0.0.0";
}

/**
 * Reads `.env` (path from ENV_FILE, else ./.env when present) under the real environment:
 * a variable set in the environment wins over the file.
 */
export function environmentWithDotEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
	const file = env.ENV_FILE ?? path.resolve(".env");
	if (!existsSync(file)) {
		if (env.ENV_FILE) throw new ConfigError([`ENV_FILE names ${file}, which does not exist`]);
		return { ...env };
	}
	return { ...parseEnv(readFileSync(file, "utf8")), ...env };
}

/** Validates every setting and returns the typed configuration, or throws ConfigError naming each bad variable. */
export function loadConfig(given: Record<string, string | undefined> = environmentWithDotEnv()): Config {
	const { env, warnings } = readLegacyEnvironment(given, Object.keys(SETTINGS));
	const problems: string[] = [];
	const values: Record<string, unknown> = {};
	for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, Setting<unknown>][]) {
		const raw = env[name];
		const given = raw !== undefined && raw !== "";
		try {
			values[name] = setting.parse(given ? raw : setting.default);
		} catch (err) {
			const shown = setting.secret ? "(hidden)" : JSON.stringify(redactUrlCredentials(raw ?? ""));
			problems.push(`${name} must be ${(err as Error).message}, got ${shown}`);
		}
	}
	if (problems.length) throw new ConfigError(problems);
	const v = values as unknown as Values;

	if (v.ENVIRONMENT === "production" && v.API_DEBUG) problems.push("API_DEBUG must be false when ENVIRONMENT is production");
	if (v.SECURITY_ALGORITHM === "HS256") {
		if (v.SECURITY_SECRET_KEY && v.SECURITY_SECRET_KEY.length < 32)
			problems.push("SECURITY_SECRET_KEY must be at least 32 characters, got a shorter one: make one with `openssl rand -hex 32`");
		if (!v.SECURITY_SECRET_KEY && (v.TRANSPORTER || v.ENVIRONMENT === "production"))
			problems.push("SECURITY_SECRET_KEY must be set in a cluster and in production (every node signs and verifies with it)");
		if (v.SECURITY_SECRET_KEY === "change-me-in-production" && v.ENVIRONMENT === "production")
			problems.push("SECURITY_SECRET_KEY must not be the example value in production");
	} else {
		if (!v.SECURITY_PUBLIC_KEY_FILE) problems.push("SECURITY_PUBLIC_KEY_FILE must be set when SECURITY_ALGORITHM is RS256");
		for (const name of ["SECURITY_PRIVATE_KEY_FILE", "SECURITY_PUBLIC_KEY_FILE"] as const)
			if (v[name] && !existsSync(v[name])) problems.push(`${name} must name a readable PEM file, got ${JSON.stringify(v[name])}`);
	}
	if (v.SECURITY_ADMIN_PASSWORD === ENV_EXAMPLE_VALUES.SECURITY_ADMIN_PASSWORD && v.ENVIRONMENT === "production")
		problems.push("SECURITY_ADMIN_PASSWORD must not be the example value in production");
	if (v.SECURITY_ADMIN_EMAIL && v.SECURITY_ADMIN_PASSWORD.length < 8)
		problems.push("SECURITY_ADMIN_PASSWORD must be at least 8 characters when SECURITY_ADMIN_EMAIL is set");
	if (v.ENGINE_TRANSACTION_TIMEOUT >= v.ENGINE_LEASE_TTL)
		problems.push(`ENGINE_TRANSACTION_TIMEOUT must be shorter than ENGINE_LEASE_TTL (${v.ENGINE_LEASE_TTL} ms): a transaction may not outlive its node's lease`);
	if (v.OBSERVABILITY_ENABLE_TRACING && !v.OBSERVABILITY_OTLP_ENDPOINT)
		problems.push("OBSERVABILITY_OTLP_ENDPOINT must be set when OBSERVABILITY_ENABLE_TRACING is true");
	for (const provider of ["openai", "anthropic"] as const) {
		const key = provider === "openai" ? v.LLM_OPENAI_API_KEY : v.LLM_ANTHROPIC_API_KEY;
		if (v.LLM_DEFAULT_PROVIDER === provider && !key) problems.push(`LLM_${provider.toUpperCase()}_API_KEY must be set when LLM_DEFAULT_PROVIDER is ${provider}`);
	}
	if (problems.length) throw new ConfigError(problems);

	const databaseUrl =
		v.DATABASE_URL ||
		(v.DB_HOST
			? `postgres://${encodeURIComponent(v.DB_USERNAME)}:${encodeURIComponent(v.DB_PASSWORD)}@${v.DB_HOST}:${v.DB_PORT}/${encodeURIComponent(v.DB_DATABASE)}`
			: "");
	const storage = path.resolve(v.DATA_DIR, "cognitionos.sqlite");
	const database = databaseUrl
		? { dialect: "postgres" as const, url: databaseUrl }
		: { dialect: "sqlite" as const, url: `sqlite:${storage}`, storage };

	const redisUrl = v.REDIS_URL || (v.REDIS_HOST ? `redis://${v.REDIS_HOST}:${v.REDIS_PORT}` : "");
	const rabbitUrl =
		v.RABBITMQ_URL ||
		(v.RABBITMQ_HOST
			? `amqp://${encodeURIComponent(v.RABBITMQ_USERNAME)}:${encodeURIComponent(v.RABBITMQ_PASSWORD)}@${v.RABBITMQ_HOST}:${v.RABBITMQ_PORT}`
			: "");

	return Object.freeze({
		...v,
		REDIS_URL: redisUrl,
		RABBITMQ_URL: rabbitUrl,
		DATABASE_URL: databaseUrl,
		mode: v.TRANSPORTER ? ("cluster" as const) : ("embedded" as const),
		database,
		version: v.SERVICE_VERSION || packageVersion(),
		nodeID: v.NODE_ID || `${hostname()}-${process.pid}`,
		warnings
	});
}

/** Values `.env.example` suggests instead of the default: a copy of it (`cp .env.example .env`) has a first admin to sign in as. */
export const ENV_EXAMPLE_VALUES: Partial<Record<SettingName, string>> = {
	SECURITY_ADMIN_EMAIL: "admin@example.com",
	SECURITY_ADMIN_PASSWORD: "change-this-admin-password"
};

/**
 * How long an engine statement may run and a ledger transaction sit idle (ms):
 * ENGINE_TRANSACTION_TIMEOUT, or half a lease. A node frozen inside a transaction loses its
 * locks before its leases lapse, so recovering its steps never waits on them.
 */
export function engineTransactionTimeoutMs(config: Pick<Config, "ENGINE_TRANSACTION_TIMEOUT" | "ENGINE_LEASE_TTL">): number {
	return config.ENGINE_TRANSACTION_TIMEOUT || Math.floor(config.ENGINE_LEASE_TTL / 2);
}

/** Renders `.env.example` from the table, so the file and the code cannot disagree. */
export function renderEnvExample(): string {
	const lines = ["# CognitionOS settings. Every variable is optional; the value shown is the default, except where a line says it is an example.", ""];
	for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, Setting<unknown>][]) {
		const example = ENV_EXAMPLE_VALUES[name];
		if (example !== undefined) lines.push(`# ${setting.description}`, `# (an example: the default is "${setting.default}")`, `${name}=${example}`, "");
		else lines.push(`# ${setting.description}`, `${name}=${setting.default}`, "");
	}
	return lines.join("\n");
}
