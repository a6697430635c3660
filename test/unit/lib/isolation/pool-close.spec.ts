import { WorkerPool } from "../../../../lib/isolation/pool";

describe("the isolation worker pool's close", () => {
	it("returns even when workerpool never reports its workers gone: a node's stop is bounded", async () => {
		const pool = new WorkerPool({ workers: 1, memoryBytes: 64 * 1024 ** 2, closeWaitMs: 50 });
		let asked = 0;
		// workerpool's own pool, whose termination here never settles.
		(pool as unknown as { pool: { terminate(force: boolean): Promise<void> } }).pool.terminate = () => {
			asked++;
			return new Promise<void>(() => undefined);
		};
		await pool.close();
		expect(asked).toBe(1);
		// Closed: a task is refused, not queued for a worker that will never come.
		await expect(pool.run({ kind: "jsonata", expression: "1", input: {} } as never, new AbortController().signal)).rejects.toThrow(/closed/);
	});
});
