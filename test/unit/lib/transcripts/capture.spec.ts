import { loadConfig } from "../../../../lib/config";
import { captureCall, cutText, truncationMarker, type AnsweredCall, type CaptureInput } from "../../../../lib/transcripts/capture";
import { LlmCallRecorder } from "../../../../lib/transcripts/recorder";
import type { LlmCallStore } from "../../../../lib/transcripts/store";

const answered = (text: string): CaptureInput["outcome"] => ({
	answer: { text, usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }, cost_usd: 0.001, provider: "openai", model: "gpt-5.4", finish_reason: "stop" }
});

const input = (over: Partial<CaptureInput> = {}): CaptureInput => ({
	request: { messages: [{ role: "user", content: "Hello there" }], system: "Be brief.", model: "large", tools: [{ name: "search", description: "d", parameters: {} }] },
	outcome: answered("Hi."),
	latencyMs: 12.4,
	secretValues: [],
	maxBytes: 64 * 1024,
	...over
});

const textBytes = (v: unknown): number => {
	if (typeof v === "string") return Buffer.byteLength(v);
	if (Array.isArray(v)) return v.reduce((n: number, x) => n + textBytes(x), 0);
	if (v && typeof v === "object") return Object.values(v).reduce((n: number, x) => n + textBytes(x), 0);
	return 0;
};

describe("captureCall", () => {
	it("keeps the request, the answer, usage, cost, latency, provider and model", () => {
		expect(captureCall(input())).toEqual({
			status: "completed",
			provider: "openai",
			model: "gpt-5.4",
			request: { messages: [{ role: "user", content: "Hello there" }], system: "Be brief.", tools: ["search"], model: "large", temperature: null, max_tokens: null },
			response: { text: "Hi.", tool_calls: [], finish_reason: "stop" },
			usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
			cost_usd: 0.001,
			latency_ms: 12,
			error: null,
			truncated: false
		});
	});

	it("keeps a failed call's error, with no answer", () => {
		const call = captureCall(input({ outcome: { error: new Error("No LLM provider could answer") } }));
		expect(call).toMatchObject({ status: "failed", response: null, usage: null, cost_usd: null, error: "No LLM provider could answer" });
	});

	it("masks secret values in messages, the answer and tool call arguments", () => {
		const secret = "sk-live-123456789";
		const call = captureCall(
			input({
				request: { messages: [{ role: "user", content: `key ${secret}` }] },
				outcome: { answer: { ...(answered("x") as { answer: AnsweredCall }).answer, text: `echo ${secret}`, tool_calls: [{ id: "1", name: "t", arguments: { token: secret } }] } },
				secretValues: [secret]
			})
		);
		expect(JSON.stringify(call)).not.toContain(secret);
		expect(call.request.messages[0]).toEqual({ role: "user", content: "key ***" });
		expect(call.response?.tool_calls[0].arguments).toEqual({ token: "***" });
	});

	it("cuts the longest texts to fit the cap, with a marker, and leaves short fields whole", () => {
		const long = "a".repeat(10_000);
		const call = captureCall(input({ request: { messages: [{ role: "user", content: long }], system: "Be brief." }, outcome: answered("b".repeat(5_000)), maxBytes: 2048 }));
		expect(call.truncated).toBe(true);
		expect(textBytes(call)).toBeLessThanOrEqual(2048);
		const content = (call.request.messages[0] as { content: string }).content;
		expect(content).toMatch(/^a+…\[truncated \d+ bytes\]$/);
		expect(call.response?.text).toMatch(/^b+…\[truncated \d+ bytes\]$/);
		expect(call.request.system).toBe("Be brief.");
		expect(call.provider).toBe("openai");
	});

	it("masks before cutting, so a cut never leaves part of a secret", () => {
		const secret = "secret-value-abcdef";
		const call = captureCall(input({ request: { messages: [{ role: "user", content: "x".repeat(3000) + secret }] }, secretValues: [secret], maxBytes: 1024 }));
		expect(JSON.stringify(call)).not.toContain("secret-value");
	});
});

describe("cutText", () => {
	it("leaves a text within the cap alone", () => {
		expect(cutText("short", 100)).toBe("short");
	});

	it("cuts on a character boundary and says how many bytes were left out", () => {
		const text = "é".repeat(100); // 200 bytes
		const cut = cutText(text, 60);
		expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(60);
		expect(cut).not.toContain("\ufffd");
		const kept = Buffer.byteLength(cut.slice(0, cut.indexOf("…")));
		expect(cut.endsWith(truncationMarker(200 - kept))).toBe(true);
	});
});

describe("LlmCallRecorder", () => {
	const store = { record: jest.fn() } as unknown as LlmCallStore;
	const warn = jest.fn();

	it("captures every run's calls with LLM_CAPTURE on, else only those of workflows that say llm_capture", () => {
		expect(loadConfig({ LLM_CAPTURE: "on" }).LLM_CAPTURE).toBe(true);
		expect(loadConfig({}).LLM_CAPTURE).toBe(false);
		expect(loadConfig({}).LLM_CAPTURE_MAX_BYTES).toBe(64 * 1024);
		const on = new LlmCallRecorder(store, { enabled: true, maxBytes: 1024, warn });
		const off = new LlmCallRecorder(store, { enabled: false, maxBytes: 1024, warn });
		expect(on.captures({})).toBe(true);
		expect(off.captures({})).toBe(false);
		expect(off.captures({ llm_capture: false })).toBe(false);
		expect(off.captures({ llm_capture: true })).toBe(true);
	});

	it("logs a transcript it could not store instead of failing the call", async () => {
		const failing = { record: jest.fn().mockRejectedValue(new Error("disk full")) } as unknown as LlmCallStore;
		const recorder = new LlmCallRecorder(failing, { enabled: true, maxBytes: 1024, warn });
		const key = { execution_id: "e", step_id: "s", attempt: 1 };
		await expect(recorder.record(key, input())).resolves.toBeUndefined();
		expect(warn).toHaveBeenCalledWith(expect.objectContaining({ message: "disk full" }), key);
	});
});
