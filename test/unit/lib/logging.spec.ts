import { spawnSync } from "node:child_process";
import path from "node:path";
import { createRootLogger, prettyLine, toPinoArgs } from "../../../lib/logging";
import { requestContext } from "../../../lib/context";
import { LogCapture } from "../../support/logs";

describe("log output", () => {
	it("writes JSON lines with the request context's ids", () => {
		const capture = new LogCapture();
		const logger = createRootLogger({ level: "info", base: { node_id: "n1" }, destination: capture });
		requestContext.run({ request_id: "r1", trace_id: "a".repeat(32) }, () => logger.info({ user_id: "u1" }, "Hello"));
		expect(capture.lines[0]).toMatchObject({ level: "info", msg: "Hello", node_id: "n1", request_id: "r1", trace_id: "a".repeat(32), user_id: "u1" });
	});

	it("takes the ids from another source when given one (tracing)", () => {
		const capture = new LogCapture();
		const logger = createRootLogger({ level: "info", base: {}, destination: capture, correlation: () => ({ trace_id: "t", span_id: "s" }) });
		logger.info("x");
		expect(capture.lines[0]).toMatchObject({ trace_id: "t", span_id: "s" });
	});

	it("writes one readable line per entry when the format is pretty", () => {
		const capture = new LogCapture();
		const logger = createRootLogger({ level: "info", base: { service: "auth" }, format: "pretty", destination: capture });
		requestContext.run({ request_id: "r9", trace_id: "b".repeat(32) }, () => logger.warn({ client_ip: "10.0.0.1" }, "Sign-in failed"));
		expect(capture.lines).toEqual([]);
		expect(capture.raw).toHaveLength(1);
		expect(capture.raw[0]).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} WARN {2}\[auth\] Sign-in failed client_ip=10\.0\.0\.1 \(req r9 trace b{32}\)$/);
	});

	it("colours the level only for a terminal, and passes through what is not JSON", () => {
		const line = JSON.stringify({ level: "error", time: "2026-01-01T10:00:00.000Z", msg: "Boom", err: { message: "x" } });
		expect(prettyLine(line, true)).toContain("\u001b[31mERROR\u001b[0m");
		expect(prettyLine(line)).toBe('10:00:00.000 ERROR Boom err={"message":"x"}\n');
		expect(prettyLine("plain text")).toBe("plain text\n");
	});

	it("auto: JSON when the lines go to a stream that is not a terminal", () => {
		const capture = new LogCapture();
		createRootLogger({ level: "info", base: {}, format: "auto", destination: capture }).info("Hello");
		expect(capture.lines[0]).toMatchObject({ msg: "Hello" });
		// The server with the default format, its stdout a pipe: JSON lines.
		const root = path.resolve(__dirname, "../../..");
		const out = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(path.join(root, "dist/lib/logging.js"))}).createRootLogger({ level: "info", base: {}, format: "auto" }).info("piped")`]);
		expect(JSON.parse(out.stdout.toString().trim())).toMatchObject({ msg: "piped" });
	});

	it("keeps ANSI colour codes of library messages out of JSON lines", () => {
		const [, msg] = toPinoArgs(["<= \u001b[32m\u001b[1m200\u001b[22m\u001b[39m GET \u001b[1m/api/v3/x\u001b[22m"]);
		expect(msg).toBe("<= 200 GET /api/v3/x");
	});
});

