/**
 * The fake LLM server in a process of its own, so the benchmark measures the service's
 * event loop and not the server's. Talks to its parent over IPC: it sends `{url}` when
 * listening, and answers `{delay}`, `{reset}`, `{stats}` and `{agentTurns}` messages. With
 * `agentTurns: N` it plays a tool-calling model: each conversation calls the `work` tool
 * until it holds N - 1 turns, then answers. It also serves the tool: `GET /tool?ms=N`
 * answers after N ms (at `toolUrl`).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { FakeLlmServer, turnsBefore } from "../../test/support/fake-llm-server";

type Command = { delay: number } | { reset: true } | { stats: true } | { agentTurns: number };

async function main(): Promise<void> {
	const server = await new FakeLlmServer().start();
	const tool = http.createServer((req, res) => {
		const ms = Number(new URL(req.url ?? "/", "http://x").searchParams.get("ms") ?? 0);
		setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ slept: ms })), ms);
	});
	tool.maxConnections = 10_000;
	await new Promise<void>(resolve => tool.listen(0, "127.0.0.1", resolve));
	process.on("message", (command: Command) => {
		if ("delay" in command) server.defaultDelayMs = command.delay;
		if ("agentTurns" in command) {
			const turns = command.agentTurns;
			server.respond = req => (turnsBefore(req) < turns - 1 ? { delayMs: server.defaultDelayMs, toolCalls: [{ name: "work", arguments: { step: turnsBefore(req) } }] } : { delayMs: server.defaultDelayMs, text: "done" });
		}
		if ("reset" in command) server.reset();
		if ("stats" in command) process.send?.({ stats: { requests: server.requests.length, maxInFlight: server.maxInFlight } });
		else process.send?.({ ok: true });
	});
	process.on("disconnect", () => {
		tool.closeAllConnections();
		void server.stop().then(() => process.exit(0));
	});
	process.send?.({ url: server.url, openai: server.baseURL("openai"), toolUrl: `http://127.0.0.1:${(tool.address() as AddressInfo).port}/tool` });
}

void main();
