/** Plain-text output of the operator commands: aligned columns that read in a terminal and in a pipe. */

type Cell = string | number | boolean | null | undefined;

const text = (v: Cell) => (v === null || v === undefined || v === "" ? "-" : String(v));

/** Left-aligned columns under a header, separated by two spaces. */
export function table(columns: string[], rows: Cell[][]): string {
	const cells = rows.map(r => r.map(text));
	const widths = columns.map((c, i) => Math.max(c.length, ...cells.map(r => r[i]?.length ?? 0)));
	const line = (r: string[]) =>
		r
			.map((v, i) => v.padEnd(widths[i]))
			.join("  ")
			.trimEnd();
	return [line(columns), line(widths.map(w => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** An ISO time or epoch ms as `2026-11-26 07:31:02` (UTC), or `-`. */
export function when(value: string | number | null | undefined): string {
	if (value === null || value === undefined || value === "") return "-";
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace("T", " ").slice(0, 19);
}

/** How long ago `ms` was, in the largest whole unit. */
export function ago(ms: number, now = Date.now()): string {
	const s = Math.max(0, Math.round((now - ms) / 1000));
	if (s < 120) return `${s} s ago`;
	if (s < 7200) return `${Math.round(s / 60)} min ago`;
	return `${Math.round(s / 3600)} h ago`;
}

/** Cuts `value` (JSON for objects) to `max` characters. */
export function short(value: unknown, max = 60): string {
	if (value === null || value === undefined) return "-";
	const s = typeof value === "string" ? value : JSON.stringify(value);
	return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
