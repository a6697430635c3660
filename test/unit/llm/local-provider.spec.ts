import { LocalProvider } from "../../../lib/llm/providers/local";
import { countPromptTokens, countTokens } from "../../../lib/llm/tokens";
import type { ProviderRequest } from "../../../lib/llm/types";

const request = (extra: Partial<ProviderRequest> = {}): ProviderRequest => ({
	model: "local-echo",
	messages: [{ role: "user", content: "Deploy the web app to staging, then run the smoke tests." }],
	max_tokens: 1024,
	...extra
});

describe("local provider", () => {
	const local = new LocalProvider();

	it("counts tokens the same way every time", () => {
		// One token per four letters of a word: "Deploy" is two.
		expect(countTokens("Deploy the web app")).toBe(5);
		expect(countTokens("deployment")).toBe(3);
		expect(countTokens("a, b.")).toBe(4);
		expect(countPromptTokens([{ role: "user", content: "Deploy the web app" }], "Be brief.")).toBe(4 + 4 + 5 + 4);
	});

	it("answers deterministically, labelled as not a model, with usage it can repeat", async () => {
		const a = await local.complete(request());
		const b = await local.complete(request());
		expect(a).toEqual(b);
		expect(a.model).toBe("local-echo");
		expect(a.text).toContain("[local provider: offline, no language model was called]");
		expect(a.text).toContain('Last user message: "Deploy the web app to staging, then run the smoke tests."');
		expect(a.usage.prompt_tokens).toBe(countPromptTokens(request().messages));
		expect(a.usage.completion_tokens).toBe(countTokens(a.text));
		expect(a.usage.total_tokens).toBe(a.usage.prompt_tokens + a.usage.completion_tokens);
	});

	it("stops at max_tokens and at a stop sequence", async () => {
		const short = await local.complete(request({ max_tokens: 5 }));
		expect(short.finish_reason).toBe("length");
		expect(short.usage.completion_tokens).toBeLessThanOrEqual(5);
		const stopped = await local.complete(request({ stop: ["no language"] }));
		expect(stopped.text).toBe("[local provider: offline, ");
	});

	it("answers JSON when asked, shaped like the schema when one is given", async () => {
		const plain = await local.complete(request({ json: {} }));
		expect(JSON.parse(plain.text)).toMatchObject({ provider: "local" });
		const shaped = await local.complete(
			request({
				json: {
					schema: {
						type: "object",
						properties: { steps: { type: "array", minItems: 2, items: { type: "string" } }, risk: { enum: ["low", "high"] }, count: { type: "integer", minimum: 1 } }
					}
				}
			})
		);
		const value = JSON.parse(shaped.text);
		expect(value.steps).toHaveLength(2);
		expect(value.risk).toBe("low");
		expect(value.count).toBe(1);
	});

	it("streams deltas that join into the same answer", async () => {
		const whole = await local.complete(request());
		let text = "";
		let done: unknown;
		for await (const event of local.stream(request())) {
			if (event.type === "delta") text += event.text;
			else done = event;
		}
		expect(text).toBe(whole.text);
		expect(done).toEqual({ type: "done", ...whole });
	});
});
