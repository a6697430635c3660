/**
 * Decides which runs' model calls are captured (LLM_CAPTURE, or the workflow's own
 * `llm_capture`) and records them. A transcript is an observation of the call, not part of
 * the run's state: a failed write is logged and the step goes on.
 */
import type { WorkflowDefinition } from "../dsl/model";
import { captureCall, type CaptureInput } from "./capture";
import type { CallKey, LlmCallStore } from "./store";

export interface RecorderOptions {
	/** LLM_CAPTURE */
	enabled: boolean;
	/** LLM_CAPTURE_MAX_BYTES */
	maxBytes: number;
	/** Told when a transcript could not be written. */
	warn(err: Error, key: CallKey): void;
}

export class LlmCallRecorder {
	constructor(
		private readonly store: LlmCallStore,
		private readonly opts: RecorderOptions
	) {}

	/** Whether runs of `definition` have their model calls captured. */
	captures(definition: Pick<WorkflowDefinition, "llm_capture">): boolean {
		return this.opts.enabled || definition.llm_capture === true;
	}

	async record(key: CallKey, input: Omit<CaptureInput, "maxBytes">): Promise<void> {
		try {
			await this.store.record(key, captureCall({ ...input, maxBytes: this.opts.maxBytes }));
		} catch (err) {
			this.opts.warn(err as Error, key);
		}
	}
}
