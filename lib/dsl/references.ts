import type { Ancestry } from "./graph";

/** A secret's name as `secrets.NAME` reads it (lib/secrets/store.ts keeps the same pattern). */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Whether a data reference (a template's path, or a JSONata path) may be read where it
 * is written: `inputs.X` must be declared (when the workflow declares inputs),
 * `steps.ID.output…` must name a step the reader transitively depends on, `item` and
 * `index` exist only in a map step's step template, `args` only in an agent's tool definitions.
 */
export interface ReferenceSite {
	/** Index of the step that reads, or null for a workflow output (which may read any step). */
	step: number | null;
	/** Inside a map step's step template. */
	inItem: boolean;
	/** Inside an agent step's tool definitions, where a tool call's `args` exist. */
	inTool?: boolean;
	/** In a trigger's filter or a wait_for_event's match, where the event is in scope. */
	event?: boolean;
	/** In a step's params (not a condition), where `secrets.NAME` may be read. */
	params?: boolean;
}

export class ReferenceChecker {
	constructor(
		private readonly stepIds: readonly string[],
		private readonly stepIndex: ReadonlyMap<string, number>,
		private readonly declaredInputs: ReadonlySet<string> | null,
		/** Null when the graph has a cycle: then only existence is checked. */
		private readonly ancestry: Ancestry | null
	) {}

	/** Why `path` cannot be read at `site`, or null when it can. */
	problem(path: readonly string[], site: ReferenceSite): string | null {
		const [root, name, field] = path;
		switch (root) {
			case "inputs":
				if (name === undefined || !this.declaredInputs || this.declaredInputs.has(name)) return null;
				return `"${name}" is not a declared input (${[...this.declaredInputs].join(", ") || "none declared"})`;
			case "steps":
				return this.stepProblem(name, field, site);
			case "item":
			case "index":
				if (!site.inItem) return `${root} exists only inside a map step's step template`;
				return root === "index" && path.length > 1 ? "index is a number and has no fields" : null;
			case "args":
				return site.inTool ? null : "args (a tool call's arguments) exists only inside an agent step's tool definitions";
			case "event":
				return site.event ? null : "event exists only in a trigger's filter and a wait_for_event step's match";
			case "secrets":
				if (!site.params || site.event) return "secrets can be read only in a step's params (never in conditions, matches or outputs)";
				if (name === undefined || !SECRET_NAME.test(name) || path.length > 2) return "name one secret: secrets.NAME (letters, digits and _)";
				return null;
			default:
				return `"${root}" is not something a template can read (inputs, steps, item, index, args, event, secrets)`;
		}
	}

	private stepProblem(id: string | undefined, field: string | undefined, site: ReferenceSite): string | null {
		if (id === undefined) return "name a step: steps.ID.output";
		const index = this.stepIndex.get(id);
		if (index === undefined) return `"${id}" is not a step of this workflow`;
		if (field !== "output") return `a step is read through its output: steps.${id}.output`;
		if (site.step === null) return null;
		if (index === site.step) return "a step cannot read its own output";
		if (this.ancestry && !this.ancestry.isAncestor(index, site.step)) {
			return `step "${id}" is not an ancestor of "${this.stepIds[site.step]}": add it to depends_on (directly or through another step)`;
		}
		return null;
	}
}
