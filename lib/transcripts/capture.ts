/**
 * What is kept of one model call when its run's calls are captured: the request (messages,
 * system prompt, the tools offered by name, the sampling asked for), the answer (text, tool
 * calls, finish reason) or the error, usage, cost, latency, provider and model. Secrets the
 * attempt read are masked first; then, if the texts together pass the cap, the longest are
 * cut to an equal share, each with a marker, so the record stays JSON of the same shape.
 */
import { maskDeep } from "../secrets/known";
import type { ChatMessage, CompletionRequest, ToolCall } from "../llm/types";

/** What ends a cut text: how many bytes were left out. */
export const truncationMarker = (omittedBytes: number): string => `…[truncated ${omittedBytes} bytes]`;

export interface CapturedRequest {
	messages: ChatMessage[];
	system: string | null;
	/** Names of the tools the model was offered (their schemas are the workflow's). */
	tools: string[];
	model: string | null;
	temperature: number | null;
	max_tokens: number | null;
}

export interface CapturedResponse {
	text: string;
	tool_calls: ToolCall[];
	finish_reason: string | null;
}

export interface CapturedUsage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
}

/** One call as stored (lib/transcripts/store.ts) and shown by the API. */
export interface CapturedCall {
	status: "completed" | "failed";
	provider: string | null;
	model: string | null;
	request: CapturedRequest;
	response: CapturedResponse | null;
	usage: CapturedUsage | null;
	cost_usd: number | null;
	latency_ms: number;
	error: string | null;
	truncated: boolean;
}

/** What the LLM service answered, as far as a transcript needs it. */
export interface AnsweredCall {
	text: string;
	tool_calls?: ToolCall[];
	finish_reason?: string | null;
	usage: CapturedUsage;
	cost_usd: number;
	provider: string;
	model: string;
}

export interface CaptureInput {
	request: CompletionRequest;
	/** The answer, or what the call failed with. */
	outcome: { answer: AnsweredCall } | { error: Error };
	latencyMs: number;
	/** Secret values the attempt read: masked wherever they occur. */
	secretValues: readonly string[];
	/** LLM_CAPTURE_MAX_BYTES: most bytes of text kept, over every string of the record. */
	maxBytes: number;
}

export function captureCall(input: CaptureInput): CapturedCall {
	const { request, outcome } = input;
	const answer = "answer" in outcome ? outcome.answer : null;
	const record: CapturedCall = {
		status: answer ? "completed" : "failed",
		provider: answer?.provider ?? request.provider ?? null,
		model: answer?.model ?? null,
		request: {
			messages: request.messages,
			system: request.system ?? null,
			tools: (request.tools ?? []).map(t => t.name),
			model: request.model ?? null,
			temperature: request.temperature ?? null,
			max_tokens: request.max_tokens ?? null
		},
		response: answer ? { text: answer.text, tool_calls: answer.tool_calls ?? [], finish_reason: answer.finish_reason ?? null } : null,
		usage: answer ? { prompt_tokens: answer.usage.prompt_tokens, completion_tokens: answer.usage.completion_tokens, total_tokens: answer.usage.total_tokens } : null,
		cost_usd: answer ? answer.cost_usd : null,
		latency_ms: Math.max(0, Math.round(input.latencyMs)),
		error: "error" in outcome ? outcome.error.message : null,
		truncated: false
	};
	// Masked before cutting: a cut must never leave part of a secret unmasked.
	const masked = maskDeep(record, input.secretValues);
	return capStrings(masked, input.maxBytes);
}

const utf8 = (s: string): number => Buffer.byteLength(s, "utf8");

/** `text` cut to at most `max` bytes (on a character boundary), the marker included. */
export function cutText(text: string, max: number): string {
	const size = utf8(text);
	if (size <= max) return text;
	let keep = Math.max(0, max - utf8(truncationMarker(size)));
	// Back off to a character boundary: a UTF-8 continuation byte is 10xxxxxx.
	const bytes = Buffer.from(text, "utf8");
	while (keep > 0 && (bytes[keep] & 0xc0) === 0x80) keep--;
	const kept = bytes.subarray(0, keep).toString("utf8");
	return kept + truncationMarker(size - keep);
}

/**
 * The record with its strings cut so that together they fit `maxBytes`: each string longer
 * than an equal share of what the shorter ones leave is cut to that share (the longest text
 * gives up the most, short fields such as ids and names stay whole).
 */
function capStrings(record: CapturedCall, maxBytes: number): CapturedCall {
	const sizes: number[] = [];
	const collect = (v: unknown): void => {
		if (typeof v === "string") sizes.push(utf8(v));
		else if (Array.isArray(v)) v.forEach(collect);
		else if (v !== null && typeof v === "object") Object.values(v).forEach(collect);
	};
	collect(record);
	const total = sizes.reduce((a, b) => a + b, 0);
	if (total <= maxBytes) return record;
	// The largest share s with sum(min(size, s)) <= maxBytes.
	sizes.sort((a, b) => a - b);
	let left = maxBytes;
	let share = 0;
	for (let i = 0; i < sizes.length; i++) {
		const even = Math.floor(left / (sizes.length - i));
		if (sizes[i] > even) {
			share = even;
			break;
		}
		left -= sizes[i];
	}
	const cut = (v: unknown): unknown => {
		if (typeof v === "string") return cutText(v, share);
		if (Array.isArray(v)) return v.map(cut);
		if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, cut(inner)]));
		return v;
	};
	return { ...(cut(record) as CapturedCall), truncated: true };
}
