import { runtimeOf } from "../../lib/runtime";
import type { TestNode } from "../support/broker";
import { embeddedHarness, execute, finished, postWorkflow, stepOf, waitForExecution, type EngineHarness } from "../support/engine-harness";

type Harness = EngineHarness & { readonly node: TestNode };

const MB = 1024 * 1024;

/**
 * Issue 15, "step outputs are unbounded": eight 60 MB outputs took RSS to 3.9 GB, grew
 * SQLite to 12 GB and killed the process, and reading the run answered 500 forever. Outputs
 * (STEP_MAX_OUTPUT_BYTES, 4 MB) and inputs (EXECUTION_MAX_INPUT_BYTES, 1 MB) are measured
 * before anything is written; reading a run is bounded (EXECUTION_VIEW_MAX_BYTES, 16 MB)
 * however large what was stored, and never answers 5xx.
 */
describe("bounded data (embedded, default limits)", () => {
	let h: Harness;
	const sql = async <T = Record<string, unknown>>(query: string, bind: unknown[] = []) => (await runtimeOf(h.node.broker).database()).sql.all<T>(query, bind);

	beforeAll(async () => {
		h = await embeddedHarness();
	});
	afterAll(() => h.stop());

	it("refuses step outputs larger than 4 MB before writing them, from a worker and from the node alike", async () => {
		await postWorkflow(h, {
			workflow_id: "big-outputs",
			version: "1.0.0",
			steps: [
				{ id: "fetched", type: "http_request", params: { url: `${h.target.url}/big?bytes=${5 * MB}` } },
				{ id: "computed", type: "transform", params: { expression: '$join([1..500000].("xxxxxxxxxx"))' } }
			]
		});
		const run = await waitForExecution(h, await execute(h, "big-outputs"), finished, 60_000);
		expect(run.status).toBe("failed");
		const errors = [stepOf(run, "fetched").error?.type, stepOf(run, "computed").error?.type].filter(Boolean);
		expect(errors).toContain("output_too_large");
		const [{ longest }] = await sql<{ longest: number | null }>("SELECT MAX(LENGTH(output)) AS longest FROM step_runs WHERE execution_id = $1", [run.execution_id]);
		expect(Number(longest ?? 0)).toBeLessThan(MB);
		const [{ events }] = await sql<{ events: number }>("SELECT MAX(LENGTH(payload)) AS events FROM outbox WHERE aggregate_id = $1", [run.execution_id]);
		expect(Number(events)).toBeLessThan(MB);
	});

	it("fails a run whose outputs add up to more than 4 MB instead of writing them", async () => {
		await postWorkflow(h, {
			workflow_id: "big-run-outputs",
			version: "1.0.0",
			outputs: [
				{ name: "first", value: "${{ steps.text.output.body.text }}" },
				{ name: "second", value: "${{ steps.text.output.body.text }}" }
			],
			steps: [{ id: "text", type: "http_request", params: { url: `${h.target.url}/big?bytes=${3 * MB}` } }]
		});
		const run = await waitForExecution(h, await execute(h, "big-run-outputs"), finished, 60_000);
		expect(run.status).toBe("failed");
		expect(run.error).toEqual(expect.objectContaining({ type: "output_too_large" }));
		expect(run.outputs).toBeNull();
	});

	it("refuses sub-workflow inputs past 1 MB as a step error, and execute inputs nested 5,000 deep with a 4xx naming the field", async () => {
		await postWorkflow(h, { workflow_id: "takes-anything", version: "1.0.0", inputs: [{ name: "blob", type: "json" }], steps: [{ id: "noop", type: "transform", params: { expression: "1" } }] });
		await postWorkflow(h, {
			workflow_id: "passes-too-much",
			version: "1.0.0",
			steps: [
				{ id: "text", type: "http_request", params: { url: `${h.target.url}/big?bytes=${2 * MB}` } },
				{ id: "child", type: "sub_workflow", depends_on: ["text"], params: { workflow_id: "takes-anything", inputs: { blob: "${{ steps.text.output.body }}" } } }
			]
		});
		const run = await waitForExecution(h, await execute(h, "passes-too-much"), finished, 60_000);
		expect(stepOf(run, "child").error).toEqual(expect.objectContaining({ type: "input_too_large" }));

		// Written as text: a client's serializer may refuse to nest this deep, a hostile client does not.
		const deep = `${'{"d":'.repeat(5000)}1${"}".repeat(5000)}`;
		const body = `{"workflow_id":"takes-anything","workflow_version":"1.0.0","inputs":{"blob":${deep}}}`;
		const res = await h.http.post("/api/v3/workflows/execute").set(h.user.auth).set("Content-Type", "application/json").send(body);
		expect(res.status).toBe(422);
		expect(res.body.detail[0].path).toMatch(/^inputs\.blob/);
	});

	it("reads a run that holds huge outputs (written before the limits) within EXECUTION_VIEW_MAX_BYTES, never with a 5xx", async () => {
		await postWorkflow(h, {
			workflow_id: "legacy",
			version: "1.0.0",
			steps: ["a", "b", "c", "small"].map(id => ({ id, type: "transform", params: { expression: `'${id}'` } }))
		});
		const run = await waitForExecution(h, await execute(h, "legacy"), finished);
		// What an older version let through: three outputs of 10 MB each.
		const huge = JSON.stringify({ text: "y".repeat(10 * MB) });
		const db = await runtimeOf(h.node.broker).database();
		await db.sqlTransaction(tx => tx.run("UPDATE step_runs SET output = $2 WHERE execution_id = $1 AND step_id IN ('a', 'b', 'c')", [run.execution_id, huge]));

		const one = await h.http.get(`/api/v3/workflows/executions/${run.execution_id}`).set(h.user.auth);
		expect(one.status).toBe(200);
		expect(JSON.stringify(one.body).length).toBeLessThan(16 * MB);
		expect(one.body.omitted).toEqual(["steps.a.output", "steps.b.output", "steps.c.output"]);
		expect(stepOf(one.body, "small").output).toBe("small");
		expect(stepOf(one.body, "a").output).toBeNull();

		const step = await h.http.get(`/api/v3/workflows/executions/${run.execution_id}/steps/a`).set(h.user.auth);
		expect(step.status).toBe(200);
		expect(step.body.output.text).toHaveLength(10 * MB);

		const list = await h.http.get("/api/v3/workflows/executions").query({ workflow_id: "legacy" }).set(h.user.auth);
		expect(list.status).toBe(200);
		expect(list.body.executions[0].execution_id).toBe(run.execution_id);
	});
});
