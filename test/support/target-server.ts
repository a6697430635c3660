import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP server the http_request steps of the tests call: it answers, fails on
 * purpose, or takes its time, and counts each call by the Idempotency-Key it carries.
 *   GET /ok?value=x        → 200 {"value": "x"}
 *   GET /flaky?fail=N      → 503 for the first N calls of a step (by execution:step), then 200 {"attempt": n}
 *   GET /slow?ms=N&group=G → 200 {"slept": N} (and `value` when asked with one) after N ms (aborted requests are counted in `aborted` and their
 *                            Idempotency-Key kept in `abortedKeys`; with `group`, the most calls of G in flight at once is kept)
 *   POST /echo             → 200 with the JSON body it got
 *   GET /big?bytes=N       → 200 {"text": "xxx…"} with N x
 *   GET /headers           → 200 {"headers": {…}}: the request's headers echoed back
 * The headers of every request are kept by Idempotency-Key in `headers`.
 */
export interface TargetServer {
	url: string;
	/** Calls per Idempotency-Key. */
	calls: Map<string, number>;
	/** The last request's headers per Idempotency-Key. */
	headers: Map<string, http.IncomingHttpHeaders>;
	aborted: number;
	/** Idempotency-Keys of /slow calls whose client went away before the answer. */
	abortedKeys: Set<string>;
	/** The most /slow calls of `group` that were in flight at the same time. */
	maxInFlight(group: string): number;
	close(): Promise<void>;
}

export async function startTargetServer(): Promise<TargetServer> {
	const calls = new Map<string, number>();
	const headers = new Map<string, http.IncomingHttpHeaders>();
	const perStep = new Map<string, number>();
	const state = { aborted: 0 };
	const abortedKeys = new Set<string>();
	const inFlight = new Map<string, number>();
	const maxInFlight = new Map<string, number>();
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? "/", "http://localhost");
		const key = String(req.headers["idempotency-key"] ?? "");
		calls.set(key, (calls.get(key) ?? 0) + 1);
		headers.set(key, req.headers);
		const step = key.split(":").slice(0, 2).join(":");
		const send = (status: number, body: unknown) => {
			res.writeHead(status, { "content-type": "application/json" });
			res.end(JSON.stringify(body));
		};
		const chunks: Buffer[] = [];
		req.on("data", c => chunks.push(c));
		req.on("end", () => {
			switch (url.pathname) {
				case "/ok":
					return send(200, { value: url.searchParams.get("value") });
				case "/flaky": {
					const n = (perStep.get(step) ?? 0) + 1;
					perStep.set(step, n);
					return n <= Number(url.searchParams.get("fail") ?? 1) ? send(503, { error: "try again", attempt: n }) : send(200, { attempt: n });
				}
				case "/slow": {
					const ms = Number(url.searchParams.get("ms") ?? 100);
					const group = url.searchParams.get("group");
					if (group) {
						const now = (inFlight.get(group) ?? 0) + 1;
						inFlight.set(group, now);
						maxInFlight.set(group, Math.max(now, maxInFlight.get(group) ?? 0));
					}
					const value = url.searchParams.get("value");
					const t = setTimeout(() => send(200, value === null ? { slept: ms } : { slept: ms, value }), ms);
					res.on("close", () => {
						if (group) inFlight.set(group, inFlight.get(group)! - 1);
						if (!res.writableFinished) {
							clearTimeout(t);
							state.aborted++;
							abortedKeys.add(key);
						}
					});
					return;
				}
				case "/echo":
					return send(200, JSON.parse(Buffer.concat(chunks).toString() || "null"));
				case "/headers":
					return send(200, { headers: req.headers });
				case "/big":
					return send(200, { text: "x".repeat(Number(url.searchParams.get("bytes") ?? 1024)) });
				default:
					return send(404, { error: "no such path" });
			}
		});
	});
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		calls,
		headers,
		get aborted() {
			return state.aborted;
		},
		abortedKeys,
		maxInFlight: group => maxInFlight.get(group) ?? 0,
		close: () =>
			new Promise(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
