import { statfs } from "node:fs/promises";
import { insufficientStorage } from "../errors";

/** Free bytes for an unprivileged writer on the file system holding `dir`. */
export type FreeSpace = (dir: string) => Promise<number>;

export const statfsFreeSpace: FreeSpace = async dir => {
	const s = await statfs(dir);
	return s.bavail * s.bsize;
};

export interface DiskGuardOptions {
	/** The directory the database lives in. */
	dir: string;
	/** Below this many free bytes new work is refused; keep it above what a checkpoint needs (the WAL's bound and then some). */
	minFreeBytes: number;
	/** How free space is read; tests pass low readings here instead of filling a disk. */
	freeSpace?: FreeSpace;
	log: { warn(fields: object, msg: string): void; info(fields: object, msg: string): void };
}

/**
 * Keeps an embedded node from writing its disk full: while free space is under the limit
 * (or a write just failed for want of it) new work is refused with 507, so what is
 * already running can still commit and SQLite can still checkpoint; once space returns,
 * work is taken again. One reading per `check()`.
 */
export class DiskGuard {
	private low = false;
	private freeBytes: number | null = null;
	private readonly freeSpace: FreeSpace;

	constructor(private readonly opts: DiskGuardOptions) {
		this.freeSpace = opts.freeSpace ?? statfsFreeSpace;
	}

	get status(): "ok" | "low" {
		return this.low ? "low" : "ok";
	}

	/** Reads the free space and updates the state; a failed reading keeps the last state. */
	async check(): Promise<"ok" | "low"> {
		try {
			this.freeBytes = await this.freeSpace(this.opts.dir);
		} catch (err) {
			this.opts.log.warn({ err, dir: this.opts.dir }, "Could not read the data directory's free space");
			return this.status;
		}
		this.set(this.freeBytes < this.opts.minFreeBytes);
		return this.status;
	}

	/** A write failed for want of space: refuse new work now, not at the next reading. */
	writeFailed(): void {
		this.set(true);
	}

	/** Throws 507 while space is low. */
	assertRoom(): void {
		if (this.low) throw insufficientStorage("The server's disk is nearly full; it takes no new work until space is freed (runs in flight go on)");
	}

	private set(low: boolean): void {
		if (low === this.low) return;
		this.low = low;
		const fields = { dir: this.opts.dir, free_bytes: this.freeBytes, min_free_bytes: this.opts.minFreeBytes };
		if (low) this.opts.log.warn(fields, "The data directory is nearly full: new runs and workflow versions are refused until space is freed");
		else this.opts.log.info(fields, "The data directory has room again: taking new work");
	}
}
