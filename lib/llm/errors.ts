/**
 * How a provider call fails, in our words: every SDK error becomes a ProviderError
 * whose kind decides retry and fallback, and whose message never carries a key.
 */
import { AppError } from "../errors";
import { redactText } from "../redact";
import type { ProviderName } from "./types";

export type FailureKind = "rate_limited" | "server_error" | "timeout" | "connection_error" | "auth_failed" | "rejected" | "aborted";

/** Worth another attempt (and, after the last, another provider). Request errors are not. */
const RETRYABLE: ReadonlySet<FailureKind> = new Set(["rate_limited", "server_error", "timeout", "connection_error"]);

export class ProviderError extends Error {
	constructor(
		readonly provider: ProviderName,
		readonly kind: FailureKind,
		message: string,
		readonly status?: number,
		/** From `Retry-After` / `retry-after-ms`, when the provider said how long to wait. */
		readonly retryAfterMs?: number
	) {
		super(message);
		this.name = "ProviderError";
	}

	get retryable(): boolean {
		return RETRYABLE.has(this.kind);
	}
}

/** The kind of failure an HTTP status means. */
export function kindOfStatus(status: number): FailureKind {
	if (status === 429) return "rate_limited";
	if (status === 408) return "timeout";
	// 409 is a lock or conflict on the provider's side; both SDKs retry it too.
	if (status >= 500 || status === 409) return "server_error";
	if (status === 401 || status === 403) return "auth_failed";
	return "rejected";
}

/** Reads `retry-after-ms` (OpenAI) or `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
	if (!headers || typeof headers.get !== "function") return undefined;
	const ms = Number(headers.get("retry-after-ms"));
	if (headers.get("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return ms;
	const raw = headers.get("retry-after");
	if (!raw) return undefined;
	const seconds = Number(raw);
	if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
	const date = Date.parse(raw);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Removes the given secrets (and anything that looks like a key or token) from text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join("[REDACTED]");
	return redactText(out);
}

/** The fields both SDKs' APIError classes share. */
interface SdkErrorLike {
	status?: number;
	headers?: { get(name: string): string | null };
	message?: string;
	name?: string;
	/** The parsed error body: OpenAI's `{message}`, Anthropic's `{type, error: {message}}`. */
	error?: { message?: unknown; error?: { message?: unknown } };
}

/** The provider's own words: the message in its error body, else the SDK's message. */
function providerMessage(e: SdkErrorLike, err: unknown): string {
	const fromBody = e.error?.error?.message ?? e.error?.message;
	return typeof fromBody === "string" && fromBody ? fromBody : String(e.message ?? err);
}

/**
 * Turns an error from an SDK call into a ProviderError. `connection`, `timeout` and
 * `abort` tell which SDK classes mean what; the message is scrubbed of `secrets`.
 */
export function toProviderError(
	provider: ProviderName,
	err: unknown,
	secrets: readonly string[],
	classes: { timeout: abstract new (...args: never[]) => unknown; connection: abstract new (...args: never[]) => unknown; abort: abstract new (...args: never[]) => unknown }
): ProviderError {
	if (err instanceof ProviderError) return err;
	const e = (err ?? {}) as SdkErrorLike;
	const detail = scrubSecrets(providerMessage(e, err), secrets);
	if (err instanceof classes.abort) return new ProviderError(provider, "aborted", `${provider} call was cancelled`);
	if (err instanceof classes.timeout) return new ProviderError(provider, "timeout", `${provider} did not answer in time`);
	if (err instanceof classes.connection) return new ProviderError(provider, "connection_error", `could not reach ${provider}: ${detail}`);
	if (typeof e.status === "number") {
		const kind = kindOfStatus(e.status);
		return new ProviderError(provider, kind, `${provider} answered ${e.status}: ${detail}`, e.status, retryAfterMs(e.headers));
	}
	// A broken stream or an unexpected answer: the provider misbehaved, so another attempt may succeed.
	return new ProviderError(provider, "server_error", `${provider} call failed: ${detail}`);
}

/** A call refused because it would pass the execution's budget. */
export const budgetExceeded = (message: string, data: unknown) => new AppError(message, 402, "budget_exceeded", data);

/** Every provider in the fallback order failed or was skipped. */
export const llmUnavailable = (message: string, data: unknown) => new AppError(message, 503, "llm_unavailable", data);

/** A provider refused the request itself (bad model, context too long): retrying elsewhere would not help. */
export const llmRequestRejected = (message: string, data: unknown) => new AppError(message, 422, "llm_request_rejected", data);

/** A provider refused our credentials: an operator must fix the configuration. */
export const llmAuthFailed = (message: string, data: unknown) => new AppError(message, 502, "llm_auth_failed", data);

/** The caller aborted the call (its step was cancelled or timed out); nothing is retried. */
export const llmAborted = (message: string) => new AppError(message, 409, "llm_aborted");
