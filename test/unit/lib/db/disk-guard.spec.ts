import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DiskGuard, statfsFreeSpace } from "../../../../lib/db/disk-guard";

describe("DiskGuard", () => {
	const lines: string[] = [];
	const log = { warn: (_: object, msg: string) => lines.push(msg), info: (_: object, msg: string) => lines.push(msg) };

	it("refuses new work with 507 while free space is under the limit, and takes it again once space returns", async () => {
		let free = 10 * 1024 ** 2;
		const guard = new DiskGuard({ dir: "/data", minFreeBytes: 64 * 1024 ** 2, freeSpace: async () => free, log });
		expect(await guard.check()).toBe("low");
		expect(() => guard.assertRoom()).toThrow(expect.objectContaining({ code: 507, type: "insufficient_storage" }));
		free = 100 * 1024 ** 2;
		expect(await guard.check()).toBe("ok");
		expect(() => guard.assertRoom()).not.toThrow();
		expect(lines).toEqual([
			"The data directory is nearly full: new runs and workflow versions are refused until space is freed",
			"The data directory has room again: taking new work"
		]);
	});

	it("refuses at once when a write failed for want of space, until the next reading", async () => {
		const guard = new DiskGuard({ dir: "/data", minFreeBytes: 1, freeSpace: async () => 1024 ** 3, log });
		await guard.check();
		guard.writeFailed();
		expect(guard.status).toBe("low");
		expect(await guard.check()).toBe("ok");
	});

	it("keeps its last state when the reading fails", async () => {
		const guard = new DiskGuard({ dir: "/data", minFreeBytes: 1, freeSpace: async () => Promise.reject(new Error("EIO")), log });
		expect(await guard.check()).toBe("ok");
	});

	it("reads the real free space of a directory", async () => {
		const dir = mkdtempSync(path.join(tmpdir(), "cos-disk-"));
		try {
			expect(await statfsFreeSpace(dir)).toBeGreaterThan(0);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
