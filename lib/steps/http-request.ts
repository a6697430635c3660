import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { deadline, parseDuration } from "../duration";
import { StepFailure } from "./failure";
import { ForbiddenAddressError, guardedLookup, hostAllowed, isPrivateAddress } from "./http-guard";
import { LIMITS } from "../dsl/model";
import { duration, durationProblem, templated, wordOrTemplate } from "./schema";
import type { StepTypeDefinition } from "./types";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

const status = { type: "integer", minimum: 100, maximum: 599 };

/**
 * `{method = GET, url, headers?, body?, expected_status?, timeout?}`. Without
 * `expected_status` any 2xx succeeds. The attempt's idempotency key travels as the
 * `Idempotency-Key` header.
 */
export const httpRequest: StepTypeDefinition = {
	type: "http_request",
	description: "Calls an HTTP endpoint and checks the response status.",
	paramsSchema: {
		type: "object",
		required: ["url"],
		additionalProperties: false,
		properties: {
			method: wordOrTemplate(HTTP_METHODS),
			url: { type: "string", pattern: "^(https?://\\S|\\s*\\$\\{\\{)", description: "an http:// or https:// URL (templates allowed)" },
			headers: templated(
				{ type: "object", additionalProperties: { type: ["string", "number", "boolean"], description: "a header value (text, a number or a boolean)" } },
				"an object of header names to values"
			),
			body: {},
			expected_status: templated(
				{ type: ["integer", "array"], minimum: 100, maximum: 599, minItems: 1, items: templated(status, "an HTTP status from 100 to 599") },
				"an HTTP status from 100 to 599 or a list of them"
			),
			timeout: duration
		}
	},
	check(params, context) {
		const problem = durationProblem(params.timeout, LIMITS.maxTimeoutMs);
		return problem ? [{ path: `${context.path}.timeout`, message: problem }] : [];
	}
};

/** Largest response body kept as a step's output (bytes); bigger answers fail the attempt. */
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

function expectedStatuses(value: unknown): number[] | null {
	if (value === undefined || value === null) return null;
	return (Array.isArray(value) ? value : [value]).map(Number);
}

httpRequest.execute = async (params, ctx) => {
	let url: URL;
	try {
		url = new URL(String(params.url));
	} catch {
		throw new StepFailure(`url ${JSON.stringify(params.url)} is not a URL`, "invalid_params", true);
	}
	if (url.protocol !== "http:" && url.protocol !== "https:") throw new StepFailure(`url must be http or https, got ${url.protocol}`, "invalid_params", true);
	const host = url.hostname.replace(/^\[|\]$/g, "");
	const allowed = ctx.services.httpAllowedHosts;
	// Literal addresses never reach the DNS lookup, so they are checked here.
	if (isIP(host) && isPrivateAddress(host) && !hostAllowed(host, allowed)) {
		throw new StepFailure(`${host} is a private or local address; list it in STEP_HTTP_ALLOWED_HOSTS to allow it`, "ssrf_refused", true);
	}
	const method = String(params.method ?? "GET").toUpperCase();
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries((params.headers as Record<string, unknown> | undefined) ?? {})) headers[k.toLowerCase()] = String(v);
	headers["idempotency-key"] ??= ctx.idempotencyKey;
	headers["user-agent"] ??= "CognitionOS";
	let body: Buffer | undefined;
	if (params.body !== undefined && params.body !== null && method !== "GET" && method !== "HEAD") {
		if (typeof params.body === "string") body = Buffer.from(params.body);
		else {
			body = Buffer.from(JSON.stringify(params.body));
			headers["content-type"] ??= "application/json";
		}
		headers["content-length"] = String(body.length);
	}
	const timeoutMs = params.timeout === undefined ? null : parseDuration(params.timeout);
	const due = timeoutMs ? deadline(timeoutMs, ctx.signal) : null;
	const signal = due?.signal ?? ctx.signal;

	const response = await new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
		const request = (url.protocol === "https:" ? https : http).request(
			url,
			{ method, headers, signal, lookup: guardedLookup(host, allowed) },
			res => {
				const chunks: Buffer[] = [];
				let size = 0;
				res.on("data", (chunk: Buffer) => {
					size += chunk.length;
					if (size > MAX_RESPONSE_BYTES) {
						res.destroy(new StepFailure(`The response is larger than ${MAX_RESPONSE_BYTES} bytes`, "response_too_large", true));
						return;
					}
					chunks.push(chunk);
				});
				res.on("end", () => {
					const out: Record<string, string> = {};
					for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
					resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) });
				});
				res.on("error", reject);
			}
		);
		request.on("error", reject);
		request.end(body);
	}).catch((err: Error & { type?: string; final?: boolean; code?: string }) => {
		if (err instanceof StepFailure) throw err;
		if (err instanceof ForbiddenAddressError) throw new StepFailure(err.message, "ssrf_refused", true);
		if (ctx.signal.aborted || signal.aborted) throw new StepFailure(`${method} ${url.origin}${url.pathname} timed out`, "timeout");
		throw new StepFailure(`${method} ${url.origin}${url.pathname} failed: ${err.code ?? err.message}`, "http_error");
	}).finally(() => due?.clear());

	let parsed: unknown = response.body.toString("utf8");
	if (/\bjson\b/i.test(response.headers["content-type"] ?? "") && response.body.length) {
		try {
			parsed = JSON.parse(parsed as string);
		} catch {
			// Not JSON after all: keep the text.
		}
	}
	const expected = expectedStatuses(params.expected_status);
	const ok = expected ? expected.includes(response.status) : response.status >= 200 && response.status < 300;
	if (!ok) {
		throw new StepFailure(
			`${method} ${url.origin}${url.pathname} answered ${response.status}${expected ? `, expected ${expected.join(" or ")}` : ""}`,
			"unexpected_status"
		);
	}
	return { kind: "completed", output: { status: response.status, headers: response.headers, body: parsed } };
};
