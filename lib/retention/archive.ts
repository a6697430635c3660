import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * Archives of pruned runs: one gzipped JSON-lines file per batch, written under a temporary
 * name, flushed to disk and renamed, so a file named `*.jsonl.gz` is always whole and closed
 * (an object-storage sync can copy every such file as it appears).
 */
export function writeArchive(dir: string, lines: readonly unknown[], now: number): string {
	mkdirSync(dir, { recursive: true });
	const stamp = new Date(now).toISOString().replace(/[:.]/g, "-");
	const name = `executions-${stamp}-${randomBytes(4).toString("hex")}.jsonl.gz`;
	const final = path.join(dir, name);
	const partial = `${final}.partial`;
	const body = gzipSync(Buffer.from(lines.map(line => JSON.stringify(line)).join("\n") + "\n"));
	const fd = openSync(partial, "wx", 0o600);
	try {
		writeSync(fd, body);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	renameSync(partial, final);
	return final;
}
