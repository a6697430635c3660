import { Writable } from "node:stream";

export type LogLine = Record<string, unknown> & { level: string; msg: string };

/** A pino destination that keeps every JSON line, for assertions on what was logged. */
export class LogCapture extends Writable {
	readonly lines: LogLine[] = [];
	readonly raw: string[] = [];
	private partial = "";

	override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
		this.append(chunk.toString("utf8"));
		done();
	}

	append(text: string): void {
		const parts = (this.partial + text).split("\n");
		this.partial = parts.pop() ?? "";
		for (const line of parts) {
			if (!line.trim()) continue;
			this.raw.push(line);
			try {
				this.lines.push(JSON.parse(line) as LogLine);
			} catch {
				// Not JSON: kept in raw only.
			}
		}
	}

	/** pino calls this on its destination when flushing. */
	flushSync(): void {}

	text(): string {
		return this.raw.join("\n");
	}
}
