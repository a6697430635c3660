import { spawnSync } from "node:child_process";

/**
 * Debian's `promtool` (package `prometheus`), which .ci/run installs. Without it the
 * checks are skipped with a note, except with CI=true, where its absence is a failure.
 */
export function promtoolAvailable(): boolean {
	const found = spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0;
	if (!found && process.env.CI === "true") throw new Error("CI=true and promtool is not installed (apt-get install prometheus; .ci/run does)");
	if (!found) process.stderr.write("\n[tests] promtool is not installed: its checks are skipped (apt-get install prometheus)\n");
	return found;
}

/** Runs promtool; resolves with its exit code and everything it printed. */
export function promtool(args: string[], stdin?: string): { code: number | null; output: string } {
	const run = spawnSync("promtool", args, { input: stdin, encoding: "utf8" });
	return { code: run.status, output: `${run.stdout}${run.stderr}` };
}
