/**
 * Steps that become ready together (a fan-out) are claimed together: one claim statement
 * for many steps, not one each (lib/engine/worker.ts, lib/engine/transitions/claim.ts),
 * and still each step exactly once, however often it is handed to the node.
 */
import { runtimeOf } from "../../lib/runtime";
import { embeddedHarness, execute, finished, postWorkflow, waitForExecution, type EngineHarness } from "../support/engine-harness";
import type { TestNode } from "../support/broker";
import { watchStatements } from "../support/statements";

const STEPS = 150;
/** The claim statement (lib/engine/store.ts `claim`): its parameters are four fields, then the step ids. */
const CLAIM = /^\s*UPDATE step_runs SET status = 'running', attempts = attempts \+ 1/;

describe("claiming steps that become ready together", () => {
	let h: EngineHarness & { readonly node: TestNode };
	let watching: { restore(): void } | undefined;
	/** How many step ids each claim statement named, in order. */
	const claims: number[] = [];

	beforeAll(async () => {
		h = await embeddedHarness({ ENGINE_WORKER_CONCURRENCY: "1000", ENGINE_MAX_PARALLEL_STEPS: "1000" });
		watching = watchStatements(await runtimeOf(h.node.broker).database(), (query, params) => {
			if (CLAIM.test(query)) claims.push(params.length - 4);
		});
	});
	afterAll(async () => {
		watching?.restore();
		await h?.stop();
	});

	it("claims a fan-out's steps in a few statements, each step exactly once even when handed to the node again meanwhile", async () => {
		// Behind an approval, so they become ready by a decision, which dispatches them (a start or a finish would claim them
		// for its own node in its own transaction).
		await postWorkflow(h, {
			workflow_id: "fan",
			version: "1.0.0",
			steps: [
				{ id: "gate", type: "approval" },
				...Array.from({ length: STEPS }, (_, i) => ({ id: `s${i}`, type: "http_request", params: { url: `${h.target.url}/slow?ms=50` }, depends_on: ["gate"] }))
			]
		});
		const id = await execute(h, "fan");
		await waitForExecution(h, id, e => e.steps[0].waiting_for === "approval");
		claims.length = 0;
		await h.http.post(`/api/v3/workflows/executions/${id}/steps/gate/approve`).set(h.user.auth).send({}).expect(200);
		// The same steps handed to the node twice more while their first claims are under way (a sweep, a redelivered message).
		const refs = Array.from({ length: STEPS }, (_, i) => ({ execution_id: id, step_id: `s${i}` }));
		await Promise.all([h.node.broker.call("execution.enqueue", { refs }), h.node.broker.call("execution.enqueue", { refs })]);
		const e = await waitForExecution(h, id, finished);
		expect(e.status).toBe("completed");

		// One attempt each, one StepExecutionStarted each.
		expect(e.steps.map(s => s.attempts)).toEqual(Array.from({ length: STEPS + 1 }, () => 1));
		const started = await h.sql<{ payload: string }>("SELECT payload FROM outbox WHERE aggregate_id = $1 AND event_type = 'StepExecutionStarted'", [id]);
		const startedSteps = started.map(r => (JSON.parse(r.payload) as { step_id: string }).step_id).sort();
		expect(startedSteps).toEqual(["gate", ...refs.map(r => r.step_id)].sort());

		// Claimed in batches: a statement per step would be STEPS statements.
		expect(claims.length).toBeGreaterThan(0);
		expect(claims.length).toBeLessThanOrEqual(STEPS / 10);
		expect(Math.max(...claims)).toBeGreaterThan(1);
	});
});
