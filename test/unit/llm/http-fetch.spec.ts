/** The providers' fetch over undici.request: answers, compressed answers, streams, aborts, kept-alive connections. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { createHttpFetch } from "../../../lib/llm/providers/http-fetch";

let server: http.Server;
let base: string;
/** What the test server does with the next request; the connections it accepted. */
let handle: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;
let connections = 0;
const closed: string[] = [];

beforeAll(async () => {
	server = http.createServer((req, res) => {
		let body = "";
		req.setEncoding("utf8");
		req.on("data", (c: string) => (body += c));
		req.on("end", () => handle(req, res, body));
		res.on("close", () => {
			if (!res.writableFinished) closed.push(req.url ?? "");
		});
	});
	server.on("connection", () => connections++);
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise(resolve => server.close(resolve));
});
beforeEach(() => {
	connections = 0;
	closed.length = 0;
});

describe("createHttpFetch", () => {
	it("sends the method, headers and body, and answers with the status, headers and JSON", async () => {
		handle = (req, res, body) => {
			res.setHeader("set-cookie", ["a=1", "b=2"]);
			res.writeHead(201, { "content-type": "application/json", "x-echo": String(req.headers["x-key"]) }).end(JSON.stringify({ method: req.method, body }));
		};
		const res = await createHttpFetch()(`${base}/chat`, { method: "POST", headers: { "x-key": "k1", "content-type": "application/json" }, body: '{"q":1}' });
		expect(res.status).toBe(201);
		expect(res.headers.get("x-echo")).toBe("k1");
		expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
		expect(await res.json()).toEqual({ method: "POST", body: '{"q":1}' });
	});

	it("follows a redirect as fetch does, the body sent again", async () => {
		handle = (req, res, body) => {
			if (req.url === "/old") res.writeHead(307, { location: "/new" }).end();
			else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: req.url, body }));
		};
		const res = await createHttpFetch()(`${base}/old`, { method: "POST", body: "again" });
		expect(await res.json()).toEqual({ url: "/new", body: "again" });
	});

	it("decompresses a gzip answer", async () => {
		handle = (_req, res) => res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(zlib.gzipSync(JSON.stringify({ ok: true })));
		expect(await (await createHttpFetch()(`${base}/gz`)).json()).toEqual({ ok: true });
	});

	it("hands over a stream of events as it arrives", async () => {
		let finish: () => void = () => undefined;
		handle = (_req, res) => {
			res.writeHead(200, { "content-type": "text/event-stream" });
			res.write("data: one\n\n");
			finish = () => res.end("data: two\n\n");
		};
		const res = await createHttpFetch()(`${base}/sse`);
		const reader = res.body!.getReader();
		// The first event is readable while the server still holds the second.
		expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: one\n\n");
		finish();
		expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: two\n\n");
		expect((await reader.read()).done).toBe(true);
	});

	it("ends the request when its signal aborts, with an AbortError", async () => {
		handle = () => undefined; // never answers
		const controller = new AbortController();
		const call = createHttpFetch()(`${base}/slow`, { signal: controller.signal });
		await new Promise(r => setTimeout(r, 50));
		controller.abort();
		await expect(call).rejects.toMatchObject({ name: "AbortError" });
		for (let i = 0; i < 100 && closed.length === 0; i++) await new Promise(r => setTimeout(r, 10));
		expect(closed).toEqual(["/slow"]);
	});

	it("reports a server that is not there as a failed fetch", async () => {
		const idle = http.createServer();
		await new Promise<void>(resolve => idle.listen(0, "127.0.0.1", resolve));
		const port = (idle.address() as AddressInfo).port;
		await new Promise(resolve => idle.close(resolve));
		await expect(createHttpFetch()(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ name: "TypeError", message: "fetch failed" });
	});

	it("keeps connections alive between calls, and still gets an answer slower than the idle timeout", async () => {
		handle = (req, res) => setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: req.url })), req.url === "/slow" ? 300 : 0);
		const fetch = createHttpFetch({ idleSocketMs: 100 });
		for (let i = 0; i < 10; i++) expect(await (await fetch(`${base}/fast`)).json()).toEqual({ url: "/fast" });
		// Ten calls in turn: a connection is taken again once the previous answer was read (a new one each would be 10).
		expect(connections).toBeLessThanOrEqual(2);
		// Busy past the idle timeout: the connection is in use, not idle, and stays open.
		expect(await (await fetch(`${base}/slow`)).json()).toEqual({ url: "/slow" });
	});
});
