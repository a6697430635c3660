import type { SqlRunner } from "./database";

/**
 * A WHERE clause built from optional filters: `add("status = ?", value)` appends the
 * condition with the value bound (`?` becomes its `$n`); filters left undefined add nothing.
 */
export class Filter {
	private readonly conditions: string[] = [];
	readonly bind: unknown[] = [];

	add(condition: string, value: unknown): this {
		if (value === undefined || value === null || value === "") return this;
		this.bind.push(value);
		this.conditions.push(condition.replace("?", `$${this.bind.length}`));
		return this;
	}

	get where(): string {
		return this.conditions.length ? `WHERE ${this.conditions.join(" AND ")}` : "";
	}
}

/** `%text%` for LIKE, with LIKE's own wildcards escaped (use with `ESCAPE '\\'`). */
export function containing(text: string): string {
	return `%${text.replace(/[%_\\]/g, c => `\\${c}`)}%`;
}

/** One page of `table` under `filter`, and how many rows match in all. */
export async function selectPage<R>(
	sql: SqlRunner,
	table: string,
	filter: Filter,
	orderBy: string,
	page: { pageSize: number; offset: number }
): Promise<{ rows: R[]; total: number }> {
	const [count] = await sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} ${filter.where}`, filter.bind);
	const rows = await sql.all<R>(
		`SELECT * FROM ${table} ${filter.where} ORDER BY ${orderBy} LIMIT ${Math.floor(page.pageSize)} OFFSET ${Math.floor(page.offset)}`,
		filter.bind
	);
	return { rows, total: Number(count.n) };
}
