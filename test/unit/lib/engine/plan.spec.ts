import { validateWorkflow } from "../../../../lib/dsl";
import { admit, executionOutputs, initialStepRows, planOf, progressOf, readySteps, unsatisfiedDependencies } from "../../../../lib/engine/plan";
import { stepRetryDelay } from "../../../../lib/engine/transitions/fail";
import { nextTick } from "../../../../lib/engine/schedule";

const diamond = validateWorkflow({
	workflow_id: "diamond",
	version: "1.0.0",
	inputs: [{ name: "n", type: "integer", default: 1 }],
	steps: [
		{ id: "a", type: "transform", params: { expression: "inputs.n" } },
		{ id: "b", type: "http_request", params: { url: "https://x.test/${{ steps.a.output }}" }, depends_on: ["a"] },
		{ id: "c", type: "transform", params: { expression: "steps.a.output * 2" }, depends_on: ["a"], condition: "${{ inputs.n }} > 0" },
		{ id: "d", type: "transform", params: { expression: "$sum([steps.b.output.status, steps.c.output])" }, depends_on: ["b", "c"] },
		{ id: "e", type: "transform", params: { expression: "$keys(steps)" }, depends_on: ["d"] }
	]
});

describe("execution plan", () => {
	const plan = planOf(diamond);

	it("knows each step's dependents and the sinks", () => {
		expect(plan.dependents.get("a")).toEqual(["b", "c"]);
		expect(plan.dependents.get("d")).toEqual(["e"]);
		expect(plan.sinks).toEqual(["e"]);
		expect(planOf(diamond)).toBe(plan);
	});

	it("reads only the outputs a step refers to, through templates or JSONata paths", () => {
		expect(plan.reads.get("a")).toEqual([]);
		expect(plan.reads.get("b")).toEqual(["a"]);
		expect(plan.reads.get("c")).toEqual(["a"]);
		expect(new Set(plan.reads.get("d"))).toEqual(new Set(["b", "c"]));
		// $keys(steps) may read any step: every ancestor.
		expect(new Set(plan.reads.get("e"))).toEqual(new Set(["a", "b", "c", "d"]));
	});

	it("starts with the roots ready and every other step waiting on its dependencies", () => {
		const rows = initialStepRows(plan, "x1", 1000, 16);
		expect(rows.map(r => [r.step_id, r.pending_deps, r.ready_at])).toEqual([
			["a", 0, 1000],
			["b", 1, null],
			["c", 1, null],
			["d", 2, null],
			["e", 1, null]
		]);
		expect(rows.every(r => r.status === "pending" && r.max_attempts === 1)).toBe(true);
	});

	it("holds roots beyond the parallel limit", () => {
		const wide = validateWorkflow({
			workflow_id: "wide",
			version: "1.0.0",
			steps: Array.from({ length: 5 }, (_, i) => ({ id: `s${i}`, type: "transform", params: { expression: "1" } }))
		});
		expect(initialStepRows(planOf(wide), "x", 1, 2).map(r => r.ready_at)).toEqual([1, 1, null, null, null]);
	});

	it("computes outputs from declared values, or from the sinks", () => {
		expect(executionOutputs(plan, { inputs: {}, steps: { e: { output: ["a"] } } })).toEqual({ e: ["a"] });
		const declared = planOf(
			validateWorkflow({
				workflow_id: "o",
				version: "1.0.0",
				outputs: [{ name: "url", value: "https://${{ steps.a.output.host }}/x" }],
				steps: [{ id: "a", type: "transform", params: { expression: "{'host': 'h'}" } }]
			})
		);
		expect(declared.outputReads).toEqual(["a"]);
		expect(executionOutputs(declared, { inputs: {}, steps: { a: { output: { host: "h" } } } })).toEqual({ url: "https://h/x" });
	});

	it("makes a step ready when every dependency completed or was skipped", () => {
		const status = (entries: [string, "pending" | "running" | "completed" | "skipped" | "failed"][]) => new Map(entries);
		expect(readySteps(plan, status([]))).toEqual(["a"]);
		expect(readySteps(plan, status([["a", "completed"]]))).toEqual(["b", "c"]);
		expect(readySteps(plan, status([["a", "completed"], ["b", "completed"], ["c", "running"]]))).toEqual([]);
		expect(readySteps(plan, status([["a", "completed"], ["b", "completed"], ["c", "skipped"]]))).toEqual(["d"]);
		expect(readySteps(plan, status([["a", "completed"], ["b", "failed"], ["c", "completed"]]))).toEqual([]);
		expect(unsatisfiedDependencies(plan, "d", status([["b", "completed"]]))).toBe(1);
	});

	it("admits unblocked steps up to the free capacity, running the first ones here", () => {
		expect(admit(["b", "c", "d"], 2, 1)).toEqual({ ready: ["b", "c"], local: ["b"], dispatched: ["c"] });
		expect(admit(["b", "c"], 5, 5)).toEqual({ ready: ["b", "c"], local: ["b", "c"], dispatched: [] });
		expect(admit(["b"], 0, 3)).toEqual({ ready: [], local: [], dispatched: [] });
	});

	it("reports progress in whole percent", () => {
		expect(progressOf(0, 3)).toBe(0);
		expect(progressOf(2, 3)).toBe(66);
		expect(progressOf(3, 3)).toBe(100);
	});
});

describe("retry backoff", () => {
	it("doubles from the step's retry_delay, with jitter over the upper half", () => {
		expect(stepRetryDelay(1000, 2, () => 0)).toBe(500);
		expect(stepRetryDelay(1000, 2, () => 1)).toBe(1000);
		expect(stepRetryDelay(1000, 3, () => 1)).toBe(2000);
		expect(stepRetryDelay(1000, 4, () => 0.5)).toBe(3000);
	});

	it("never waits longer than ten minutes", () => {
		expect(stepRetryDelay(1000, 30, () => 1)).toBe(600_000);
	});
});

describe("schedules", () => {
	it("finds the next tick after a time, in UTC", () => {
		const t = Date.parse("2026-11-26T06:01:30Z");
		expect(new Date(nextTick("*/5 * * * *", t)).toISOString()).toBe("2026-11-26T06:05:00.000Z");
		expect(new Date(nextTick("@daily", t)).toISOString()).toBe("2026-11-27T00:00:00.000Z");
		expect(new Date(nextTick("*/5 * * * *", Date.parse("2026-11-26T06:05:00Z"))).toISOString()).toBe("2026-11-26T06:10:00.000Z");
	});

	it("reads the fields in the schedule's time zone, across daylight saving time", () => {
		const t = Date.parse("2026-11-26T06:01:30Z");
		// 09:00 in Berlin is 08:00 UTC in winter (CET) and 07:00 UTC in summer (CEST).
		expect(new Date(nextTick("0 9 * * *", t, "Europe/Berlin")).toISOString()).toBe("2026-11-26T08:00:00.000Z");
		expect(new Date(nextTick("0 9 * * *", Date.parse("2026-07-01T00:00:00Z"), "Europe/Berlin")).toISOString()).toBe("2026-07-01T07:00:00.000Z");
		expect(new Date(nextTick("0 9 * * mon", t, "America/New_York")).toISOString()).toBe("2026-11-30T14:00:00.000Z");
	});
});
