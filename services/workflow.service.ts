import { inputsSchema } from "../lib/agents/input-schema";
import { randomUUID } from "node:crypto";
import type { Context, ServiceSchema } from "moleculer";
import { canAccess, isAdmin, type Principal } from "../lib/auth/principal";
import type { Database, SqlRunner } from "../lib/db/database";
import { workflowToJson, workflowToYaml } from "../lib/dsl";
import { nextTick } from "../lib/engine/schedule";
import { conflict, forbidden, notFound, serviceUnavailable, validationFailed } from "../lib/errors";
import { appendToOutbox, domainEvent } from "../lib/events/outbox";
import { PAGE_PARAMS, pageOf } from "../lib/pagination";
import { runtimeOf, type Runtime } from "../lib/runtime";
import { EXAMPLE_WORKFLOW, EXAMPLE_WORKFLOW_YAML, WORKFLOW, WORKFLOW_PAGE, WORKFLOW_VERSIONS } from "../lib/workflows/openapi";
import { contentHash, LIFECYCLE, WORKFLOW_STATUSES, WorkflowStore, type WorkflowRecord, type WorkflowStatus } from "../lib/workflows/store";
import { syncTriggers } from "../lib/workflows/triggers";
import { SecretsUnavailable } from "../lib/secrets/cipher";
import { SECRET, SECRET_LIST } from "../lib/secrets/openapi";
import { secretNamesOf } from "../lib/secrets/references";
import { SECRET_NAME_PATTERN, SecretStore, SHARED_OWNER, type SecretInfo } from "../lib/secrets/store";
import { isoTime as iso } from "../lib/views";
import type { WorkflowDefinition } from "../lib/dsl";

/** Most workflows /mcp offers as tools (each is described to the client's model). */
const MAX_MCP_TOOLS = 500;

/** Semantic versions compared by their numbers (a pre-release sorts before its release). */
function compareVersions(a: string, b: string): number {
	const parse = (v: string) => {
		const [core, pre] = v.split("+")[0].split("-", 2);
		return { nums: core.split(".").map(Number), pre: pre ?? null };
	};
	const x = parse(a);
	const y = parse(b);
	for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i] - y.nums[i];
	if (x.pre === y.pre) return 0;
	if (x.pre === null) return 1;
	if (y.pre === null) return -1;
	return x.pre < y.pre ? -1 : 1;
}

interface Meta {
	user: Principal;
	client_ip?: string;
	content_type?: string;
	$statusCode?: number;
	$location?: string;
	$responseType?: string;
}
type Ctx<P = Record<string, unknown>> = Context<P, Meta>;

interface Vars {
	runtime: Runtime;
	database: Database;
	store: WorkflowStore;
	secrets: SecretStore;
}
interface Methods {
	clearCache(): Promise<void>;
	summary(w: WorkflowRecord): Record<string, unknown>;
	detail(w: WorkflowRecord): Record<string, unknown>;
	ownerFor(ctx: Ctx<{ owner_id?: string }>): string;
	find(ctx: Ctx<{ workflow_id: string; version: string; owner_id?: string }>): Promise<WorkflowRecord>;
	syncSchedule(w: WorkflowRecord, status: WorkflowStatus, tx: SqlRunner): Promise<void>;
	secretWarnings(ownerId: string, definition: WorkflowDefinition): Promise<{ path: string; message: string }[]>;
	secretOwner(ctx: Ctx<{ shared?: boolean }>): string;
	secretView(info: SecretInfo): Record<string, unknown>;
}

const secretName = {
	type: "string",
	pattern: SECRET_NAME_PATTERN,
	messages: { stringPattern: "The 'name' field must be a secret name: a letter or _, then up to 63 letters, digits or _" }
} as const;
const sharedFlag = { type: "boolean", optional: true, convert: true } as const;

const EVENT_OF_STATUS: Record<WorkflowStatus, string> = {
	draft: "WorkflowDrafted",
	active: "WorkflowActivated",
	deprecated: "WorkflowDeprecated",
	archived: "WorkflowArchived"
};

/**
 * Workflow definitions: posted as JSON or YAML, validated (lib/dsl), stored immutable
 * per owner, id and version, listed, and moved through their lifecycle.
 */
const WorkflowService: ServiceSchema<{ rest: string }, Methods, Vars> = {
	name: "workflow",

	settings: { rest: "workflows" },

	actions: {
		create: {
			rest: "POST /",
			auth: "write",
			rawBody: true,
			openapi: {
				summary: "Create a workflow version",
				description:
					"Posts a definition as JSON (the summary's `workflow_id/version/steps[step_id, depends_on, inputs]` or the DSL's field names) or as the YAML DSL (`Content-Type: application/yaml`). Every problem is reported at once with its path. Re-posting identical content is idempotent (200); different content under an existing id and version is 409. A step reading a secret (`${{ secrets.NAME }}`) that does not exist yet is stored, with a `warnings` entry naming it: the step fails at run time unless the secret is set first.",
				responses: {
					200: { description: "The same definition was already stored", schema: WORKFLOW },
					201: { description: "Stored (Location names it)", schema: WORKFLOW },
					409: "This id and version exist with different content",
					415: "Neither JSON nor YAML",
					422: "The definition is not valid; `detail` lists each problem with its path",
					507: "Embedded: the data directory is nearly full (DATA_DIR_MIN_FREE); no new versions until space is freed"
				},
				requestBodies: {
					"application/json": { schema: { type: "object", description: "A workflow definition" }, example: EXAMPLE_WORKFLOW },
					"application/yaml": { schema: { type: "string", description: "A workflow definition in the YAML DSL" }, example: EXAMPLE_WORKFLOW_YAML }
				}
			},
			params: { body: "any" },
			async handler(ctx: Ctx<{ body: unknown }>) {
				// A nearly full disk (embedded) takes no new work.
				this.runtime.disk?.assertRoom();
				// Parsed and checked in a worker process, within WORKFLOW_PARSE_TIMEOUT: hostile text never holds this node.
				const definition = await this.runtime.isolation().parseWorkflow(ctx.params.body, ctx.meta.content_type);
				const ownerId = ctx.meta.user.id;
				const hash = contentHash(definition);
				const existing = await this.store.byVersion(ownerId, definition.workflow_id, definition.version);
				const warnings = await this.secretWarnings(ownerId, definition);
				if (existing) {
					if (existing.content_hash === hash) return { ...this.detail(existing), ...(warnings.length ? { warnings } : {}) };
					throw conflict(`Workflow ${definition.workflow_id} version ${definition.version} already exists with different content; publish a new version`);
				}
				const now = new Date();
				const record: WorkflowRecord = {
					id: randomUUID(),
					owner_id: ownerId,
					workflow_id: definition.workflow_id,
					version: definition.version,
					name: definition.name,
					description: definition.description,
					status: definition.status,
					tags: definition.tags,
					schedule: definition.schedule,
					definition,
					content_hash: hash,
					created_at: now.toISOString(),
					updated_at: now.toISOString()
				};
				try {
					await this.database.sqlTransaction(async tx => {
						await this.store.insert(record, now, tx);
						await appendToOutbox(tx, [
							domainEvent("WorkflowCreated", { type: "workflow", id: record.id }, {
								workflow_ref: record.id,
								workflow_id: record.workflow_id,
								version: record.version,
								owner_id: ownerId,
								status: record.status,
								step_count: definition.steps.length,
								client_ip: ctx.meta.client_ip ?? null
							})
						]);
						await this.syncSchedule(record, record.status, tx);
						await syncTriggers(tx, record, record.status);
					});
				} catch (err) {
					// Two concurrent posts of one version: the loser compares with the winner.
					const winner = await this.store.byVersion(ownerId, definition.workflow_id, definition.version);
					if (!winner) throw err;
					if (winner.content_hash === hash) return this.detail(winner);
					throw conflict(`Workflow ${definition.workflow_id} version ${definition.version} already exists with different content; publish a new version`);
				}
				await this.clearCache();
				this.broker.emit("workflow.created", { workflow_ref: record.id, owner_id: ownerId, workflow_id: record.workflow_id, version: record.version });
				ctx.meta.$statusCode = 201;
				ctx.meta.$location = `/api/v3/workflows/${encodeURIComponent(record.workflow_id)}/${encodeURIComponent(record.version)}`;
				return { ...this.detail(record), ...(warnings.length ? { warnings } : {}) };
			}
		},

		secretPut: {
			rest: { method: "PUT", path: "/:name", basePath: "secrets" },
			auth: "write",
			openapi: {
				tags: ["secrets"],
				summary: "Set a secret",
				description:
					"Stores `value` encrypted (AES-256-GCM) under the caller's name, or with `shared: true` (admins only) for every user's steps; steps read it as `${{ secrets.NAME }}` in their params, resolved only while the step runs. The value is never answered, and it is masked (`***`) wherever a run would write it: step outputs and errors, agent journals, LLM transcripts, events, logs.",
				responses: {
					200: { description: "Replaced", schema: SECRET },
					201: { description: "Created", schema: SECRET },
					403: "`shared` needs the admin role",
					409: "The owner already has SECRETS_MAX_PER_OWNER secrets",
					422: "A field is missing or wrong (the name, or a value over SECRET_MAX_BYTES)",
					503: "A cluster without SECRETS_ENCRYPTION_KEY stores no secrets"
				},
				example: { name: "WEATHER_API_KEY", value: "a-long-random-api-key" }
			},
			params: { name: secretName, value: { type: "string", min: 1 }, shared: sharedFlag },
			async handler(ctx: Ctx<{ name: string; value: string; shared?: boolean }>) {
				const config = this.runtime.config;
				if (Buffer.byteLength(ctx.params.value) > config.SECRET_MAX_BYTES)
					throw validationFailed(`The secret's value is larger than ${config.SECRET_MAX_BYTES} bytes (SECRET_MAX_BYTES)`, [{ path: "value", message: `is larger than ${config.SECRET_MAX_BYTES} bytes` }]);
				const ownerId = this.secretOwner(ctx);
				let put: { created: boolean } | null;
				try {
					put = await this.secrets.put(ownerId, ctx.params.name, ctx.params.value, ctx.meta.user.id, config.SECRETS_MAX_PER_OWNER);
				} catch (err) {
					if (err instanceof SecretsUnavailable) throw serviceUnavailable("secrets", err.message);
					throw err;
				}
				if (!put) throw conflict(`You already have ${config.SECRETS_MAX_PER_OWNER} secrets (SECRETS_MAX_PER_OWNER); delete one first`);
				ctx.meta.$statusCode = put.created ? 201 : 200;
				return this.secretView((await this.secrets.info(ownerId, ctx.params.name))!);
			}
		},

		secretList: {
			rest: { method: "GET", path: "/", basePath: "secrets" },
			auth: "read",
			openapi: {
				tags: ["secrets"],
				summary: "List secrets",
				description: "The caller's secrets and the shared ones, by name; never their values.",
				responses: { 200: { description: "The secrets", schema: SECRET_LIST } }
			},
			async handler(ctx: Ctx) {
				// The owner's at most SECRETS_MAX_PER_OWNER, and as many shared ones.
				const rows = await this.secrets.list(ctx.meta.user.id, 2 * this.runtime.config.SECRETS_MAX_PER_OWNER);
				return { secrets: rows.map(r => this.secretView(r)) };
			}
		},

		secretGet: {
			rest: { method: "GET", path: "/:name", basePath: "secrets" },
			auth: "read",
			openapi: {
				tags: ["secrets"],
				summary: "Get a secret's metadata",
				description: "Whether the secret exists, and when it was set; never its value. `shared=true` reads the shared one of that name.",
				responses: { 200: { description: "The secret, without its value", schema: SECRET }, 404: "No such secret" }
			},
			params: { name: secretName, shared: sharedFlag },
			async handler(ctx: Ctx<{ name: string; shared?: boolean }>) {
				const info = await this.secrets.info(ctx.params.shared ? SHARED_OWNER : ctx.meta.user.id, ctx.params.name);
				if (!info) throw notFound(`Secret ${ctx.params.name}`);
				return this.secretView(info);
			}
		},

		secretDelete: {
			rest: { method: "DELETE", path: "/:name", basePath: "secrets" },
			auth: "write",
			openapi: {
				tags: ["secrets"],
				summary: "Delete a secret",
				description: "Steps that read it fail from their next attempt on (`secret_missing`). `shared=true` (admins only) deletes the shared one.",
				responses: { 204: "Deleted", 403: "`shared` needs the admin role", 404: "No such secret" }
			},
			params: { name: secretName, shared: sharedFlag },
			async handler(ctx: Ctx<{ name: string; shared?: boolean }>) {
				if (!(await this.secrets.delete(this.secretOwner(ctx), ctx.params.name))) throw notFound(`Secret ${ctx.params.name}`);
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		/** The caller's active workflows as MCP tools (the newest active version of each): no REST alias, the /mcp endpoint calls it. */
		tools: {
			visibility: "public",
			auth: "read",
			async handler(ctx: Ctx) {
				const seen = new Map<string, { workflow_id: string; version: string; description: string; input_schema: Record<string, unknown> }>();
				for (let offset = 0; seen.size < MAX_MCP_TOOLS; offset += 100) {
					const { rows } = await this.store.list({ ownerId: ctx.meta.user.id, status: "active" }, { pageSize: 100, offset });
					for (const w of rows) {
						const known = seen.get(w.workflow_id);
						if (known && compareVersions(known.version, w.version) >= 0) continue;
						seen.set(w.workflow_id, { workflow_id: w.workflow_id, version: w.version, description: w.description ?? w.name, input_schema: inputsSchema(w.definition.inputs) });
					}
					if (rows.length < 100) break;
				}
				return [...seen.values()].slice(0, MAX_MCP_TOOLS);
			}
		},

		list: {
			rest: "GET /",
			auth: "read",
			openapi: {
				summary: "List workflows",
				description: "The caller's workflow versions, newest change first (admins see everyone's, or one owner's with `owner_id`).",
				responses: { 200: { description: "A page of workflows", schema: WORKFLOW_PAGE } },
				example: { page: 1, page_size: 20 }
			},
			params: {
				...PAGE_PARAMS,
				status: { type: "enum", values: [...WORKFLOW_STATUSES], optional: true },
				tag: { type: "string", max: 64, optional: true },
				q: { type: "string", max: 200, optional: true },
				owner_id: { type: "string", optional: true }
			},
			async handler(ctx: Ctx<{ page?: number; page_size?: number; status?: WorkflowStatus; tag?: string; q?: string; owner_id?: string }>) {
				const { page, pageSize, offset } = pageOf(ctx.params);
				// Admins see everyone's unless they ask for one owner; users see their own.
				const ownerId = isAdmin(ctx.meta.user) ? ctx.params.owner_id : ctx.meta.user.id;
				const { rows, total } = await this.store.list({ ownerId, status: ctx.params.status, tag: ctx.params.tag, q: ctx.params.q }, { pageSize, offset });
				return { workflows: rows.map(w => this.summary(w)), total, page, page_size: pageSize };
			}
		},

		versions: {
			rest: "GET /:workflow_id",
			auth: "read",
			// Cached per caller; creating a version or changing a status empties the service's cache on every node.
			cache: { keys: ["#user.id", "workflow_id", "owner_id"] },
			openapi: {
				summary: "Versions of a workflow",
				responses: { 200: { description: "Every version, newest first", schema: WORKFLOW_VERSIONS }, 404: "No such workflow in the caller's namespace" }
			},
			params: { workflow_id: { type: "string", max: 128 }, owner_id: { type: "string", optional: true } },
			async handler(ctx: Ctx<{ workflow_id: string; owner_id?: string }>) {
				const versions = await this.store.versions(this.ownerFor(ctx), ctx.params.workflow_id);
				if (versions.length === 0) throw notFound(`Workflow ${ctx.params.workflow_id}`);
				return { workflow_id: ctx.params.workflow_id, versions: versions.map(w => this.summary(w)) };
			}
		},

		get: {
			rest: "GET /:workflow_id/:version",
			auth: "read",
			// The YAML answer sets a response type, which a cache hit would not: only JSON answers are cached.
			cache: { keys: ["#user.id", "workflow_id", "version", "owner_id"], enabled: (ctx: Context<{ format?: string }>) => ctx.params.format !== "yaml" },
			openapi: {
				summary: "Get a workflow version",
				description: "The normalized definition; with `format=yaml`, the YAML DSL (`application/yaml`), which re-imports to the same model.",
				responses: { 200: { description: "The definition", schema: WORKFLOW }, 404: "No such workflow version in the caller's namespace" }
			},
			params: {
				workflow_id: { type: "string", max: 128 },
				version: { type: "string", max: 64 },
				format: { type: "enum", values: ["json", "yaml"], optional: true },
				owner_id: { type: "string", optional: true }
			},
			async handler(ctx: Ctx<{ workflow_id: string; version: string; format?: "json" | "yaml"; owner_id?: string }>) {
				const workflow = await this.find(ctx);
				if (ctx.params.format === "yaml") {
					ctx.meta.$responseType = "application/yaml; charset=utf-8";
					return workflowToYaml({ ...workflow.definition, status: workflow.status === "draft" ? "draft" : "active" });
				}
				return this.detail(workflow);
			}
		},

		setStatus: {
			rest: "POST /:workflow_id/:version/status",
			auth: "write",
			openapi: {
				summary: "Change a workflow version's lifecycle status",
				description: "draft → active → deprecated → archived (deprecated may become active again; archived is final). Only active versions can be executed.",
				responses: { 200: { description: "The workflow with its new status", schema: WORKFLOW }, 404: "No such workflow version", 409: "The lifecycle does not allow this move" },
				example: { status: "deprecated" }
			},
			params: {
				workflow_id: { type: "string", max: 128 },
				version: { type: "string", max: 64 },
				status: { type: "enum", values: [...WORKFLOW_STATUSES] },
				owner_id: { type: "string", optional: true }
			},
			async handler(ctx: Ctx<{ workflow_id: string; version: string; status: WorkflowStatus; owner_id?: string }>) {
				const workflow = await this.find(ctx);
				const to = ctx.params.status;
				if (workflow.status === to) return this.detail(workflow);
				if (!LIFECYCLE[workflow.status].includes(to)) {
					const allowed = LIFECYCLE[workflow.status];
					throw conflict(`A ${workflow.status} workflow cannot become ${to}${allowed.length ? `; it can become ${allowed.join(" or ")}` : "; archived is final"}`);
				}
				const now = new Date();
				await this.database.sqlTransaction(async tx => {
					if (!(await this.store.setStatus(workflow.id, workflow.status, to, now, tx))) throw conflict("The workflow changed meanwhile; try again");
					await appendToOutbox(tx, [
						domainEvent(EVENT_OF_STATUS[to], { type: "workflow", id: workflow.id }, {
							workflow_ref: workflow.id,
							workflow_id: workflow.workflow_id,
							version: workflow.version,
							owner_id: workflow.owner_id,
							from_status: workflow.status,
							status: to,
							changed_by: ctx.meta.user.id,
							client_ip: ctx.meta.client_ip ?? null
						})
					]);
					await this.syncSchedule(workflow, to, tx);
					await syncTriggers(tx, workflow, to);
				});
				await this.clearCache();
				return this.detail({ ...workflow, status: to, updated_at: now.toISOString() });
			}
		}
	},

	events: {
		// Every instance empties its own cache when any instance changes a workflow.
		"cache.clean.workflow"() {
			return this.broker.cacher?.clean("workflow.**");
		}
	},

	methods: {
		/** A warning per step that reads a secret neither the owner nor the shared namespace has. */
		async secretWarnings(ownerId: string, definition: WorkflowDefinition) {
			const warnings: { path: string; message: string }[] = [];
			for (const [i, step] of definition.steps.entries()) {
				for (const name of await this.secrets.missing(ownerId, secretNamesOf(step))) {
					warnings.push({ path: `steps[${i}].params`, message: `reads secret ${name}, which does not exist yet: the step fails at run time unless it is set (PUT /api/v3/secrets/${name})` });
				}
			}
			return warnings;
		},

		/** The namespace a secret is written in: the caller's, or the shared one (admins only). */
		secretOwner(ctx: Ctx<{ shared?: boolean }>) {
			if (!ctx.params.shared) return ctx.meta.user.id;
			if (!isAdmin(ctx.meta.user)) throw forbidden("Shared secrets need the admin role");
			return SHARED_OWNER;
		},

		secretView(info: SecretInfo) {
			return { ...info, created_at: iso(info.created_at), updated_at: iso(info.updated_at) };
		},

		async clearCache() {
			this.broker.broadcast("cache.clean.workflow");
			await this.broker.cacher?.clean("workflow.**");
		},

		summary(w: WorkflowRecord) {
			return {
				id: w.id,
				workflow_id: w.workflow_id,
				version: w.version,
				name: w.name,
				description: w.description,
				status: w.status,
				tags: w.tags,
				schedule: w.schedule,
				triggers: w.definition.triggers.map(t => t.event),
				owner_id: w.owner_id,
				step_count: w.definition.steps.length,
				created_at: w.created_at,
				updated_at: w.updated_at
			};
		},

		/** The normalized JSON of the definition, with the record's lifecycle fields. */
		detail(w: WorkflowRecord) {
			return { ...workflowToJson(w.definition), id: w.id, status: w.status, owner_id: w.owner_id, created_at: w.created_at, updated_at: w.updated_at };
		},

		/** Whose namespace a lookup reads: the caller's, or (admins only) the one they name. */
		ownerFor(ctx: Ctx<{ owner_id?: string }>) {
			return ctx.params.owner_id && isAdmin(ctx.meta.user) ? ctx.params.owner_id : ctx.meta.user.id;
		},

		async find(ctx: Ctx<{ workflow_id: string; version: string; owner_id?: string }>) {
			const workflow = await this.store.byVersion(this.ownerFor(ctx), ctx.params.workflow_id, ctx.params.version);
			// Another user's workflow is reported as missing: ids are not an oracle.
			if (!workflow || !canAccess(ctx.meta.user, workflow.owner_id)) throw notFound(`Workflow ${ctx.params.workflow_id} version ${ctx.params.version}`);
			return workflow;
		},

		/** Only active, scheduled definitions have a schedule row: the sweeper triggers what it finds there. */
		async syncSchedule(w: WorkflowRecord, status: WorkflowStatus, tx: SqlRunner) {
			await tx.run("DELETE FROM workflow_schedules WHERE workflow_ref = $1", [w.id]);
			if (status !== "active" || !w.schedule) return;
			const zone = w.definition.schedule_timezone;
			await tx.run("INSERT INTO workflow_schedules (workflow_ref, owner_id, cron, next_run_at, timezone) VALUES ($1, $2, $3, $4, $5)", [
				w.id,
				w.owner_id,
				w.schedule,
				nextTick(w.schedule, Date.now(), zone),
				zone
			]);
		}
	},

	created() {
		this.runtime = runtimeOf(this.broker);
	},

	async started() {
		this.database = await this.runtime.database();
		this.store = new WorkflowStore(this.database);
		this.secrets = new SecretStore(this.database, () => this.runtime.secretCipher());
	}
};

export default WorkflowService;
