import { validateWorkflow } from "../../../../lib/dsl";
import { reusedSteps } from "../../../../lib/engine/fork";
import { forkStepRows, initialStepRows, planOf, stepAndDependents } from "../../../../lib/engine/plan";
import type { StepRunRow } from "../../../../lib/engine/types";

const diamond = planOf(
	validateWorkflow({
		workflow_id: "diamond",
		version: "1.0.0",
		steps: [
			{ id: "a", type: "transform", params: { expression: "1" } },
			{ id: "b", type: "transform", params: { expression: "2" }, depends_on: ["a"] },
			{ id: "c", type: "transform", params: { expression: "3" }, depends_on: ["a"] },
			{ id: "d", type: "transform", params: { expression: "4" }, depends_on: ["b", "c"] }
		]
	})
);

/** The rows of a run of the diamond that ended with these statuses. */
function ran(statuses: Record<string, StepRunRow["status"]>): StepRunRow[] {
	return initialStepRows(diamond, "x", 0, 0).map(r => ({ ...r, status: statuses[r.step_id] ?? "pending", output: statuses[r.step_id] === "completed" ? `out-${r.step_id}` : null }));
}

describe("fork from a step", () => {
	it("runs the step and everything depending on it again", () => {
		expect([...stepAndDependents(diamond, "b")].sort()).toEqual(["b", "d"]);
		expect([...stepAndDependents(diamond, "a")].sort()).toEqual(["a", "b", "c", "d"]);
	});

	it("keeps the finished steps that do not depend on the fork's step, with their outputs", () => {
		const reused = reusedSteps(diamond, ran({ a: "completed", b: "completed", c: "completed", d: "failed" }), "b");
		expect([...reused.keys()].sort()).toEqual(["a", "c"]);
		expect(reused.get("c")).toMatchObject({ status: "completed", output: "out-c" });
	});

	it("runs again what did not finish, and whatever depends on a step that runs again", () => {
		// c failed in the forked run: it runs again though it does not depend on b.
		const reused = reusedSteps(diamond, ran({ a: "completed", b: "completed", c: "failed", d: "pending" }), "b");
		expect([...reused.keys()]).toEqual(["a"]);
		// a step of another version that is not in the run is simply not reused
		expect(reusedSteps(diamond, ran({ a: "cancelled", b: "completed", c: "completed" }), "d").size).toBe(0);
	});

	it("starts the fork with kept steps finished and the steps whose dependencies are kept ready", () => {
		const reused = reusedSteps(diamond, ran({ a: "completed", b: "completed", c: "completed", d: "failed" }), "b");
		const rows = forkStepRows(diamond, "fork", 100, 16, reused);
		const by = new Map(rows.map(r => [r.step_id, r]));
		expect(by.get("a")).toMatchObject({ status: "completed", output: "out-a", ready_at: null });
		expect(by.get("b")).toMatchObject({ status: "pending", pending_deps: 0, ready_at: 100 });
		expect(by.get("d")).toMatchObject({ status: "pending", pending_deps: 1, ready_at: null });
		// A queued fork (no parallel room yet) readies nothing.
		expect(forkStepRows(diamond, "fork", 100, 0, reused).filter(r => r.ready_at !== null)).toEqual([]);
	});
});
