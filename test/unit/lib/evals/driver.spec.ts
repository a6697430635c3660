import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../../../../lib/config";
import { migrate, openDatabase, type Database } from "../../../../lib/db";
import { EvalDriver, type DriverOptions, type RunState } from "../../../../lib/evals/driver";
import { EvalStore } from "../../../../lib/evals/store";
import { MIGRATIONS } from "../../../../migrations";

let dir: string;
let db: Database;
let store: EvalStore;

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), "cos-evals-"));
	db = await openDatabase(loadConfig({ DATA_DIR: dir }));
	await migrate(db, MIGRATIONS);
	store = new EvalStore(db);
});
afterAll(async () => {
	await db.close();
	rmSync(dir, { recursive: true, force: true });
});

const items = [1, 2, 3].map(n => ({ inputs: { n }, expected: { n } }));

function driver(leaseOwner: string, over: Partial<DriverOptions> = {}): { d: EvalDriver; runs: Map<string, RunState>; starts: string[] } {
	const runs = new Map<string, RunState>();
	const starts: string[] = [];
	const d = new EvalDriver({
		store,
		leaseOwner,
		leaseMs: 60_000,
		concurrency: 2,
		scoreTimeoutMs: 5_000,
		userCode: { jsonata: async () => null },
		judge: async () => '{"score": 1}',
		start: async (_e, _inputs, key) => {
			starts.push(key);
			const id = `run-${key}`;
			runs.set(id, { status: "running", outputs: null, error: null });
			return id;
		},
		run: async id => runs.get(id) ?? null,
		...over
	});
	return { d, runs, starts };
}

const finishAll = (runs: Map<string, RunState>, outputs: (id: string) => unknown) => {
	for (const [id, run] of runs) if (run.status === "running") runs.set(id, { status: "completed", outputs: outputs(id), error: null });
};

describe("EvalDriver", () => {
	it("keeps at most `concurrency` runs unscored, scores each that ended, and completes with the means", async () => {
		const e = await store.createEval({ owner_id: "u1", workflow_id: "w", workflow_version: "1.0.0", dataset_id: "d", scorers: [{ type: "exact" }] }, items);
		const { d, runs, starts } = driver("node-a");
		await d.advance(e.id);
		expect(starts).toEqual([`eval:${e.id}:0`, `eval:${e.id}:1`]);
		await d.advance(e.id);
		expect(starts).toHaveLength(2);
		// The first two end: one right, one wrong; the third starts.
		finishAll(runs, id => (id.endsWith(":0") ? { n: 1 } : { n: 0 }));
		await d.advance(e.id);
		expect(starts).toHaveLength(3);
		finishAll(runs, () => ({ n: 3 }));
		await d.advance(e.id);
		const done = await store.eval(e.id);
		expect(done).toMatchObject({ status: "completed", aggregates: { exact: 2 / 3 } });
	});

	it("leaves an item whose start can wait (a full queue) for the next pass instead of scoring it 0", async () => {
		const e = await store.createEval({ owner_id: "u1", workflow_id: "w", workflow_version: "1.0.0", dataset_id: "d", scorers: [{ type: "exact" }] }, items.slice(0, 1));
		let refuse = true;
		const { d } = driver("node-b", {
			start: async (_e, _inputs, key) => {
				if (refuse) throw Object.assign(new Error("queue full"), { later: true });
				return `run-${key}`;
			},
			run: async () => ({ status: "completed", outputs: { n: 1 }, error: null })
		});
		await d.advance(e.id);
		expect((await store.items(e.id))[0]).toMatchObject({ execution_id: null, scores: null });
		refuse = false;
		await d.advance(e.id);
		await d.advance(e.id);
		expect(await store.eval(e.id)).toMatchObject({ status: "completed", aggregates: { exact: 1 } });
	});

	it("lets only the node holding an eval's lease drive it", async () => {
		const e = await store.createEval({ owner_id: "u1", workflow_id: "w", workflow_version: "1.0.0", dataset_id: "d", scorers: [{ type: "exact" }] }, items);
		const a = driver("node-c");
		const b = driver("node-d");
		await a.d.advance(e.id);
		await b.d.advance(e.id);
		expect(a.starts).toHaveLength(2);
		expect(b.starts).toEqual([]);
		expect(await store.runnable("node-d")).not.toContain(e.id);
	});

	it("fails the eval when no item can run", async () => {
		const e = await store.createEval({ owner_id: "u1", workflow_id: "w", workflow_version: "1.0.0", dataset_id: "d", scorers: [{ type: "exact" }] }, items);
		const { d } = driver("node-e", { start: async () => Promise.reject(Object.assign(new Error("Workflow w version 1.0.0 not found"), { final: true })) });
		await d.advance(e.id);
		expect(await store.eval(e.id)).toMatchObject({ status: "failed", error: "Workflow w version 1.0.0 not found" });
	});
});
