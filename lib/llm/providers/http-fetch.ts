/**
 * The `fetch` the providers' SDKs are given (their public `fetch` option): undici's
 * `request` (the undici this package depends on) on a keep-alive agent per provider,
 * answered as a standard `Response`. Node's built-in fetch (the same undici behind the
 * WHATWG fetch machinery and web streams) costs about 1 ms of CPU per call here against a
 * few tenths for the same call through `request`; with a hundred calls answering at once,
 * that CPU is what delays the next wave of calls. Tracing still sees each request: undici
 * reports it on its diagnostics channels, which the undici instrumentation listens to.
 *
 * A JSON answer is read whole and handed over as one buffer; any other answer (a stream of
 * server-sent events) is handed over as it arrives. A compressed answer is decompressed.
 * Aborting the request's signal ends the request, or the answer's stream, with an
 * `AbortError`; a connection that fails is a `TypeError("fetch failed")`, as fetch reports it.
 */
import { pipeline, Readable } from "node:stream";
import zlib from "node:zlib";
import { Agent, request } from "undici";

/** Idle connections are closed after this long (ms): before servers close theirs (Node's and most proxies' 5 s), as fetch does. */
const IDLE_SOCKET_MS = 4000;

type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const abortError = (signal: AbortSignal): Error => {
	const reason: unknown = signal.reason;
	return reason instanceof Error && reason.name === "AbortError" ? reason : new DOMException(reason instanceof Error ? reason.message : "This operation was aborted", "AbortError");
};

function headersOf(init: RequestInit["headers"]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of new Headers(init)) out[name] = value;
	return out;
}

/** The answer's headers, repeated ones kept (set-cookie). */
function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
	const headers = new Headers();
	for (const [name, value] of Object.entries(raw)) {
		if (Array.isArray(value)) for (const v of value) headers.append(name, v);
		else if (value !== undefined) headers.append(name, value);
	}
	return headers;
}

const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
	gzip: () => zlib.createGunzip(),
	"x-gzip": () => zlib.createGunzip(),
	deflate: () => zlib.createInflate(),
	br: () => zlib.createBrotliDecompress()
};

/** The answer's body, decompressed; an error of the connection or of the decoder ends it with that error. */
function decoded(body: Readable, encoding: string | string[] | undefined): Readable {
	const decoder = DECODERS[String(encoding ?? "").trim().toLowerCase()];
	return decoder ? pipeline(body, decoder(), () => undefined) : body;
}

/** A body `request` can send as it is; anything else (a stream, form data) goes through the built-in fetch. */
function simpleBody(body: RequestInit["body"]): string | Uint8Array | undefined | null {
	if (body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array) return body;
	if (body instanceof ArrayBuffer) return new Uint8Array(body);
	throw new TypeError("unsupported body");
}

/** A fetch over its own keep-alive agent; `idleSocketMs` for tests. */
export function createHttpFetch(opts: { idleSocketMs?: number } = {}): FetchFunction {
	const agent = new Agent({ keepAliveTimeout: opts.idleSocketMs ?? IDLE_SOCKET_MS });
	return async (input, init = {}) => {
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
		if (signal?.aborted) throw abortError(signal);
		let res: Awaited<ReturnType<typeof request>>;
		try {
			// Redirects followed as fetch follows them (at most 20).
			res = await request(url, { method: (init.method ?? "GET") as "GET", headers: headersOf(init.headers), body, signal, dispatcher: agent, maxRedirections: 20 });
		} catch (err) {
			if (signal?.aborted) throw abortError(signal);
			throw new TypeError("fetch failed", { cause: err });
		}
		const status = res.statusCode;
		const headers = responseHeaders(res.headers);
		// A status without a body (204, 304, HEAD) answers with none.
		if (status === 204 || status === 205 || status === 304 || init.method === "HEAD") {
			res.body.resume();
			return new Response(null, { status, headers });
		}
		const encoding = res.headers["content-encoding"];
		if (!/^application\/json\b/i.test(String(res.headers["content-type"] ?? ""))) {
			return new Response(Readable.toWeb(decoded(res.body, encoding)) as ReadableStream<Uint8Array>, { status, headers });
		}
		try {
			// Read whole: undici's own reader when it is not compressed (cheaper than iterating the stream).
			if (!encoding) return new Response(await res.body.arrayBuffer(), { status, headers });
			const chunks: Buffer[] = [];
			for await (const chunk of decoded(res.body, encoding)) chunks.push(chunk as Buffer);
			return new Response(Buffer.concat(chunks), { status, headers });
		} catch (err) {
			if (signal?.aborted) throw abortError(signal);
			throw err;
		}
	};
}
