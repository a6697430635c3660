/**
 * A typed builder that emits the workflow DSL (the JSON field names `POST /api/v3/workflows`
 * takes): `workflow("hello", "1.0.0").input("who", {type: "string"}).step("greet",
 * "transform", {expression: "…"}).build()`. A step may only depend on steps declared
 * before it (the type says so), and `build()` checks the result with the server's own
 * validator (lib/dsl, bundled into the package), offline.
 */
import type { FieldProblem } from "./errors";
import { CognitionOSError } from "./errors";

type Template = `\${{${string}}}`;
type Duration = string | number;
type OrTemplate<T> = T | Template;

/** Each step type's params, as the server's JSON Schemas for them (lib/steps) describe them. */
export interface StepParams {
	transform: { expression: string };
	http_request: { url: string; method?: OrTemplate<"GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD">; headers?: Record<string, string | number | boolean> | Template; body?: unknown; expected_status?: OrTemplate<number | number[]>; timeout?: Duration };
	ai_generate: { prompt: string; system?: string; model?: string; agent_role?: string; temperature?: OrTemplate<number>; max_tokens?: OrTemplate<number>; json_schema?: Record<string, unknown>; stream?: OrTemplate<boolean> };
	delay: { duration: Duration };
	approval: { message?: string };
	sub_workflow: { workflow_id: string; version?: string; inputs?: Record<string, unknown> | Template };
	map: { items: unknown[] | Template; step: { type: string; name?: string; params?: Record<string, unknown>; timeout?: Duration; retry?: number; retry_delay?: Duration }; concurrency?: OrTemplate<number> };
}

export type StepType = keyof StepParams;

export interface StepOptions<Deps extends string> {
	name?: string;
	depends_on?: Deps[];
	timeout?: Duration;
	retry?: number;
	retry_delay?: Duration;
	condition?: string;
	agent_role?: string;
	approval_required?: boolean | string;
	approval_timeout?: Duration;
}

export interface InputOptions {
	type?: "string" | "integer" | "float" | "boolean" | "enum" | "json";
	required?: boolean;
	default?: unknown;
	values?: string[];
	description?: string;
}

/** The definition as JSON, in the DSL's field names. */
export interface WorkflowDefinitionJson {
	workflow_id: string;
	version: string;
	name?: string;
	description?: string;
	tags?: string[];
	schedule?: string;
	budget?: { max_tokens?: number; max_cost_usd?: number };
	inputs?: ({ name: string } & InputOptions)[];
	outputs?: { name: string; value: unknown; description?: string }[];
	steps: ({ id: string; type: string; params: Record<string, unknown> } & StepOptions<string>)[];
}

/** `build()` found problems: each names its path, as the server's 422 would. */
export class WorkflowValidationError extends CognitionOSError {
	override name = "WorkflowValidationError";
	constructor(readonly problems: FieldProblem[]) {
		super(`The workflow is not valid: ${problems.map(p => `${p.path}: ${p.message}`).join("; ")}`);
	}
}

type Checker = (document: unknown) => { problems: FieldProblem[] };

let checker: Checker | undefined;
/** The server's validator (lib/dsl's checkWorkflow), bundled at build time into dist/dsl.js; loaded on first use. */
function checkWorkflow(document: unknown): FieldProblem[] {
	checker ??= (require("./dsl.js") as { checkWorkflow: Checker }).checkWorkflow;
	return checker(document).problems.map(p => ({ path: p.path, message: p.message }));
}

export class WorkflowBuilder<Steps extends string = never> {
	private readonly definition: WorkflowDefinitionJson;

	constructor(workflowId: string, version: string) {
		this.definition = { workflow_id: workflowId, version, steps: [] };
	}

	name(name: string): this {
		this.definition.name = name;
		return this;
	}

	description(text: string): this {
		this.definition.description = text;
		return this;
	}

	tags(...tags: string[]): this {
		this.definition.tags = tags;
		return this;
	}

	schedule(cron: string): this {
		this.definition.schedule = cron;
		return this;
	}

	budget(budget: { max_tokens?: number; max_cost_usd?: number }): this {
		this.definition.budget = budget;
		return this;
	}

	input(name: string, options: InputOptions = {}): this {
		(this.definition.inputs ??= []).push({ name, ...options });
		return this;
	}

	output(name: string, value: unknown, description?: string): this {
		(this.definition.outputs ??= []).push({ name, value, ...(description ? { description } : {}) });
		return this;
	}

	/** A step; `depends_on` may name only steps added before it. */
	step<Id extends string, T extends StepType>(id: Id, type: T, params: StepParams[T], options: StepOptions<Steps> = {}): WorkflowBuilder<Steps | Id> {
		this.definition.steps.push({ id, type, params: params as Record<string, unknown>, ...options });
		return this as unknown as WorkflowBuilder<Steps | Id>;
	}

	/** The definition without checking it. */
	toJSON(): WorkflowDefinitionJson {
		return structuredClone(this.definition);
	}

	/** Problems the server would report for this definition (empty when it is valid). */
	problems(): FieldProblem[] {
		return checkWorkflow(this.toJSON());
	}

	/** The definition, checked: throws WorkflowValidationError listing every problem. */
	build(): WorkflowDefinitionJson {
		const problems = this.problems();
		if (problems.length) throw new WorkflowValidationError(problems);
		return this.toJSON();
	}
}

export function workflow(workflowId: string, version: string): WorkflowBuilder {
	return new WorkflowBuilder(workflowId, version);
}
