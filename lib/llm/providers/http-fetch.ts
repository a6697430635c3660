/**
 * The `fetch` the providers' SDKs are given (their public `fetch` option): a request over
 * `node:http`/`node:https` with a keep-alive agent per provider, answered as a standard
 * `Response`. Node's built-in fetch (undici behind web streams) costs about 1 ms of CPU per
 * call here against a few tenths for the same call over `node:http`; with a hundred calls
 * answering at once, that CPU is what delays the next wave of calls.
 *
 * A JSON answer is read whole and handed over as one buffer; any other answer (a stream of
 * server-sent events) is handed over as it arrives. A compressed answer is decompressed.
 * Aborting the request's signal ends the request, or the answer's stream, with the
 * signal's reason (an `AbortError` before the answer came).
 */
import http from "node:http";
import https from "node:https";
import { pipeline, Readable } from "node:stream";
import zlib from "node:zlib";

/** Idle connections are closed after this long (ms): before servers close theirs (Node's and most proxies' 5 s), as undici does. */
const IDLE_SOCKET_MS = 4000;

type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const abortError = (signal: AbortSignal): unknown => {
	const reason: unknown = signal.reason;
	return reason instanceof Error && reason.name === "AbortError" ? reason : new DOMException(reason instanceof Error ? reason.message : "This operation was aborted", "AbortError");
};

function headersOf(init: RequestInit["headers"]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of new Headers(init)) out[name] = value;
	return out;
}

/** The answer's headers, repeated ones kept (set-cookie). */
function responseHeaders(raw: string[]): Headers {
	const headers = new Headers();
	for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
	return headers;
}

const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
	gzip: () => zlib.createGunzip(),
	"x-gzip": () => zlib.createGunzip(),
	deflate: () => zlib.createInflate(),
	br: () => zlib.createBrotliDecompress()
};

/** The answer's body, decompressed; an error of the connection or of the decoder ends it with that error. */
function decoded(res: http.IncomingMessage): Readable {
	const decoder = DECODERS[String(res.headers["content-encoding"] ?? "").trim().toLowerCase()];
	return decoder ? pipeline(res, decoder(), () => undefined) : res;
}

/** A body the request can send as it is; anything else (a stream, form data) goes through the built-in fetch. */
function simpleBody(body: RequestInit["body"]): string | Uint8Array | undefined | null {
	if (body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array) return body;
	if (body instanceof ArrayBuffer) return new Uint8Array(body);
	throw new TypeError("unsupported body");
}

/** A fetch over its own keep-alive agents (one for http, one for https); `idleSocketMs` for tests. */
export function createHttpFetch(opts: { idleSocketMs?: number } = {}): FetchFunction {
	const timeout = opts.idleSocketMs ?? IDLE_SOCKET_MS;
	const agents = {
		"http:": new http.Agent({ keepAlive: true, timeout }),
		"https:": new https.Agent({ keepAlive: true, timeout })
	};
	return (input, init = {}) => {
		let body: string | Uint8Array | undefined | null;
		try {
			body = simpleBody(init.body);
		} catch {
			return fetch(input, init);
		}
		if (input instanceof Request) return fetch(input, init);
		const url = new URL(input);
		if (url.protocol !== "http:" && url.protocol !== "https:") return fetch(input, init);
		const signal = init.signal ?? undefined;
		if (signal?.aborted) return Promise.reject(abortError(signal));
		return new Promise<Response>((resolve, reject) => {
			const send = url.protocol === "https:" ? https.request : http.request;
			const req = send(url, { method: init.method ?? "GET", headers: headersOf(init.headers), agent: agents[url.protocol as "http:" | "https:"] }, res => {
				const status = res.statusCode ?? 0;
				const headers = responseHeaders(res.rawHeaders);
				const stream = decoded(res);
				// Aborted while the answer streams: the stream ends with the signal's reason.
				if (signal) res.once("close", () => signal.removeEventListener("abort", onAbort));
				// A status without a body (204, 304, HEAD) answers with none.
				if (status === 204 || status === 205 || status === 304 || req.method === "HEAD") {
					res.resume();
					return resolve(new Response(null, { status, statusText: res.statusMessage, headers }));
				}
				if (!/^application\/json\b/i.test(res.headers["content-type"] ?? "")) {
					return resolve(new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, statusText: res.statusMessage, headers }));
				}
				const chunks: Buffer[] = [];
				stream.on("data", (chunk: Buffer) => chunks.push(chunk));
				stream.once("end", () => resolve(new Response(Buffer.concat(chunks), { status, statusText: res.statusMessage, headers })));
				stream.once("error", reject);
			});
			const onAbort = () => {
				const err = abortError(signal!);
				req.destroy(err as Error);
				reject(err);
			};
			signal?.addEventListener("abort", onAbort, { once: true });
			req.once("error", err => {
				signal?.removeEventListener("abort", onAbort);
				reject(new TypeError("fetch failed", { cause: err }));
			});
			req.end(body ?? undefined);
		});
	};
}
