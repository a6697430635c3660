import pino, { type DestinationStream, type Logger } from "pino";
import { currentRequestContext } from "./context";
import { redact, redactText } from "./redact";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace";

/** Where a log line finds the ids of the request it belongs to. */
export type CorrelationSource = () => { request_id?: string; trace_id?: string; span_id?: string } | undefined;

export interface LoggingOptions {
	level: LogLevel;
	base: Record<string, unknown>;
	/** json (default): one JSON object per line; pretty: one readable line; auto: pretty when the lines go to a terminal. */
	format?: "auto" | "json" | "pretty";
	/** Request ids for each line; the request context of lib/context.ts when absent (tracing supplies its own). */
	correlation?: CorrelationSource;
	/** Where lines go; stdout when absent. Tests pass a stream to read them. */
	destination?: DestinationStream;
}

const fromRequestContext: CorrelationSource = currentRequestContext;

/** One pino logger per process: JSON lines, ISO time, request and trace ids on every line. */
export function createRootLogger(opts: LoggingOptions): Logger {
	const correlation = opts.correlation ?? fromRequestContext;
	let destination = opts.destination ?? pino.destination({ dest: 1, sync: false });
	const format = opts.format === "auto" ? (!opts.destination && process.stdout.isTTY ? "pretty" : "json") : opts.format;
	if (format === "pretty") destination = new PrettyDestination(destination, !opts.destination && Boolean(process.stdout.isTTY));
	return pino(
		{
			level: opts.level,
			base: opts.base,
			messageKey: "msg",
			timestamp: pino.stdTimeFunctions.isoTime,
			formatters: { level: label => ({ level: label }) },
			mixin() {
				const ids = correlation();
				return ids ? { ...ids } : {};
			}
		},
		destination
	);
}

const LEVEL_COLORS: Record<string, string> = { fatal: "35", error: "31", warn: "33", info: "32", debug: "36", trace: "90" };
/** Fields every line has; the pretty line shows them in its prefix instead. */
const PREFIX_FIELDS = new Set(["time", "level", "msg", "service", "node_id", "service_name", "version", "request_id", "trace_id", "span_id"]);

/**
 * One JSON line as a human reads it: `12:00:01.123 INFO  [auth] User signed in user_id=…
 * (req 1f2e…)`. Secrets were masked before the line was written.
 */
export function prettyLine(json: string, colors = false): string {
	let line: Record<string, unknown>;
	try {
		line = JSON.parse(json) as Record<string, unknown>;
	} catch {
		return json.endsWith("\n") ? json : `${json}\n`;
	}
	const level = String(line.level ?? "info");
	const time = typeof line.time === "string" ? line.time.slice(11, 23) : "";
	const paint = (code: string, text: string) => (colors ? `\u001b[${code}m${text}\u001b[0m` : text);
	const extras = Object.entries(line)
		.filter(([k]) => !PREFIX_FIELDS.has(k))
		.map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
	const ids = line.request_id ? ` (req ${String(line.request_id)}${line.trace_id ? ` trace ${String(line.trace_id)}` : ""})` : "";
	const service = line.service ? `[${String(line.service)}] ` : "";
	return `${time} ${paint(LEVEL_COLORS[level] ?? "0", level.toUpperCase().padEnd(5))} ${service}${String(line.msg ?? "")}${extras.length ? ` ${extras.join(" ")}` : ""}${paint("90", ids)}\n`;
}

/** A pino destination that rewrites each JSON line with `prettyLine` before passing it on. */
class PrettyDestination implements DestinationStream {
	constructor(
		private readonly inner: DestinationStream,
		private readonly colors: boolean
	) {}

	write(chunk: string): void {
		for (const json of chunk.split("\n")) if (json) this.inner.write(prettyLine(json, this.colors));
	}

	flush(cb?: (err?: Error) => void): void {
		const inner = this.inner as { flush?: (cb?: (err?: Error) => void) => void };
		if (inner.flush) inner.flush(cb);
		else cb?.();
	}

	flushSync(): void {
		(this.inner as { flushSync?: () => void }).flushSync?.();
	}
}

// eslint-disable-next-line no-control-regex -- ANSI sequences begin with the ESC control character
const ANSI_SEQUENCE = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * Turns a Moleculer-style call (`"message", extra, err`) into pino's `(object, message)`,
 * with secrets masked in both.
 */
export function toPinoArgs(args: unknown[]): [Record<string, unknown>, string] {
	const texts: string[] = [];
	const fields: Record<string, unknown> = {};
	const extras: unknown[] = [];
	for (const arg of args) {
		// Libraries colour their messages for a terminal (moleculer-web's request lines): a JSON line carries the text only.
		if (typeof arg === "string") texts.push(redactText(arg).replace(ANSI_SEQUENCE, ""));
		else if (arg instanceof Error && !fields.err) fields.err = redact(arg);
		else if (arg !== null && typeof arg === "object" && !Array.isArray(arg) && texts.length === 0 && extras.length === 0)
			Object.assign(fields, redact(arg));
		else if (arg !== undefined) extras.push(typeof arg === "object" ? redact(arg) : arg);
	}
	if (extras.length) fields.data = extras.length === 1 ? extras[0] : extras;
	return [fields, texts.join(" ")];
}
