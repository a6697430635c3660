import { embeddedHarness, execute, finished, postWorkflow, stepOf, waitForExecution, type EngineHarness } from "../support/engine-harness";
import { watchLiveness } from "../support/liveness";
import type { TestNode } from "../support/broker";

/**
 * Issue 15, "one transform freezes every node" and "CPU-heavy work blocks everyone":
 * user expressions, conditions, map fan-out and uploads run where a limit stops them.
 * While each hostile run goes on, the node keeps answering /health/live within a second
 * (a liveness probe's timeout), and the run ends `failed` with an error type that names
 * the limit it hit.
 */
describe("hostile user code (embedded)", () => {
	let h: EngineHarness & { readonly node: TestNode };

	beforeAll(async () => {
		// A small worker heap makes the memory limit quick to reach; every other limit is the default.
		h = await embeddedHarness({ ISOLATION_WORKER_MEMORY: "96mb" });
	});
	afterAll(() => h.stop());

	/** Runs a one-step workflow while probing liveness; returns the finished run and what the probes saw. */
	async function runHostile(workflowId: string, step: Record<string, unknown>, extraSteps: Record<string, unknown>[] = []) {
		await postWorkflow(h, { workflow_id: workflowId, version: "1.0.0", steps: [{ id: "hostile", ...step }, ...extraSteps] });
		const watch = watchLiveness([h.node.url]);
		const id = await execute(h, workflowId);
		const run = await waitForExecution(h, id, finished, 60000);
		const probes = await watch.stop();
		return { run, probes };
	}

	it("stops a transform that recurses forever (tail calls), at its timeout, without freezing the node", async () => {
		const { run, probes } = await runHostile("freeze", { type: "transform", timeout: "1s", params: { expression: "($f := function($n){ $f($n+1) }; $f(0))" } });
		expect(run.status).toBe("failed");
		// Either limit may come first: the loop spins (time) and its thunks pile up (memory).
		expect(["timeout", "memory_limit"]).toContain(stepOf(run, "hostile").error?.type);
		expect(probes.probes).toBeGreaterThan(0);
		expect(probes.failures).toEqual([]);
	});

	it("stops CPU-heavy JSONata at its timeout while other requests are answered", async () => {
		// 25 million calls in small arrays: tens of seconds of CPU on any machine, little memory. (The issue's
		// `$count($map([1..1000000], ...))` now takes about a second in a worker, so it could finish inside 2 s.)
		const expression = "$sum($map([1..5000], function($x){ $sum($map([1..5000], function($y){ $x * $y })) }))";
		const { run, probes } = await runHostile("cpu", { type: "transform", timeout: "2s", params: { expression } });
		expect(stepOf(run, "hostile").error?.type).toBe("timeout");
		expect(stepOf(run, "hostile").attempts).toBe(1);
		expect(probes.failures).toEqual([]);
	});

	it("ends an expression that allocates past the worker's heap with memory_limit", async () => {
		const expression = "($a := [1..10000000]; $b := [1..10000000]; $c := [1..10000000]; $count($a) + $count($b) + $count($c))";
		const { run, probes } = await runHostile("memory", { type: "transform", timeout: "60s", params: { expression } });
		expect(stepOf(run, "hostile").error).toEqual(expect.objectContaining({ type: "memory_limit" }));
		expect(probes.failures).toEqual([]);
		// The worker that died was replaced: the next expression that needs one runs.
		const { run: after } = await runHostile("after-memory", { type: "transform", params: { expression: "$sum([1..1000])" } });
		expect(after.status).toBe("completed");
		expect(stepOf(after, "hostile").output).toBe(500500);
	});

	it("cannot record a list of a million items: the worker measures it and refuses it (output_too_large)", async () => {
		const { run, probes } = await runHostile("million", { type: "transform", params: { expression: "[1..1000000]" } }, [
			{ id: "fan", type: "map", depends_on: ["hostile"], params: { items: "${{ steps.hostile.output }}", step: { type: "transform", params: { expression: "item * 2" } } } }
		]);
		expect(stepOf(run, "hostile").error).toEqual(expect.objectContaining({ type: "output_too_large" }));
		expect(stepOf(run, "fan").status).toBe("cancelled");
		expect(probes.failures).toEqual([]);
	});

	it("refuses a map over more items than MAP_MAX_ITEMS (10,000) before running any", async () => {
		const { run, probes } = await runHostile("big-map", { type: "transform", params: { expression: "[1..20000]" } }, [
			{ id: "fan", type: "map", depends_on: ["hostile"], params: { items: "${{ steps.hostile.output }}", step: { type: "transform", params: { expression: "item * 2" } } } }
		]);
		expect(stepOf(run, "fan").error).toEqual(expect.objectContaining({ type: "too_many_items" }));
		expect(stepOf(run, "fan").attempts).toBe(1);
		expect(probes.failures).toEqual([]);
	});

	it("keeps the node answering while a long map of inline items runs, and stops it at the step's timeout", async () => {
		const { run, probes } = await runHostile("long-map", { type: "transform", params: { expression: "[1..10000]" } }, [
			{
				id: "fan",
				type: "map",
				timeout: "1s",
				depends_on: ["hostile"],
				// Each item runs in a worker (a function of its own): slow enough that 10,000 of them outlast the timeout.
				params: { items: "${{ steps.hostile.output }}", step: { type: "transform", params: { expression: "($f := function($x){ $x * 2 }; $f(item))" } } }
			}
		]);
		expect(stepOf(run, "fan").error?.type).toBe("timeout");
		expect(probes.failures).toEqual([]);
	});

	it("evaluates a condition that filters a large list off the event loop", async () => {
		const { run, probes } = await runHostile("big-condition", { type: "transform", params: { expression: '[1..100000].{"n": $}' } }, [
			{ id: "gated", type: "transform", depends_on: ["hostile"], condition: "${{ steps.hostile.output }}[.n == 99999][0].n == 99999", params: { expression: "'ran'" } }
		]);
		expect(run.status).toBe("completed");
		expect(stepOf(run, "gated").output).toBe("ran");
		expect(probes.failures).toEqual([]);
	});

	it("refuses params whose templates paste a large output into text many times (params_too_large)", async () => {
		const paste = Array.from({ length: 20 }, () => "${{ steps.hostile.output }}").join(" ");
		const { run } = await runHostile("paste", { type: "transform", params: { expression: '$join([1..100000].("xxxxxxxxxx"))' } }, [
			{ id: "post", type: "http_request", depends_on: ["hostile"], params: { method: "POST", url: `${h.target.url}/echo`, body: { text: paste } } }
		]);
		expect(stepOf(run, "hostile").status).toBe("completed");
		expect(stepOf(run, "post").error).toEqual(expect.objectContaining({ type: "params_too_large" }));
	});

	it("refuses a hostile YAML upload (1 MB of '[') with a 4xx, and keeps answering meanwhile", async () => {
		const watch = watchLiveness([h.node.url]);
		const res = await h.http.post("/api/v3/workflows").set(h.user.auth).set("Content-Type", "application/yaml").send("[".repeat(1024 * 1024 - 1));
		const probes = await watch.stop();
		expect(res.status).toBeGreaterThanOrEqual(400);
		expect(res.status).toBeLessThan(500);
		expect(res.body.error).toBeDefined();
		expect(probes.failures).toEqual([]);
	});

	it("refuses definitions whose text made the template and duration checks backtrack, quickly and with their paths", async () => {
		const unclosed = {
			workflow_id: "redos-templates",
			version: "1.0.0",
			steps: [{ id: "a", type: "http_request", params: { url: "${{ ".repeat(200_000) } }]
		};
		const spaces = {
			workflow_id: "redos-spaces",
			version: "1.0.0",
			steps: [{ id: "a", type: "http_request", params: { url: `\${{${" ".repeat(200_000)}}` } }]
		};
		const duration = {
			workflow_id: "redos-duration",
			version: "1.0.0",
			steps: [{ id: "a", type: "delay", params: { duration: `1${" ".repeat(200_000)}x` } }]
		};
		const watch = watchLiveness([h.node.url]);
		const answers = await Promise.all([unclosed, spaces, duration].map(d => h.http.post("/api/v3/workflows").set(h.user.auth).send(d)));
		const probes = await watch.stop();
		for (const res of answers) {
			expect(res.status).toBe(422);
			expect(res.body.detail.some((p: { path: string }) => p.path.startsWith("steps[0].params") || p.path === "body")).toBe(true);
		}
		expect(probes.failures).toEqual([]);
	});

	it("evaluates a trigger's filter over an event's data under a time limit: a hostile one is a problem on the event, not a held node", async () => {
		await postWorkflow(h, {
			workflow_id: "hostile-trigger",
			version: "1.0.0",
			// Every item looked for in the list filtered anew for every item: quadratic in the event's data.
			triggers: [{ event: "big.event", filter: "${{ event.data.xs }}[.v in ${{ event.data.xs }}[.v > 0]] != null" }],
			steps: [{ id: "a", type: "transform", params: { expression: "1" } }]
		});
		const xs = Array.from({ length: 50_000 }, (_, i) => ({ v: i }));
		const watch = watchLiveness([h.node.url]);
		const sent = await h.http.post("/api/v3/events").set(h.user.auth).send({ name: "big.event", id: "big-1", data: { xs } });
		const probes = await watch.stop();
		expect(sent.status).toBe(202);
		expect(sent.body.runs).toEqual([]);
		expect(sent.body.problems).toEqual([expect.objectContaining({ workflow_id: "hostile-trigger", type: "filter_error" })]);
		expect(probes.failures).toEqual([]);
	});

	it("still runs tiny expressions inline, and the same expression over large data in a worker, with the same result", async () => {
		const { run } = await runHostile("both-paths", { type: "transform", params: { expression: "[1..5000]" } }, [
			{ id: "small", type: "transform", params: { expression: "inputs.x ? 1 : 2" } },
			// 5,000 items × a few evaluation steps each: past the inline fuel, so it moves to a worker.
			{ id: "large", type: "transform", depends_on: ["hostile"], params: { expression: "$sum(steps.hostile.output.($ * 2))" } }
		]);
		expect(run.status).toBe("completed");
		expect(stepOf(run, "small").output).toBe(2);
		expect(stepOf(run, "large").output).toBe(25005000);
	});
});
