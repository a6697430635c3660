/**
 * Scorers of an eval: each compares one finished run's outputs with the dataset item's
 * `expected` and gives a score in [0, 1]. `exact`, `contains` and `json_schema` are pure;
 * `jsonata` evaluates the user's expression through the same isolation path as a transform
 * step (lib/isolation); `llm_judge` asks a model, through the LLM service, to grade against
 * a rubric.
 */
import { isDeepStrictEqual } from "node:util";
import { Validator } from "@cfworker/json-schema";
import jsonata from "jsonata";
import type { FieldProblem } from "../errors";
import { jsonSchemaProblems } from "../steps/ajv";
import type { UserCode } from "../steps/types";

export type Scorer =
	| { type: "exact"; name?: string }
	/** The output (or the value at `path`) as text contains `text` (else `expected`, or its value at `path`, as text). */
	| { type: "contains"; name?: string; path?: string; text?: string; ignore_case?: boolean }
	| { type: "json_schema"; name?: string; schema: Record<string, unknown> }
	/** Over `{outputs, expected, inputs}`: a number in [0, 1], or true/false. */
	| { type: "jsonata"; name?: string; expression: string }
	| { type: "llm_judge"; name?: string; rubric: string; model?: string };

export const SCORER_TYPES = ["exact", "contains", "json_schema", "jsonata", "llm_judge"] as const;

/** Longest rubric, expression or text a scorer may carry. */
const MAX_SCORER_TEXT = 8 * 1024;
/** Most scorers one eval may have. */
export const MAX_SCORERS = 10;

/** A scorer's name in scores and aggregates: its own `name`, else its type and position (`contains#2`) when its type repeats. */
export function scorerNames(scorers: readonly Scorer[]): string[] {
	const counts = new Map<string, number>();
	for (const s of scorers) counts.set(s.type, (counts.get(s.type) ?? 0) + 1);
	return scorers.map((s, i) => s.name ?? (counts.get(s.type)! > 1 ? `${s.type}#${i + 1}` : s.type));
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Problems of the posted scorers, named by field (`scorers[1].expression`); none when they can run. */
export function scorerProblems(value: unknown): FieldProblem[] {
	if (!Array.isArray(value) || value.length === 0) return [{ path: "scorers", message: "must be a list of at least one scorer" }];
	if (value.length > MAX_SCORERS) return [{ path: "scorers", message: `must have at most ${MAX_SCORERS} scorers` }];
	const problems: FieldProblem[] = [];
	const text = (s: Record<string, unknown>, field: string, path: string, required: boolean) => {
		const v = s[field];
		if (v === undefined && !required) return;
		if (typeof v !== "string" || v.length === 0) problems.push({ path: `${path}.${field}`, message: "must be a non-empty string" });
		else if (v.length > MAX_SCORER_TEXT) problems.push({ path: `${path}.${field}`, message: `must be at most ${MAX_SCORER_TEXT} characters` });
	};
	const names = new Set<string>();
	value.forEach((s, i) => {
		const path = `scorers[${i}]`;
		if (!isObject(s)) return problems.push({ path, message: "must be an object with a type" });
		const allowed: Record<string, string[]> = { exact: [], contains: ["path", "text", "ignore_case"], json_schema: ["schema"], jsonata: ["expression"], llm_judge: ["rubric", "model"] };
		if (typeof s.type !== "string" || !(SCORER_TYPES as readonly string[]).includes(s.type)) return problems.push({ path: `${path}.type`, message: `must be one of ${SCORER_TYPES.join(", ")}` });
		for (const key of Object.keys(s)) if (key !== "type" && key !== "name" && !allowed[s.type].includes(key)) problems.push({ path: `${path}.${key}`, message: `is not a field of a ${s.type} scorer` });
		text(s, "name", path, false);
		if (typeof s.name === "string") {
			if (names.has(s.name)) problems.push({ path: `${path}.name`, message: "must be unique among the scorers" });
			names.add(s.name);
		}
		if (s.type === "contains") {
			text(s, "path", path, false);
			text(s, "text", path, false);
			if (s.ignore_case !== undefined && typeof s.ignore_case !== "boolean") problems.push({ path: `${path}.ignore_case`, message: "must be true or false" });
		} else if (s.type === "json_schema") {
			if (!isObject(s.schema)) problems.push({ path: `${path}.schema`, message: "must be a JSON Schema (an object)" });
			else problems.push(...jsonSchemaProblems(s.schema, `${path}.schema`));
		} else if (s.type === "jsonata") {
			text(s, "expression", path, true);
			if (typeof s.expression === "string" && s.expression.length <= MAX_SCORER_TEXT) {
				try {
					jsonata(s.expression);
				} catch (err) {
					problems.push({ path: `${path}.expression`, message: `is not a JSONata expression: ${(err as Error).message}` });
				}
			}
		} else if (s.type === "llm_judge") {
			text(s, "rubric", path, true);
			text(s, "model", path, false);
		}
	});
	return problems;
}

/** The value at a dotted path (`a.b.0`); undefined when absent. */
function at(value: unknown, path: string | undefined): unknown {
	if (!path) return value;
	let v = value;
	for (const key of path.split(".")) {
		if (v === null || typeof v !== "object") return undefined;
		v = (v as Record<string, unknown>)[key];
	}
	return v;
}

const asText = (v: unknown): string => (typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v));

export interface ScoreContext {
	inputs: Record<string, unknown>;
	outputs: unknown;
	expected: unknown;
	signal: AbortSignal;
	userCode: UserCode;
	/** Asks the judge model; answers its text. */
	judge(request: { system: string; prompt: string; model?: string }, signal: AbortSignal): Promise<string>;
}

export interface Score {
	score: number;
	/** Why the score is 0 when the scorer could not score (an expression's error, a judge's unreadable answer). */
	error?: string;
	/** The judge's reason, when it gave one. */
	reason?: string;
}

const validators = new Map<string, Validator>();

function schemaHolds(schema: Record<string, unknown>, value: unknown): boolean {
	const key = JSON.stringify(schema);
	let validator = validators.get(key);
	if (!validator) {
		// User schemas are interpreted, never compiled to code (as ai_generate's json_schema).
		validator = new Validator(schema as ConstructorParameters<typeof Validator>[0], "2020-12", false);
		if (validators.size > 500) validators.clear();
		validators.set(key, validator);
	}
	return validator.validate(value).valid;
}

const clamp = (n: number): number => Math.min(1, Math.max(0, n));

/** A judge's answer: JSON `{score, reason?}` (possibly fenced), the score in [0, 1]. */
export function judgeScore(text: string): Score {
	const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
	const body = fenced ? fenced[1] : text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1);
	try {
		const parsed = JSON.parse(body) as { score?: unknown; reason?: unknown };
		if (typeof parsed.score !== "number" || !Number.isFinite(parsed.score)) return { score: 0, error: "The judge's answer has no numeric score" };
		return { score: clamp(parsed.score), ...(typeof parsed.reason === "string" ? { reason: parsed.reason } : {}) };
	} catch {
		return { score: 0, error: "The judge did not answer JSON with a score" };
	}
}

const JUDGE_SYSTEM =
	'You grade the output of an AI workflow against a rubric. Answer only JSON: {"score": a number from 0 (fails the rubric) to 1 (fully meets it), "reason": one sentence}.';

export async function score(scorer: Scorer, ctx: ScoreContext): Promise<Score> {
	switch (scorer.type) {
		case "exact":
			return { score: isDeepStrictEqual(ctx.outputs, ctx.expected) ? 1 : 0 };
		case "contains": {
			const needle = scorer.text ?? asText(at(ctx.expected, scorer.path));
			const hay = asText(at(ctx.outputs, scorer.path));
			if (!needle) return { score: 0, error: "Nothing to look for: the item has no expected value and the scorer no text" };
			const found = scorer.ignore_case ? hay.toLowerCase().includes(needle.toLowerCase()) : hay.includes(needle);
			return { score: found ? 1 : 0 };
		}
		case "json_schema":
			return { score: schemaHolds(scorer.schema, ctx.outputs) ? 1 : 0 };
		case "jsonata": {
			let value: unknown;
			try {
				value = await ctx.userCode.jsonata(scorer.expression, { outputs: ctx.outputs, expected: ctx.expected, inputs: ctx.inputs }, ctx.signal);
			} catch (err) {
				return { score: 0, error: (err as Error).message };
			}
			if (typeof value === "boolean") return { score: value ? 1 : 0 };
			if (typeof value === "number" && Number.isFinite(value)) return { score: clamp(value) };
			return { score: 0, error: `The expression gave ${asText(value) || "nothing"}, not a number from 0 to 1 or true/false` };
		}
		case "llm_judge": {
			const prompt = [`Rubric:\n${scorer.rubric}`, `Inputs:\n${asText(ctx.inputs)}`, `Expected:\n${asText(ctx.expected ?? null)}`, `Output:\n${asText(ctx.outputs)}`].join("\n\n");
			try {
				return judgeScore(await ctx.judge({ system: JUDGE_SYSTEM, prompt, model: scorer.model }, ctx.signal));
			} catch (err) {
				return { score: 0, error: `The judge could not answer: ${(err as Error).message}` };
			}
		}
	}
}
