import { Loggers } from "moleculer";
import type { Logger } from "pino";
import { toPinoArgs, type LogLevel } from "../lib/logging";

/** Moleculer's levels, most severe first. */
const LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace"];

interface LoggerBindings {
	nodeID: string;
	ns: string;
	mod: string;
	svc?: string;
}

/**
 * Moleculer's loggers write through one pino root: JSON lines with node, service,
 * request and trace ids, and secrets masked.
 */
export class PinoJsonLogger extends Loggers.Base<Loggers.Base.LoggerOptions> {
	constructor(
		private readonly root: Logger,
		level: LogLevel
	) {
		super({ level });
	}

	override getLogHandler(bindings: LoggerBindings) {
		const level = this.getLogLevel(bindings.mod);
		if (!level) return null;
		const child = this.root.child({ node_id: bindings.nodeID, service: bindings.svc ?? bindings.mod }, { level });
		const enabled = LEVELS.indexOf(level as LogLevel);
		return (type: LogLevel, args: unknown[]) => {
			// Moleculer logs every local call and event at debug: below the level, skip the masking (a deep copy of each argument) pino would throw away.
			if (LEVELS.indexOf(type) > enabled) return;
			const [fields, msg] = toPinoArgs(args);
			child[type](fields, msg);
		};
	}
}
