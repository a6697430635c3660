/**
 * Sessions the CLI keeps between commands: `$XDG_CONFIG_HOME/cognitionos/sessions.json`
 * (`~/.config/cognitionos/` when unset), one session per server and the default server.
 * The directory is 0700 and every file 0600: it holds refresh tokens.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

export interface StoredSession {
	email?: string;
	access_token: string;
	refresh_token?: string;
}

export interface SessionFile {
	/** The server commands talk to when no --server is given. */
	server?: string;
	sessions: Record<string, StoredSession>;
}

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
	const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir(), ".config");
	return path.join(base, "cognitionos");
}

/** `http://host:8100/` and `http://host:8100` are the same server. */
export const serverKey = (url: string) => url.replace(/\/+$/, "");

export class SessionStore {
	readonly file: string;

	constructor(readonly dir: string = configDir()) {
		this.file = path.join(dir, "sessions.json");
	}

	read(): SessionFile {
		try {
			const parsed = JSON.parse(readFileSync(this.file, "utf8")) as Partial<SessionFile>;
			return { server: typeof parsed.server === "string" ? parsed.server : undefined, sessions: parsed.sessions && typeof parsed.sessions === "object" ? parsed.sessions : {} };
		} catch {
			return { sessions: {} };
		}
	}

	session(server: string): StoredSession | undefined {
		return this.read().sessions[serverKey(server)];
	}

	save(server: string, session: StoredSession | null, opts: { makeDefault?: boolean } = {}): void {
		const data = this.read();
		const key = serverKey(server);
		if (session) data.sessions[key] = session;
		else delete data.sessions[key];
		if (opts.makeDefault) data.server = key;
		this.write(data);
	}

	private write(data: SessionFile): void {
		mkdirSync(this.dir, { recursive: true, mode: DIR_MODE });
		chmodSync(this.dir, DIR_MODE);
		// Written beside and renamed: a reader never sees half a file, and the mode is set before any token is in it.
		const tmp = `${this.file}.${process.pid}.tmp`;
		try {
			writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: FILE_MODE });
			chmodSync(tmp, FILE_MODE);
			renameSync(tmp, this.file);
		} finally {
			rmSync(tmp, { force: true });
		}
	}
}
