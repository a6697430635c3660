import type { FieldProblem } from "../errors";
import { parseDuration } from "../duration";
import { childPath } from "./paths";

/**
 * Reads the fields of one object of a definition under any of their accepted spellings,
 * records a problem for each field of the wrong kind, and reports fields nobody read
 * (a misspelt `depend_on` is an error, not a silently ignored key).
 */
export class FieldReader {
	private readonly read = new Set<string>();

	constructor(
		private readonly source: Record<string, unknown>,
		readonly path: string,
		readonly problems: FieldProblem[]
	) {}

	at(name: string): string {
		return childPath(this.path, name);
	}

	/** The first present (non-null) spelling and its value; two different spellings at once are a problem. */
	take(...names: string[]): { name: string; value: unknown } | undefined {
		let found: { name: string; value: unknown } | undefined;
		for (const name of names) {
			if (!Object.hasOwn(this.source, name)) continue;
			this.read.add(name);
			const value = this.source[name];
			if (value === null || value === undefined) continue;
			if (found) this.problems.push({ path: this.at(name), message: `give either ${found.name} or ${name}, not both` });
			else found = { name, value };
		}
		return found;
	}

	problem(name: string, message: string): void {
		this.problems.push({ path: this.at(name), message });
	}

	string(...names: string[]): string | null {
		const field = this.take(...names);
		if (!field) return null;
		if (typeof field.value === "string") return field.value;
		this.problem(field.name, "must be a string");
		return null;
	}

	boolean(name: string): boolean | null {
		const field = this.take(name);
		if (!field) return null;
		if (typeof field.value === "boolean") return field.value;
		this.problem(name, "must be true or false");
		return null;
	}

	/** A whole number of at least 0 and at most `max`. */
	count(max: number, ...names: string[]): { name: string; value: number } | null {
		const field = this.take(...names);
		if (!field) return null;
		const n = field.value;
		if (typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= max) return { name: field.name, value: n };
		this.problem(field.name, `must be a whole number from 0 to ${max}`);
		return null;
	}

	/** A duration in milliseconds: `"500ms"`, `"30s"`, `"5m"`, `"1h"`, or seconds; at most `maxMs`. */
	duration(maxMs: number, ...names: string[]): number | null {
		const field = this.take(...names);
		if (!field) return null;
		const ms = parseDuration(field.value);
		if (ms === null) this.problem(field.name, 'must be a duration such as "500ms", "30s", "5m", "1h", or a number of seconds');
		else if (ms > maxMs) this.problem(field.name, `must be at most ${maxMs / 1000} seconds`);
		else return ms;
		return null;
	}

	/** Seconds as a number (the summary's `timeout_seconds`, `delay_seconds`), in milliseconds. */
	seconds(maxMs: number, ...names: string[]): number | null {
		const field = this.take(...names);
		if (!field) return null;
		const n = field.value;
		if (typeof n === "number" && Number.isFinite(n) && n >= 0 && n * 1000 <= maxMs) return Math.round(n * 1000);
		this.problem(field.name, `must be a number of seconds from 0 to ${maxMs / 1000}`);
		return null;
	}

	stringList(name: string): string[] | null {
		const field = this.take(name);
		if (!field) return null;
		if (!Array.isArray(field.value)) {
			this.problem(name, "must be a list of strings");
			return null;
		}
		const out: string[] = [];
		field.value.forEach((v, i) => {
			if (typeof v === "string") out.push(v);
			else this.problems.push({ path: childPath(this.at(name), i), message: "must be a string" });
		});
		return out;
	}

	/** Reports every field that no `take` asked for. */
	rejectUnknown(what: string): void {
		for (const key of Object.keys(this.source)) {
			if (!this.read.has(key)) this.problems.push({ path: this.at(key), message: `is not a field of ${what}` });
		}
	}
}
