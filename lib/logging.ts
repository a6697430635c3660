import pino, { type DestinationStream, type Logger } from "pino";
import { currentRequestContext } from "./context";
import { redact, redactText } from "./redact";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace";

export interface LoggingOptions {
	level: LogLevel;
	base: Record<string, unknown>;
	/** Where lines go; stdout when absent. Tests pass a stream to read them. */
	destination?: DestinationStream;
}

/** One pino logger per process: JSON lines, ISO time, request and trace ids on every line. */
export function createRootLogger(opts: LoggingOptions): Logger {
	return pino(
		{
			level: opts.level,
			base: opts.base,
			messageKey: "msg",
			timestamp: pino.stdTimeFunctions.isoTime,
			formatters: { level: label => ({ level: label }) },
			mixin() {
				const ctx = currentRequestContext();
				return ctx ? { ...ctx } : {};
			}
		},
		opts.destination ?? pino.destination({ dest: 1, sync: false })
	);
}

/**
 * Turns a Moleculer-style call (`"message", extra, err`) into pino's `(object, message)`,
 * with secrets masked in both.
 */
export function toPinoArgs(args: unknown[]): [Record<string, unknown>, string] {
	const texts: string[] = [];
	const fields: Record<string, unknown> = {};
	const extras: unknown[] = [];
	for (const arg of args) {
		if (typeof arg === "string") texts.push(redactText(arg));
		else if (arg instanceof Error && !fields.err) fields.err = redact(arg);
		else if (arg !== null && typeof arg === "object" && !Array.isArray(arg) && texts.length === 0 && extras.length === 0)
			Object.assign(fields, redact(arg));
		else if (arg !== undefined) extras.push(typeof arg === "object" ? redact(arg) : arg);
	}
	if (extras.length) fields.data = extras.length === 1 ? extras[0] : extras;
	return [fields, texts.join(" ")];
}
