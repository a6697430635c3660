let seq = 0;

/** A small valid definition (two transform steps) with an id no other test uses. */
export function workflowDefinition(tag = "wf", id = `${tag}-${process.pid}-${++seq}`): { workflow_id: string; version: string; steps: Record<string, unknown>[] } & Record<string, unknown> {
	return {
		workflow_id: id,
		version: "1.0.0",
		steps: [
			{ id: "first", type: "transform", params: { expression: "1" } },
			{ id: "second", type: "transform", params: { expression: "steps.first.output + 1" }, depends_on: ["first"] }
		]
	};
}

/** A chain of `n` no-op transform steps. */
export function chainDefinition(id: string, n: number): Record<string, unknown> {
	return {
		workflow_id: id,
		version: "1.0.0",
		steps: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, type: "transform", params: { expression: "1" }, depends_on: i ? [`s${i - 1}`] : [] }))
	};
}
