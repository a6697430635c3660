/**
 * `--input k=v` and `--input-file f.json` into a run's inputs. A value is read by the
 * type the workflow declares for it (integer, float, boolean, json); an undeclared or
 * string input stays text.
 */
import { readFileSync } from "node:fs";
import type { Workflow } from "../types";

export class InputError extends Error {}

type Declared = Workflow["inputs"][number];

function typed(name: string, raw: string, declared: Declared | undefined): unknown {
	switch (declared?.type) {
		case "integer":
		case "float": {
			const n = Number(raw);
			if (raw.trim() === "" || !Number.isFinite(n) || (declared.type === "integer" && !Number.isInteger(n))) throw new InputError(`--input ${name}: expected ${declared.type === "integer" ? "an integer" : "a number"}, got "${raw}"`);
			return n;
		}
		case "boolean":
			if (raw === "true" || raw === "false") return raw === "true";
			throw new InputError(`--input ${name}: expected true or false, got "${raw}"`);
		case "json":
			try {
				return JSON.parse(raw);
			} catch {
				throw new InputError(`--input ${name}: expected JSON, got "${raw}"`);
			}
		default:
			return raw;
	}
}

export function readInputs(pairs: string[], files: string[], declared: Declared[]): Record<string, unknown> {
	const inputs: Record<string, unknown> = {};
	for (const file of files) {
		let value: unknown;
		try {
			value = JSON.parse(readFileSync(file, "utf8"));
		} catch (err) {
			throw new InputError(`--input-file ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
		}
		if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError(`--input-file ${file}: expected a JSON object of inputs`);
		Object.assign(inputs, value);
	}
	for (const pair of pairs) {
		const eq = pair.indexOf("=");
		if (eq <= 0) throw new InputError(`--input ${pair}: expected name=value`);
		const name = pair.slice(0, eq);
		inputs[name] = typed(name, pair.slice(eq + 1), declared.find(d => d.name === name));
	}
	return inputs;
}
