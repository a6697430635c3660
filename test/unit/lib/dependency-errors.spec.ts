import { dependencyError, isDatabaseUnavailable, isDiskFull } from "../../../lib/dependency-errors";
import { AppError } from "../../../lib/errors";

const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });
/** Sequelize wraps the driver's error in `parent` and `original`. */
const sequelizeWrapped = (inner: Error, name = "SequelizeDatabaseError") => Object.assign(new Error(inner.message), { name, parent: inner, original: inner });

describe("dependency errors", () => {
	it("knows a database that is down, restarting or holding locks too long", () => {
		for (const code of ["57P01", "57P03", "08006", "08001", "53300", "57014", "55P03", "25P03", "ECONNREFUSED", "ECONNRESET", "SQLITE_BUSY"]) {
			expect([code, isDatabaseUnavailable(pgError(code))]).toEqual([code, true]);
		}
		expect(isDatabaseUnavailable(sequelizeWrapped(pgError("57P01", "terminating connection due to administrator command")))).toBe(true);
		expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED"), { name: "SequelizeConnectionRefusedError" }))).toBe(true);
		expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
		// A refused dual-stack connect: an AggregateError with no message of its own.
		expect(isDatabaseUnavailable(Object.assign(new AggregateError([pgError("ECONNREFUSED"), pgError("ECONNREFUSED")]), { code: undefined }))).toBe(true);
	});

	it("leaves errors that are about the request alone", () => {
		for (const err of [pgError("23505", "duplicate key"), pgError("42P01", 'relation "x" does not exist'), new Error("boom"), sequelizeWrapped(pgError("22P02"))]) {
			expect(isDatabaseUnavailable(err)).toBe(false);
			expect(dependencyError(err)).toBeUndefined();
		}
	});

	it("knows a full disk, whoever reports it", () => {
		expect(isDiskFull(pgError("53100"))).toBe(true);
		expect(isDiskFull(pgError("SQLITE_FULL", "database or disk is full"))).toBe(true);
		expect(isDiskFull(sequelizeWrapped(pgError("SQLITE_FULL")))).toBe(true);
		expect(isDiskFull(pgError("ENOSPC"))).toBe(true);
	});

	it("turns them into 503 naming the database, or 507; an AppError passes as it is", () => {
		expect(dependencyError(pgError("57P03"))).toMatchObject({ code: 503, type: "service_unavailable", data: { service: "database" } });
		expect(dependencyError(pgError("SQLITE_FULL"))).toMatchObject({ code: 507, type: "insufficient_storage" });
		expect(dependencyError(new AppError("gone", 404, "not_found"))).toBeUndefined();
	});
});
