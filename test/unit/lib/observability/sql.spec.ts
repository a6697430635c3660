import { classifyStatement, sanitizeStatement, stripLogPrefix } from "../../../../lib/observability/sql";

describe("SQL statements for metrics and spans", () => {
	it.each([
		['SELECT "id", "email" FROM "users" AS "User" WHERE "User"."id" = \'x\';', "select", "users"],
		["INSERT INTO `refresh_tokens` (`jti`) VALUES ($1);", "insert", "refresh_tokens"],
		['UPDATE "api_keys" SET "last_used_at"=$1 WHERE "id" = $2', "update", "api_keys"],
		['DELETE FROM "users" WHERE "id" = 1', "delete", "users"],
		["WITH x AS (SELECT 1) SELECT * FROM x", "select", "x"],
		["SELECT 1", "select", "none"],
		["BEGIN DEFERRED TRANSACTION;", "begin", "none"],
		["START TRANSACTION;", "begin", "none"],
		["COMMIT;", "commit", "none"],
		["ROLLBACK;", "rollback", "none"],
		["CREATE TABLE IF NOT EXISTS `users` (`id` UUID);", "ddl", "none"],
		["PRAGMA journal_mode=WAL;", "other", "none"]
	])("%s → %s on %s", (sql, operation, table) => {
		expect(classifyStatement(sql)).toEqual({ operation, table });
	});

	it("bounds table names: anything that cannot be one of ours is none", () => {
		expect(classifyStatement(`SELECT * FROM ${"t".repeat(100)}`).table).toBe("none");
	});

	it("strips Sequelize's log prefix", () => {
		expect(stripLogPrefix("Executed (default): SELECT 1")).toBe("SELECT 1");
		expect(stripLogPrefix("Executing (4f2c-11): COMMIT;")).toBe("COMMIT;");
	});

	it("keeps values out of span statements", () => {
		const sql = "SELECT * FROM \"users\" WHERE \"email\" = 'ada@example.com' AND \"n\" = 42 AND \"s\" = 'it''s'";
		const clean = sanitizeStatement(sql);
		expect(clean).toBe('SELECT * FROM "users" WHERE "email" = ? AND "n" = ? AND "s" = ?');
	});
});
