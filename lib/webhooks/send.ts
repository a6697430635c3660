import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { ForbiddenAddressError, guardedLookup, hostAllowed, isPrivateAddress } from "../steps/http-guard";

/** The part of a receiver's answer kept in the delivery log (bytes). */
const KEPT_RESPONSE_BYTES = 1024;

/** Why a webhook URL may not be used, or null when it may (the http_request step's SSRF rule). */
export function webhookUrlProblem(raw: string, allowedHosts: readonly string[]): string | null {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return "must be an http:// or https:// URL";
	}
	if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http:// or https:// URL";
	if (url.username || url.password) return "must not carry credentials (the signature authenticates deliveries)";
	const host = url.hostname.replace(/^\[|\]$/g, "");
	if (isIP(host) && isPrivateAddress(host) && !hostAllowed(host, allowedHosts)) return `${host} is a private or local address; list it in STEP_HTTP_ALLOWED_HOSTS to allow it`;
	return null;
}

export interface WebhookResponse {
	status: number;
	body: string;
	durationMs: number;
}

/**
 * POSTs one delivery. Private and local addresses are refused at connection time (the
 * check runs in the socket's own DNS lookup) unless the host is allow-listed; redirects
 * are not followed. Resolves with any HTTP answer; rejects when none came.
 */
export async function postWebhook(rawUrl: string, body: string, headers: Record<string, string>, opts: { timeoutMs: number; allowedHosts: readonly string[] }): Promise<WebhookResponse> {
	const url = new URL(rawUrl);
	const problem = webhookUrlProblem(rawUrl, opts.allowedHosts);
	if (problem) throw new ForbiddenAddressError(`The webhook URL ${problem}`);
	const host = url.hostname.replace(/^\[|\]$/g, "");
	const started = process.hrtime.bigint();
	return new Promise<WebhookResponse>((resolve, reject) => {
		const request = (url.protocol === "https:" ? https : http).request(
			url,
			{
				method: "POST",
				headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "CognitionOS-Webhooks", ...headers },
				signal: AbortSignal.timeout(opts.timeoutMs),
				lookup: guardedLookup(host, opts.allowedHosts)
			},
			res => {
				const chunks: Buffer[] = [];
				let size = 0;
				res.on("data", (chunk: Buffer) => {
					if (size < KEPT_RESPONSE_BYTES) chunks.push(chunk);
					size += chunk.length;
				});
				res.on("end", () =>
					resolve({
						status: res.statusCode ?? 0,
						body: Buffer.concat(chunks).toString("utf8").slice(0, KEPT_RESPONSE_BYTES),
						durationMs: Number(process.hrtime.bigint() - started) / 1e6
					})
				);
				res.on("error", reject);
			}
		);
		request.on("error", (err: Error & { code?: string; name?: string }) => {
			if (err instanceof ForbiddenAddressError) return reject(err);
			if (err.name === "TimeoutError" || err.name === "AbortError") return reject(new Error(`no answer within ${opts.timeoutMs} ms`));
			reject(new Error(err.code ? `${err.code}: ${err.message}` : err.message));
		});
		request.end(body);
	});
}
