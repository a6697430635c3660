import { formatDuration, parseDuration } from "../duration";
import type { JsonSchema } from "./types";

/** Building blocks for the params schemas. A param that may be computed at run time accepts a template string too. */

const TEMPLATE = "\\s*\\$\\{\\{[^}]*\\}\\}\\s*";
const TEMPLATE_PATTERN = `^${TEMPLATE}$`;

/** `schema`, or a string that is one template; `description` completes "must be …" in problems. */
export function templated(schema: JsonSchema & { type: string | string[] }, description: string): JsonSchema {
	const types = Array.isArray(schema.type) ? schema.type : [schema.type];
	return { ...schema, type: [...types, "string"], pattern: TEMPLATE_PATTERN, description: `${description}, or a \${{ … }} template` };
}

/** One of fixed words, or a template. */
export function wordOrTemplate(words: readonly string[]): JsonSchema {
	return { type: "string", pattern: `^(${words.join("|")}|${TEMPLATE})$`, description: `one of ${words.join(", ")}, or a \${{ … }} template` };
}

/** A duration as the DSL writes it: "500ms", "30s", "5m", "1h", "2d", or a number of seconds. */
export const duration: JsonSchema = {
	type: ["string", "number"],
	minimum: 0,
	// No whitespace after the unit: \s* on both sides of an optional unit backtracks quadratically.
	pattern: `^(\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)?|${TEMPLATE})$`,
	maxLength: 256,
	description: 'a duration such as "500ms", "30s", "5m", "1h" or a number of seconds, or a ${{ … }} template'
};

export const nonEmptyString: JsonSchema = { type: "string", minLength: 1 };

/**
 * Why a duration param written as a value (not a template) cannot be used: not a duration,
 * or longer than `maxMs`. Null when it is fine or a template (checked when it runs).
 */
export function durationProblem(value: unknown, maxMs: number): string | null {
	if (value === undefined || (typeof value === "string" && value.includes("${{"))) return null;
	const ms = parseDuration(value);
	if (ms === null) return "is not a duration";
	return ms > maxMs ? `must be at most ${formatDuration(maxMs)}` : null;
}
