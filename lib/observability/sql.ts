/**
 * What a SQL statement is, for metric labels and span names: its operation and main table.
 * Labels must stay bounded, so anything unexpected becomes "other".
 */
export interface StatementKind {
	operation: "select" | "insert" | "update" | "delete" | "begin" | "commit" | "rollback" | "savepoint" | "ddl" | "other";
	table: string;
}

const OPERATIONS: Record<string, StatementKind["operation"]> = {
	select: "select",
	with: "select",
	insert: "insert",
	update: "update",
	delete: "delete",
	begin: "begin",
	start: "begin",
	commit: "commit",
	rollback: "rollback",
	savepoint: "savepoint",
	release: "savepoint",
	create: "ddl",
	alter: "ddl",
	drop: "ddl"
};

/** Sequelize's log prefix: `Executed (default): ` or `Executing (<uuid>): `. */
const LOG_PREFIX = /^Execut(?:ed|ing) \([^)]*\): /;
const FIRST_WORD = /^\s*([A-Za-z]+)/;
const TABLE_AFTER = {
	select: /\bFROM\s+[`"[]?([A-Za-z_][\w$]*)/i,
	insert: /\bINTO\s+[`"[]?([A-Za-z_][\w$]*)/i,
	update: /^\s*UPDATE\s+[`"[]?([A-Za-z_][\w$]*)/i,
	delete: /\bFROM\s+[`"[]?([A-Za-z_][\w$]*)/i
} as const;
/** Table names are identifiers of our own schema; anything longer is not one of ours. */
const MAX_TABLE_NAME = 63;

export function stripLogPrefix(logged: string): string {
	return logged.replace(LOG_PREFIX, "");
}

export function classifyStatement(sql: string): StatementKind {
	const word = FIRST_WORD.exec(sql)?.[1]?.toLowerCase() ?? "";
	const operation = OPERATIONS[word] ?? "other";
	let table = "";
	if (operation === "select" || operation === "insert" || operation === "update" || operation === "delete") {
		const m = TABLE_AFTER[operation].exec(sql);
		if (m && m[1].length <= MAX_TABLE_NAME) table = m[1].toLowerCase();
	}
	return { operation, table: table || "none" };
}

/** The statement with its literal values replaced by `?`: span attributes must not carry data (emails, hashes). */
export function sanitizeStatement(sql: string): string {
	return sql
		.replace(/'(?:[^']|'')*'/g, "?")
		.replace(/\b\d+(?:\.\d+)?\b/g, "?")
		.slice(0, 2000);
}
