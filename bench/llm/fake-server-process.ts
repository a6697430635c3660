/**
 * The fake LLM server in a process of its own, so the benchmark measures the service's
 * event loop and not the server's. Talks to its parent over IPC: it sends `{url}` when
 * listening, and answers `{delay}`, `{reset}` and `{stats}` messages.
 */
import { FakeLlmServer } from "../../test/support/fake-llm-server";

type Command = { delay: number } | { reset: true } | { stats: true };

async function main(): Promise<void> {
	const server = await new FakeLlmServer().start();
	process.on("message", (command: Command) => {
		if ("delay" in command) server.defaultDelayMs = command.delay;
		if ("reset" in command) server.reset();
		if ("stats" in command) process.send?.({ stats: { requests: server.requests.length, maxInFlight: server.maxInFlight } });
		else process.send?.({ ok: true });
	});
	process.on("disconnect", () => void server.stop().then(() => process.exit(0)));
	process.send?.({ url: server.url, openai: server.baseURL("openai") });
}

void main();
