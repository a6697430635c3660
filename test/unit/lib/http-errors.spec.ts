import { Errors } from "moleculer";
import { AppError, insufficientStorage, RETRY_AFTER_SECONDS, serviceUnavailable, tooManyRequests, validationFailed } from "../../../lib/errors";
import { toErrorResponse } from "../../../lib/http-errors";

describe("toErrorResponse", () => {
	it("maps Moleculer's parameter validation to 422 with the fields", () => {
		const err = new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", [
			{ type: "required", field: "email", message: "The 'email' field is required.", actual: undefined }
		]);
		const r = toErrorResponse(err, "t1");
		expect(r.status).toBe(422);
		expect(r.body).toEqual({
			error: "validation_error",
			message: "The request is not valid",
			detail: [{ path: "email", message: "The 'email' field is required." }],
			trace_id: "t1"
		});
	});

	it("keeps a domain error's type, message and field problems", () => {
		const r = toErrorResponse(validationFailed("Workflow is not valid", [{ path: "steps[0].id", message: "is required" }]), "t");
		expect(r.status).toBe(422);
		expect(r.body.error).toBe("validation_error");
		expect(r.body.message).toBe("Workflow is not valid");
		expect(r.body.detail).toEqual([{ path: "steps[0].id", message: "is required" }]);
	});

	it("hides internal messages of 500s unless debugging", () => {
		const err = new Error('relation "users" does not exist');
		const r = toErrorResponse(err, "t");
		expect(r.status).toBe(500);
		expect(r.body).toEqual({ error: "internal_error", message: "Internal server error", trace_id: "t" });
		expect(toErrorResponse(err, "t", true).body.debug?.message).toContain("relation");
	});

	it("answers 503 naming the service when no node offers the action behind a route, with Retry-After", () => {
		const expected = {
			status: 503,
			headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
			body: { error: "service_unavailable", message: "The auth service is not available on any node right now; try again shortly", detail: { service: "auth" }, trace_id: "t" }
		};
		expect(toErrorResponse(new Errors.ServiceNotFoundError({ action: "auth.login" }), "t")).toEqual(expected);
		expect(toErrorResponse(new Errors.ServiceNotAvailableError({ action: "auth.login", nodeID: "n1" }), "t")).toEqual(expected);
	});

	it("answers a dependency that cannot serve with 503 naming it and Retry-After, and a full disk with 507", () => {
		expect(toErrorResponse(serviceUnavailable("database", "The database is not available right now; try again shortly"), "t")).toEqual({
			status: 503,
			headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
			body: { error: "service_unavailable", message: "The database is not available right now; try again shortly", detail: { service: "database" }, trace_id: "t" }
		});
		const full = toErrorResponse(insufficientStorage("The disk is full"), "t");
		expect(full).toMatchObject({ status: 507, body: { error: "insufficient_storage", message: "The disk is full" } });
		expect(Number(full.headers["Retry-After"])).toBeGreaterThan(0);
	});

	it("names body parser failures", () => {
		const tooLarge = Object.assign(new Error("request entity too large"), { status: 413, type: "entity.too.large" });
		expect(toErrorResponse(tooLarge, "t")).toMatchObject({ status: 413, body: { error: "payload_too_large" } });
		const badJson = Object.assign(new Error("Unexpected token } in JSON at position 9"), { status: 400, type: "entity.parse.failed" });
		expect(toErrorResponse(badJson, "t")).toMatchObject({ status: 400, body: { error: "invalid_body", detail: [{ path: "body" }] } });
		const withText = Object.assign(new Error("Unexpected token '}', ...\"[}\" is not valid JSON"), { status: 400, type: "entity.parse.failed", body: '{\n "steps": [}' });
		expect(toErrorResponse(withText, "t").body).toMatchObject({
			error: "invalid_body",
			message: "Malformed JSON at line 2, column 12: Unexpected token '}'",
			detail: [{ path: "body", message: "line 2, column 12: Unexpected token '}'" }]
		});
	});

	it("adds WWW-Authenticate to 401s and Retry-After to 429s", () => {
		expect(toErrorResponse(new AppError("bad token", 401, "invalid_token"), "t").headers).toEqual({
			"WWW-Authenticate": 'Bearer error="invalid_token"'
		});
		expect(toErrorResponse(new AppError("no token", 401, "unauthorized"), "t").headers["WWW-Authenticate"]).toBe("Bearer");
		const limited = toErrorResponse(tooManyRequests("Too many attempts", 30), "t");
		expect(limited.status).toBe(429);
		expect(limited.headers["Retry-After"]).toBe("30");
		expect(limited.body.detail).toEqual({ retry_after: 30 });
	});

	it("treats non-errors and out-of-range codes as 500", () => {
		expect(toErrorResponse("boom", "t").status).toBe(500);
		expect(toErrorResponse(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), "t").status).toBe(500);
	});
});
