/**
 * What every command shares: the server (--server, else COGNITIONOS_SERVER, else the one
 * signed in to last, else localhost:8100), the credentials (COGNITIONOS_API_KEY or
 * COGNITIONOS_TOKEN, else the stored session, whose refreshed tokens are stored back),
 * output (--json), and the exit codes.
 */
import { CognitionOS } from "../client";
import { ApiError, ConnectionError } from "../errors";
import { SessionStore, serverKey } from "./session-store";

export const EXIT = {
	ok: 0,
	/** The run failed, or the input (a file, an argument's value) is invalid. */
	failed: 1,
	/** The command line itself is wrong. */
	usage: 2,
	/** Not signed in, refused credentials, or the server cannot be reached. */
	auth: 3
} as const;

export const DEFAULT_SERVER = "http://localhost:8100";

/** A command line that cannot work (exit 2), beyond what the parser checks. */
export class UsageError extends Error {}

/** The input is invalid (exit 1): its message is printed as is. */
export class InvalidInput extends Error {}

export interface GlobalOptions {
	server?: string;
	json?: boolean;
}

export interface Io {
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	env: NodeJS.ProcessEnv;
}

export class Cli {
	readonly store: SessionStore;

	constructor(
		readonly io: Io,
		readonly opts: GlobalOptions
	) {
		this.store = new SessionStore();
	}

	get json(): boolean {
		return Boolean(this.opts.json);
	}

	get server(): string {
		const chosen = this.opts.server ?? this.io.env.COGNITIONOS_SERVER ?? this.store.read().server ?? DEFAULT_SERVER;
		try {
			const url = new URL(chosen);
			if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
		} catch {
			throw new UsageError(`--server must be an http(s) URL such as ${DEFAULT_SERVER}, got "${chosen}"`);
		}
		return serverKey(chosen);
	}

	/** A client for the server, with whatever credentials there are. */
	client(): CognitionOS {
		const server = this.server;
		const apiKey = this.io.env.COGNITIONOS_API_KEY;
		const token = this.io.env.COGNITIONOS_TOKEN;
		if (apiKey) return new CognitionOS({ baseUrl: server, apiKey });
		if (token) return new CognitionOS({ baseUrl: server, token });
		const stored = this.store.session(server);
		return new CognitionOS({
			baseUrl: server,
			token: stored?.access_token,
			refreshToken: stored?.refresh_token,
			// A refresh token is spent once: the new pair must be kept, or the next command is signed out.
			onSession: session => this.store.save(server, session ? { ...stored, ...session } : null)
		});
	}

	/** A client that has credentials, or exit 3 with how to get them. */
	signedInClient(): CognitionOS {
		const client = this.client();
		if (!client.http.signedIn) throw new ApiError(401, { error: "unauthorized", message: `Not signed in to ${this.server}: run \`cognitionos login --server ${this.server}\` (or set COGNITIONOS_API_KEY)` });
		return client;
	}

	out(text: string): void {
		this.io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
	}

	err(text: string): void {
		this.io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
	}

	printJson(value: unknown): void {
		this.out(JSON.stringify(value, null, 2));
	}
}

export function exitCodeOf(err: unknown): number {
	if (err instanceof UsageError) return EXIT.usage;
	if (err instanceof ConnectionError) return EXIT.auth;
	// A gateway that cannot reach its services is a connection problem too.
	if (err instanceof ApiError) return err.isAuth || err.status === 502 || err.status === 503 || err.status === 504 ? EXIT.auth : EXIT.failed;
	return EXIT.failed;
}

/** How an error reads on stderr: the message, then the API's code and trace id to find it in the logs. */
export function describeError(err: unknown): string {
	if (err instanceof ApiError) {
		const problems = err.problems.map(p => `\n  - ${p.path}: ${p.message}`).join("");
		return `error: ${err.message}${problems}\n  (${err.status} ${err.error}${err.trace_id ? `, trace_id ${err.trace_id}` : ""})`;
	}
	return `error: ${(err as Error)?.message ?? String(err)}`;
}

export function errorJson(err: unknown): Record<string, unknown> {
	if (err instanceof ApiError) return { status: err.status, error: err.error, message: err.message, detail: err.detail ?? null, trace_id: err.trace_id ?? null };
	if (err instanceof UsageError) return { error: "usage", message: err.message };
	if (err instanceof ConnectionError) return { error: "connection", message: err.message };
	return { error: "failed", message: (err as Error)?.message ?? String(err) };
}
