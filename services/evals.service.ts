import { randomBytes } from "node:crypto";
import type { Context, ServiceSchema } from "moleculer";
import { canAccess, isAdmin, type Principal } from "../lib/auth/principal";
import type { Database } from "../lib/db/database";
import { RunReads } from "../lib/engine/reads";
import { notFound, validationFailed } from "../lib/errors";
import { EvalDriver, aggregatesOf, type RunState } from "../lib/evals/driver";
import { CREATED, DATASET, DATASET_PAGE, EVAL, EVAL_COMPARISON, EVAL_PAGE } from "../lib/evals/openapi";
import { itemOfRun, parseJsonLines } from "../lib/evals/dataset-sources";
import { scorerNames, scorerProblems, type Scorer } from "../lib/evals/scorers";
import { EvalStore, type DatasetItem, type EvalItem, type EvalRecord, type EvalStatus } from "../lib/evals/store";
import { PAGE_PARAMS, pageOf } from "../lib/pagination";
import { runtimeOf, type Runtime } from "../lib/runtime";
import { isoTime as iso } from "../lib/views";
import { WorkflowStore } from "../lib/workflows/store";

interface Meta {
	user: Principal;
	$statusCode?: number;
}
type Ctx<P = Record<string, unknown>> = Context<P, Meta>;

interface Vars {
	runtime: Runtime;
	database: Database;
	store: EvalStore;
	workflows: WorkflowStore;
	driver: EvalDriver;
	timer: NodeJS.Timeout | null;
}
/** `from_executions` of a new dataset. */
interface RunsSource {
	workflow_id: string;
	workflow_version?: string;
	status?: "completed" | "failed" | "cancelled";
	limit?: number;
}

interface Methods {
	datasetItems(ownerId: string, source: { items?: DatasetItem[]; jsonl?: string; from_executions?: RunsSource }): Promise<DatasetItem[]>;
	ownedEval(ctx: Ctx, id: string): Promise<EvalRecord>;
	evalView(e: EvalRecord, items: EvalItem[]): Record<string, unknown>;
}

/** How long an eval's lease holds without its node renewing it: a few ticks of a node that stopped. */
const LEASE_TICKS = 10;
/** Most bytes of a run's outputs an eval reads to score (as JSON characters). */
const MAX_SCORED_OUTPUT = 4 * 1024 * 1024;

const ID = { type: "string", min: 1, max: 36 } as const;

/** An eval's scorers as answered: each with the name its scores and aggregate go by. */
/** An eval as the API shows it, without its items: in the list and in front of the items of one. */
function evalSummary(e: EvalRecord, aggregates: EvalRecord["aggregates"], progress: { items: number; scored: number }) {
	return {
		id: e.id,
		workflow_id: e.workflow_id,
		workflow_version: e.workflow_version,
		dataset_id: e.dataset_id,
		scorers: scorerList(e.scorers),
		status: e.status,
		error: e.error,
		aggregates,
		progress,
		owner_id: e.owner_id,
		created_at: iso(e.created_at),
		completed_at: iso(e.completed_at)
	};
}

function scorerList(scorers: Scorer[]): (Scorer & { name: string })[] {
	const names = scorerNames(scorers);
	return scorers.map((s, i) => ({ ...s, name: names[i] }));
}

/**
 * Datasets (items of inputs with what each should give) and evals of a workflow version over
 * one: a run per item through the execution service as the eval's owner, each finished run
 * scored (lib/evals/scorers.ts), and the mean score per scorer; two evals side by side.
 */
const EvalsService: ServiceSchema<{ rest: string }, Methods, Vars> = {
	name: "evals",

	settings: { rest: "/" },

	actions: {
		datasetCreate: {
			rest: "POST /datasets",
			auth: "write",
			openapi: {
				tags: ["evals"],
				summary: "Create a dataset",
				description:
					"Items of `inputs` (a run's inputs) and, optionally, `expected` (what its outputs should be, for scorers to compare with), given in one of three ways: `items` (a list), `jsonl` (JSON lines, one `{inputs, expected?}` object a line; a bad line is a 422 naming its number), or `from_executions` (the caller's newest runs of `workflow_id`, of `workflow_version` if given, that ended with `status` (`completed` by default), at most `limit`: their inputs as items, their outputs as expected). At most EVAL_DATASET_MAX_ITEMS items, EVAL_DATASET_MAX_BYTES together.",
				responses: { 201: { description: "Created", schema: CREATED } },
				example: { name: "greetings", items: [{ inputs: { who: "Ada" }, expected: { greeting: "Hello, Ada" } }] }
			},
			params: {
				name: { type: "string", min: 1, max: 200 },
				items: { type: "array", optional: true, min: 1, max: 100_000, items: { type: "object", strict: true, props: { inputs: { type: "object" }, expected: { type: "any", optional: true } } } },
				jsonl: { type: "string", optional: true, min: 1 },
				from_executions: {
					type: "object",
					optional: true,
					strict: true,
					props: {
						workflow_id: { type: "string", min: 1, max: 128 },
						workflow_version: { type: "string", optional: true, min: 1, max: 64 },
						status: { type: "enum", optional: true, values: ["completed", "failed", "cancelled"], messages: { enumValue: "The '{field}' field must be one of completed, failed, cancelled." } },
						limit: { type: "number", optional: true, integer: true, positive: true }
					}
				}
			},
			async handler(ctx: Ctx<{ name: string; items?: DatasetItem[]; jsonl?: string; from_executions?: RunsSource }>) {
				const items = await this.datasetItems(ctx.meta.user.id, ctx.params);
				const dataset = await this.store.createDataset(ctx.meta.user.id, ctx.params.name, items);
				ctx.meta.$statusCode = 201;
				return { id: dataset.id };
			}
		},

		datasetList: {
			rest: "GET /datasets",
			auth: "read",
			openapi: { tags: ["evals"], summary: "List datasets", description: "The caller's datasets, newest first (admins see everyone's), without their items.", responses: { 200: { description: "A page of datasets", schema: DATASET_PAGE } } },
			params: { ...PAGE_PARAMS },
			async handler(ctx: Ctx<{ page?: number; page_size?: number }>) {
				const { page, pageSize, offset } = pageOf(ctx.params);
				const { rows, total } = await this.store.datasets(isAdmin(ctx.meta.user) ? undefined : ctx.meta.user.id, { pageSize, offset });
				return { datasets: rows.map(d => ({ ...d, created_at: iso(d.created_at) })), total, page, page_size: pageSize };
			}
		},

		datasetGet: {
			rest: "GET /datasets/:id",
			auth: "read",
			openapi: { tags: ["evals"], summary: "Get a dataset", description: "The dataset with its items.", responses: { 200: { description: "The dataset", schema: DATASET }, 404: "No such dataset for the caller" } },
			params: { id: ID },
			async handler(ctx: Ctx<{ id: string }>) {
				const dataset = await this.store.dataset(ctx.params.id);
				if (!dataset || !canAccess(ctx.meta.user, dataset.owner_id)) throw notFound("Dataset");
				return { ...dataset, created_at: iso(dataset.created_at) };
			}
		},

		datasetDelete: {
			rest: "DELETE /datasets/:id",
			auth: "write",
			openapi: { tags: ["evals"], summary: "Delete a dataset", description: "Evals of it keep their items.", responses: { 204: "Deleted", 404: "No such dataset for the caller" } },
			params: { id: ID },
			async handler(ctx: Ctx<{ id: string }>) {
				const dataset = await this.store.dataset(ctx.params.id);
				if (!dataset || !canAccess(ctx.meta.user, dataset.owner_id)) throw notFound("Dataset");
				await this.store.deleteDataset(dataset.id);
				ctx.meta.$statusCode = 204;
				return null;
			}
		},

		evalCreate: {
			rest: "POST /evals",
			auth: "write",
			openapi: {
				tags: ["evals"],
				summary: "Start an eval",
				description:
					"Runs the workflow version once per dataset item (as the caller, EVAL_CONCURRENCY at a time) and scores each finished run's outputs against the item's `expected` with every scorer: `exact` (deep equality), `contains` (`text`, else `expected`, found in the outputs' text; `path` narrows both; `ignore_case`), `json_schema` (`schema` holds), `jsonata` (`expression` over `{outputs, expected, inputs}` giving a number from 0 to 1 or true/false, evaluated like a transform step), `llm_judge` (a model grades against `rubric`). A run that fails scores 0. Follow it with GET /evals/{id}.",
				responses: { 201: { description: "Started", schema: CREATED }, 404: "No such workflow version or dataset for the caller" },
				example: { workflow_id: "hello", workflow_version: "1.0.0", dataset_id: "00000000-0000-4000-8000-000000000000", scorers: [{ type: "exact" }] }
			},
			params: {
				workflow_id: { type: "string", min: 1, max: 128 },
				workflow_version: { type: "string", min: 1, max: 64 },
				dataset_id: ID,
				scorers: { type: "array", min: 1, max: 10, items: { type: "object" } }
			},
			async handler(ctx: Ctx<{ workflow_id: string; workflow_version: string; dataset_id: string; scorers: Scorer[] }>) {
				const problems = scorerProblems(ctx.params.scorers);
				if (problems.length) throw validationFailed("The scorers are not valid", problems);
				const ownerId = ctx.meta.user.id;
				const workflow = await this.workflows.byVersion(ownerId, ctx.params.workflow_id, ctx.params.workflow_version);
				if (!workflow) throw notFound(`Workflow ${ctx.params.workflow_id} version ${ctx.params.workflow_version}`);
				const dataset = await this.store.dataset(ctx.params.dataset_id);
				if (!dataset || !canAccess(ctx.meta.user, dataset.owner_id)) throw notFound("Dataset");
				const e = await this.store.createEval({ owner_id: ownerId, workflow_id: workflow.workflow_id, workflow_version: workflow.version, dataset_id: dataset.id, scorers: ctx.params.scorers }, dataset.items);
				// The first runs start now; the node's tick moves it on from there.
				void this.driver.advance(e.id).catch(err => this.logger.warn({ err, eval_id: e.id }, `Eval ${e.id} could not move on: ${(err as Error).message}`));
				ctx.meta.$statusCode = 201;
				return { id: e.id };
			}
		},

		evalList: {
			rest: "GET /evals",
			auth: "read",
			openapi: {
				tags: ["evals"],
				summary: "List evals",
				description: "The caller's evals, newest first (admins see everyone's), without their items: status, progress and, once completed, each scorer's aggregate. Narrowed by `workflow_id`, `workflow_version` and `status`.",
				responses: { 200: { description: "A page of evals", schema: EVAL_PAGE } },
				example: { workflow_id: "greeter", status: "completed", page: 1, page_size: 20 }
			},
			params: {
				workflow_id: { type: "string", min: 1, max: 128, optional: true },
				workflow_version: { type: "string", min: 1, max: 64, optional: true },
				status: { type: "enum", values: ["running", "completed", "failed"], optional: true },
				...PAGE_PARAMS
			},
			async handler(ctx: Ctx<{ workflow_id?: string; workflow_version?: string; status?: EvalStatus; page?: number; page_size?: number }>) {
				const { page, pageSize, offset } = pageOf(ctx.params);
				const { rows, total } = await this.store.evals(
					{ ownerId: isAdmin(ctx.meta.user) ? undefined : ctx.meta.user.id, workflowId: ctx.params.workflow_id, workflowVersion: ctx.params.workflow_version, status: ctx.params.status },
					{ pageSize, offset }
				);
				return {
					evals: rows.map(e => evalSummary(e, e.aggregates, { items: e.items, scored: e.scored })),
					total,
					page,
					page_size: pageSize
				};
			}
		},

		// Declared before evalGet: `compare` is not an eval id.
		evalCompare: {
			rest: "GET /evals/compare",
			auth: "read",
			openapi: {
				tags: ["evals"],
				summary: "Compare two evals",
				description: "Two evals (typically two versions of a workflow over one dataset) side by side: each scorer's aggregate in `a` and `b` and the difference (b − a), and each item's scores and outputs by position.",
				responses: { 200: { description: "The comparison", schema: EVAL_COMPARISON }, 404: "No such eval for the caller" }
			},
			params: { a: ID, b: ID },
			async handler(ctx: Ctx<{ a: string; b: string }>) {
				const [a, b] = [await this.ownedEval(ctx, ctx.params.a), await this.ownedEval(ctx, ctx.params.b)];
				const [va, vb] = [this.evalView(a, await this.store.items(a.id)), this.evalView(b, await this.store.items(b.id))];
				const aggA = va.aggregates as Record<string, number>;
				const aggB = vb.aggregates as Record<string, number>;
				const names = [...new Set([...Object.keys(aggA), ...Object.keys(aggB)])];
				const itemsA = va.items as Record<string, unknown>[];
				const itemsB = vb.items as Record<string, unknown>[];
				const side = (item: Record<string, unknown> | undefined) => item && { execution_id: item.execution_id, run_status: item.run_status, outputs: item.outputs, scores: item.scores, error: item.error };
				const { items: _a, ...summaryA } = va;
				const { items: _b, ...summaryB } = vb;
				return {
					a: summaryA,
					b: summaryB,
					scorers: names.map(name => ({ name, a: aggA[name] ?? null, b: aggB[name] ?? null, delta: name in aggA && name in aggB ? aggB[name] - aggA[name] : null })),
					items: Array.from({ length: Math.max(itemsA.length, itemsB.length) }, (_, i) => ({
						position: i,
						inputs: (itemsA[i] ?? itemsB[i]).inputs,
						expected: (itemsA[i] ?? itemsB[i]).expected,
						a: side(itemsA[i]) ?? null,
						b: side(itemsB[i]) ?? null
					}))
				};
			}
		},

		evalGet: {
			rest: "GET /evals/:id",
			auth: "read",
			openapi: {
				tags: ["evals"],
				summary: "Get an eval",
				description: "`status` (running, completed, failed), progress, each item's run, outputs and scores, and per scorer the mean score in [0, 1].",
				responses: { 200: { description: "The eval", schema: EVAL }, 404: "No such eval for the caller" }
			},
			params: { id: ID },
			async handler(ctx: Ctx<{ id: string }>) {
				const e = await this.ownedEval(ctx, ctx.params.id);
				return this.evalView(e, await this.store.items(e.id));
			}
		}
	},

	methods: {
		/** A new dataset's items from whichever of `items`, `jsonl` and `from_executions` was given, within the dataset bounds. */
		async datasetItems(ownerId, source) {
			const { EVAL_DATASET_MAX_ITEMS: maxItems, EVAL_DATASET_MAX_BYTES: maxBytes } = this.runtime.config;
			const given = (["items", "jsonl", "from_executions"] as const).filter(k => source[k] !== undefined);
			if (given.length !== 1)
				throw validationFailed("Give a dataset's items in one way", [{ path: given[1] ?? "items", message: "give exactly one of items, jsonl and from_executions" }]);
			const field = given[0];
			const tooBig = () => validationFailed(`A dataset's items are at most ${maxBytes} bytes (EVAL_DATASET_MAX_BYTES)`, [{ path: field, message: `are larger than ${maxBytes} bytes` }]);
			let items: DatasetItem[];
			if (source.jsonl !== undefined) {
				// Checked before parsing (the items' JSON is checked after): the text may carry spaces and newlines their JSON does not.
				if (Buffer.byteLength(source.jsonl) > 2 * maxBytes) throw tooBig();
				const parsed = parseJsonLines(source.jsonl, maxItems);
				if (!parsed.ok) throw validationFailed(parsed.problem.line ? `Line ${parsed.problem.line} of jsonl is not a dataset item` : "jsonl holds no items", [{ path: parsed.problem.path, message: parsed.problem.message }]);
				items = parsed.items;
			} else if (source.from_executions !== undefined) {
				const runs = source.from_executions;
				const limit = runs.limit ?? maxItems;
				if (limit > maxItems) throw validationFailed(`A dataset holds at most ${maxItems} items (EVAL_DATASET_MAX_ITEMS)`, [{ path: "from_executions.limit", message: `must be at most ${maxItems}` }]);
				const read = await new RunReads(this.database).inputsAndOutputs(
					{ ownerId, workflowId: runs.workflow_id, workflowVersion: runs.workflow_version, status: runs.status ?? "completed" },
					limit,
					maxBytes
				);
				if (!read) throw tooBig();
				if (!read.length) throw validationFailed("No runs to take items from", [{ path: "from_executions", message: "matches none of the caller's runs" }]);
				items = read.map(itemOfRun);
			} else items = source.items!;
			if (items.length > maxItems) throw validationFailed(`A dataset holds at most ${maxItems} items (EVAL_DATASET_MAX_ITEMS)`, [{ path: field, message: `must have at most ${maxItems} items` }]);
			if (Buffer.byteLength(JSON.stringify(items)) > maxBytes) throw tooBig();
			return items;
		},

		async ownedEval(ctx: Ctx, id: string) {
			const e = await this.store.eval(id);
			// Another user's eval is reported as missing: ids are not an oracle.
			if (!e || !canAccess(ctx.meta.user, e.owner_id)) throw notFound("Eval");
			return e;
		},

		evalView(e: EvalRecord, items: EvalItem[]) {
			const names = scorerNames(e.scorers);
			const scored = items.filter(i => i.scores);
			return {
				...evalSummary(e, e.aggregates ?? aggregatesOf(names, scored), { items: items.length, scored: scored.length }),
				items: items.map(i => ({ ...i, expected: i.expected ?? null, outputs: i.outputs ?? null }))
			};
		}
	},

	created() {
		this.runtime = runtimeOf(this.broker);
		this.timer = null;
	},

	async started() {
		const config = this.runtime.config;
		this.database = await this.runtime.database();
		this.store = new EvalStore(this.database);
		this.workflows = new WorkflowStore(this.database);
		const reads = new RunReads(this.database);
		const leaseOwner = `${this.broker.nodeID}:${randomBytes(4).toString("hex")}`;
		this.driver = new EvalDriver({
			store: this.store,
			leaseOwner,
			leaseMs: Math.max(30_000, config.EVAL_TICK_INTERVAL * LEASE_TICKS),
			concurrency: config.EVAL_CONCURRENCY,
			scoreTimeoutMs: config.EVAL_SCORE_TIMEOUT,
			userCode: this.runtime.isolation(),
			start: async (e, inputs, key) => {
				const owner: Principal = { id: e.owner_id, email: "", roles: ["user"], via: "jwt" };
				try {
					const started = (await this.broker.call("execution.execute", { workflow_id: e.workflow_id, workflow_version: e.workflow_version, inputs }, { meta: { user: owner, idempotency_key: key } })) as {
						execution_id: string;
					};
					return started.execution_id;
				} catch (err) {
					const { code, type } = err as { code?: number; type?: string };
					// The version is gone or no longer active: no item can run.
					if (type === "not_found" || type === "conflict") Object.assign(err as object, { final: true });
					// Anything but a refusal of this item's inputs passes (a full flow-control queue, no execution node reachable now, a node short of disk): it is tried next tick.
					else if (!(code && code >= 400 && code < 500 && code !== 429)) Object.assign(err as object, { later: true });
					throw err;
				}
			},
			run: async (id): Promise<RunState | null> => {
				const read = await reads.execution(id, MAX_SCORED_OUTPUT);
				if (!read) return null;
				const error = read.execution.error as { message?: string } | null;
				return { status: read.execution.status, outputs: read.execution.outputs, error: error?.message ?? null };
			},
			judge: async (_ownerId, request, signal) => {
				const answer = (await this.broker.call("llm.complete", { system: request.system, prompt: request.prompt, model: request.model, temperature: 0, max_tokens: 300 }, { timeout: 0 })) as { text: string };
				signal.throwIfAborted();
				return answer.text;
			}
		});
		const tick = async () => {
			try {
				await this.driver.tick();
			} catch (err) {
				this.logger.warn({ err }, `Evals could not move on: ${(err as Error).message}`);
			}
			if (this.timer) this.timer = setTimeout(() => void tick(), config.EVAL_TICK_INTERVAL);
		};
		this.timer = setTimeout(() => void tick(), config.EVAL_TICK_INTERVAL);
	},

	stopped() {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
};

export default EvalsService;
