/**
 * HTTP to one CognitionOS server: credentials on every request, the access token refreshed
 * before it expires (and once more on a 401), and every error answer turned into an
 * `ApiError`. Uses the platform's `fetch` (Node 22, browsers), or the one given.
 */
import { ApiError, ConnectionError } from "./errors";
import type { TokenPair } from "./types";

/** The tokens of a signed-in session, as the client holds them. */
export interface Session {
	access_token: string;
	refresh_token?: string;
}

export interface HttpOptions {
	baseUrl: string;
	token?: string;
	refreshToken?: string;
	apiKey?: string;
	fetch?: typeof fetch;
	/** Called whenever the tokens change (login, refresh, logout): store them to keep the session. */
	onSession?: (session: Session | null) => void;
	/** Longest time one request may take (ms). */
	timeoutMs?: number;
}

export interface RequestOptions {
	query?: Record<string, unknown>;
	/** A JSON body. */
	json?: unknown;
	/** A text body with its media type (e.g. a YAML workflow). */
	text?: { body: string; contentType: string };
	headers?: Record<string, string>;
	/** No credentials (login, register, refresh). */
	anonymous?: boolean;
}

export interface Answer<T> {
	status: number;
	body: T;
	headers: Headers;
}

// A request that takes longer than this is abandoned (ms); runs are followed by polling or the stream, never one long request.
const DEFAULT_TIMEOUT = 30_000;
// Refresh an access token this long before it expires (ms), so a request never carries one that lapses on the way.
const REFRESH_MARGIN = 30_000;

/** Seconds-since-epoch expiry of a JWT, or undefined when it is not one. */
function expiryOf(token: string): number | undefined {
	const payload = token.split(".")[1];
	if (!payload) return undefined;
	try {
		const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
		return typeof claims.exp === "number" ? claims.exp : undefined;
	} catch {
		return undefined;
	}
}

export class Http {
	readonly baseUrl: string;
	private session: Session | null;
	private readonly apiKey?: string;
	private readonly fetchFn: typeof fetch;
	private readonly timeoutMs: number;
	private readonly onSession?: (session: Session | null) => void;
	/** The refresh in flight: concurrent requests share it (a refresh token is spent once). */
	private refreshing: Promise<void> | null = null;

	constructor(opts: HttpOptions) {
		if (!opts.baseUrl) throw new TypeError("baseUrl is required, e.g. http://localhost:8100");
		this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
		this.session = opts.token ? { access_token: opts.token, refresh_token: opts.refreshToken } : null;
		this.apiKey = opts.apiKey;
		this.fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
		this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT;
		this.onSession = opts.onSession;
	}

	get signedIn(): boolean {
		return Boolean(this.session || this.apiKey);
	}

	setSession(session: Session | null): void {
		this.session = session;
		this.onSession?.(session);
	}

	/** A credential for the WebSocket's `?token=`: a fresh access token, or the API key. */
	async socketCredential(): Promise<string | undefined> {
		if (this.session) {
			await this.refreshIfDue();
			return this.session?.access_token;
		}
		return this.apiKey;
	}

	async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Answer<T>> {
		if (!opts.anonymous) await this.refreshIfDue();
		let answer = await this.send(method, path, opts);
		if (answer.status === 401 && !opts.anonymous && this.session?.refresh_token) {
			// The token was revoked or expired early (clock skew): refresh once and try again.
			await this.refresh();
			answer = await this.send(method, path, opts);
		}
		return this.decode<T>(answer);
	}

	/** Spends the refresh token for a new pair; a refresh already in flight is shared. */
	refresh(): Promise<void> {
		this.refreshing ??= (async () => {
			try {
				const refreshToken = this.session?.refresh_token;
				if (!refreshToken) throw new ApiError(401, { error: "unauthorized", message: "No refresh token: sign in again" });
				const answer = await this.decode<TokenPair>(await this.send("POST", "/api/v3/auth/refresh", { json: { refresh_token: refreshToken }, anonymous: true }));
				this.setSession({ access_token: answer.body.access_token, refresh_token: answer.body.refresh_token });
			} finally {
				this.refreshing = null;
			}
		})();
		return this.refreshing;
	}

	private async refreshIfDue(): Promise<void> {
		if (this.refreshing) return this.refreshing;
		const s = this.session;
		if (!s?.refresh_token) return;
		const exp = expiryOf(s.access_token);
		if (exp !== undefined && exp * 1000 - Date.now() < REFRESH_MARGIN) await this.refresh();
	}

	private async send(method: string, path: string, opts: RequestOptions): Promise<Response> {
		const url = new URL(this.baseUrl + path);
		for (const [name, value] of Object.entries(opts.query ?? {})) if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
		const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
		let body: string | undefined;
		if (opts.json !== undefined) {
			headers["Content-Type"] = "application/json";
			body = JSON.stringify(opts.json);
		} else if (opts.text) {
			headers["Content-Type"] = opts.text.contentType;
			body = opts.text.body;
		}
		if (!opts.anonymous) {
			if (this.session) headers.Authorization = `Bearer ${this.session.access_token}`;
			else if (this.apiKey) headers["X-API-Key"] = this.apiKey;
		}
		try {
			return await this.fetchFn(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
		} catch (err) {
			const cause = (err as { cause?: { code?: string; message?: string } }).cause;
			const why = (err as Error).name === "TimeoutError" ? `no answer within ${this.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (err as Error).message);
			throw new ConnectionError(`Cannot reach ${this.baseUrl}: ${why}`, url.origin, { cause: err });
		}
	}

	private async decode<T>(res: Response): Promise<Answer<T>> {
		const text = await res.text();
		let body: unknown = text;
		if ((res.headers.get("content-type") ?? "").includes("json") && text) {
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
		}
		if (res.status >= 400) {
			const retryAfter = Number(res.headers.get("retry-after"));
			const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : { message: `The server answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}` };
			throw new ApiError(res.status, fields, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
		}
		return { status: res.status, body: body as T, headers: res.headers };
	}
}
