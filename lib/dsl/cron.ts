/**
 * Checks a schedule: five cron fields (minute hour day-of-month month day-of-week) with
 * `*`, numbers, names (jan–dec, sun–sat), ranges `a-b`, steps `/n` and lists `,`, or one
 * of `@yearly @annually @monthly @weekly @daily @midnight @hourly`.
 */

const MACROS = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

interface CronField {
	name: string;
	min: number;
	max: number;
	names?: string[];
	namesFrom?: number;
}

const FIELDS: CronField[] = [
	{ name: "minute", min: 0, max: 59 },
	{ name: "hour", min: 0, max: 23 },
	{ name: "day of month", min: 1, max: 31 },
	{ name: "month", min: 1, max: 12, names: MONTHS, namesFrom: 1 },
	// 7 is Sunday too, as in most crons.
	{ name: "day of week", min: 0, max: 7, names: DAYS, namesFrom: 0 }
];

/** Why a schedule is not a cron expression, or null when it is one. */
export function cronProblem(expression: string): string | null {
	const text = expression.trim();
	if (text.startsWith("@")) return MACROS.has(text) ? null : `"${text}" is not one of ${[...MACROS].join(", ")}`;
	const parts = text.split(/\s+/);
	if (parts.length !== 5) return `needs 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`;
	for (let i = 0; i < 5; i++) {
		const problem = fieldProblem(parts[i], FIELDS[i]);
		if (problem) return `${FIELDS[i].name} "${parts[i]}": ${problem}`;
	}
	return null;
}

function fieldProblem(text: string, field: CronField): string | null {
	for (const item of text.split(",")) {
		const [range, step, extra] = item.split("/");
		if (extra !== undefined) return "has more than one /";
		if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step "${step}" is not a positive number`;
		if (range === "*") continue;
		const bounds = range.split("-");
		if (bounds.length > 2) return `"${range}" is not a value or a range`;
		const values = bounds.map(b => valueOf(b, field));
		if (values.some(v => v === null)) return `"${range}" is not a value from ${field.min} to ${field.max}${field.names ? " or a name" : ""}`;
		if (values.length === 2 && values[0]! > values[1]!) return `range "${range}" runs backwards`;
	}
	return null;
}

function valueOf(text: string, field: CronField): number | null {
	const index = field.names?.indexOf(text.toLowerCase()) ?? -1;
	if (index >= 0) return index + (field.namesFrom ?? 0);
	if (!/^\d+$/.test(text)) return null;
	const n = Number(text);
	return n >= field.min && n <= field.max ? n : null;
}

/** Why a time zone is not an IANA zone this runtime knows (`Europe/Berlin`, `UTC`), or null when it is one. */
export function timezoneProblem(zone: string): string | null {
	if (!zone.trim() || zone.length > 64) return "must be an IANA time zone such as Europe/Berlin";
	try {
		new Intl.DateTimeFormat("en-US", { timeZone: zone });
		return null;
	} catch {
		return `"${zone}" is not an IANA time zone (such as Europe/Berlin, America/New_York, UTC)`;
	}
}
