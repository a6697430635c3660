/**
 * The public API from the browser: tokens in session storage (gone when the tab
 * closes), a 401 answered by one refresh (concurrent requests share it) and a retry,
 * errors as ApiError in the project's `{error, message, detail?, trace_id}` format.
 */

export interface TokenPair {
	access_token: string;
	refresh_token: string;
	expires_in: number;
}

export interface Me {
	user_id: string;
	email: string;
	full_name: string | null;
	roles: string[];
}

export interface FieldProblem {
	path: string;
	message: string;
	line?: number;
	column?: number;
}

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly detail?: unknown,
		readonly traceId?: string
	) {
		super(message);
	}

	get problems(): FieldProblem[] {
		return Array.isArray(this.detail) ? (this.detail as FieldProblem[]) : [];
	}
}

const STORAGE_KEY = "cognitionos.tokens";

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
	query?: Query;
	body?: unknown;
	/** Sent as is with this Content-Type (a YAML text); JSON otherwise. */
	contentType?: string;
	/** Read the answer as text (a YAML definition). */
	text?: boolean;
}

export class Api {
	private tokens: TokenPair | null;
	private refreshing: Promise<boolean> | null = null;
	private readonly signedOutListeners = new Set<() => void>();

	constructor(private readonly storage: Storage = sessionStorage) {
		try {
			this.tokens = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null") as TokenPair | null;
		} catch {
			this.tokens = null;
		}
	}

	get signedIn(): boolean {
		return this.tokens !== null;
	}

	get accessToken(): string | null {
		return this.tokens?.access_token ?? null;
	}

	onSignedOut(listener: () => void): () => void {
		this.signedOutListeners.add(listener);
		return () => this.signedOutListeners.delete(listener);
	}

	async signIn(email: string, password: string): Promise<void> {
		const pair = await this.request<TokenPair>("POST", "/auth/login", { body: { email, password } }, false);
		this.store(pair);
	}

	async signOut(): Promise<void> {
		const refresh = this.tokens?.refresh_token;
		this.forget();
		// Revokes the session server-side; signing out locally stands whatever the answer.
		if (refresh) await this.request("POST", "/auth/logout", { body: { refresh_token: refresh } }, false).catch(() => undefined);
	}

	get<T>(path: string, query?: Query): Promise<T> {
		return this.request<T>("GET", path, { query });
	}

	post<T>(path: string, body?: unknown, opts: Omit<RequestOptions, "body"> = {}): Promise<T> {
		return this.request<T>("POST", path, { ...opts, body: body ?? {} });
	}

	patch<T>(path: string, body: unknown): Promise<T> {
		return this.request<T>("PATCH", path, { body });
	}

	delete<T>(path: string): Promise<T> {
		return this.request<T>("DELETE", path);
	}

	async request<T>(method: string, path: string, opts: RequestOptions = {}, authenticated = true): Promise<T> {
		const first = await this.send(method, path, opts, authenticated);
		if (first.status === 401 && authenticated && this.tokens && (await this.refresh())) return this.read<T>(await this.send(method, path, opts, true), opts);
		if (first.status === 401 && authenticated) this.forget();
		return this.read<T>(first, opts);
	}

	/** Trades the refresh token for a new pair once, however many requests met a 401 meanwhile. */
	refresh(): Promise<boolean> {
		this.refreshing ??= (async () => {
			const refresh = this.tokens?.refresh_token;
			if (!refresh) return false;
			try {
				this.store(await this.request<TokenPair>("POST", "/auth/refresh", { body: { refresh_token: refresh } }, false));
				return true;
			} catch {
				this.forget();
				return false;
			}
		})().finally(() => (this.refreshing = null));
		return this.refreshing;
	}

	private send(method: string, path: string, opts: RequestOptions, authenticated: boolean): Promise<Response> {
		const url = new URL(`/api/v3${path}`, location.origin);
		for (const [name, value] of Object.entries(opts.query ?? {})) if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
		const headers: Record<string, string> = { Accept: opts.text ? "*/*" : "application/json" };
		if (authenticated && this.tokens) headers.Authorization = `Bearer ${this.tokens.access_token}`;
		let body: string | undefined;
		if (opts.body !== undefined) {
			headers["Content-Type"] = opts.contentType ?? "application/json";
			body = typeof opts.body === "string" && opts.contentType ? opts.body : JSON.stringify(opts.body);
		}
		return fetch(url, { method, headers, body });
	}

	private async read<T>(res: Response, opts: RequestOptions): Promise<T> {
		if (res.status === 204) return null as T;
		const text = await res.text();
		if (res.ok) return (opts.text ? text : text ? JSON.parse(text) : null) as T;
		let body: { error?: string; message?: string; detail?: unknown; trace_id?: string } = {};
		try {
			body = JSON.parse(text);
		} catch {
			// Not the API's error format (a proxy's page): the status says enough.
		}
		throw new ApiError(res.status, body.error ?? "http_error", body.message ?? `${res.status} ${res.statusText}`, body.detail, body.trace_id);
	}

	private store(pair: TokenPair): void {
		this.tokens = { access_token: pair.access_token, refresh_token: pair.refresh_token, expires_in: pair.expires_in };
		this.storage.setItem(STORAGE_KEY, JSON.stringify(this.tokens));
	}

	private forget(): void {
		const was = this.tokens !== null;
		this.tokens = null;
		this.storage.removeItem(STORAGE_KEY);
		if (was) for (const listener of this.signedOutListeners) listener();
	}
}
