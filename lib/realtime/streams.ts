/**
 * Each execution's message stream on one node: engine updates put back in sequence order
 * (they reach a gateway from several execution nodes, not always in order), tokens placed
 * after the event they follow, and the recent messages kept for clients that resume.
 * Pure: time comes from `now()`, and the owner calls `flushDue()` on a timer.
 */
import { messagesOfUpdate, tokenMessage, type EngineUpdateMessage, type ExecutionMessage, type TokenMessage } from "./messages";

export interface StreamOptions {
	/** How long a stream's messages are kept after its last one (ms). */
	retentionMs: number;
	/** Most messages kept per execution; older ones go first. */
	maxMessages: number;
	/** How long an update waits for an earlier one still on its way before the stream moves past the gap (ms). */
	reorderWindowMs: number;
	now(): number;
	/** Receives messages in sequence order, once each. */
	deliver(messages: ExecutionMessage[]): void;
	/** An earlier update never came (its messages are missing from the stream), or tokens came for a run never seen. */
	onLoss?(executionId: string, what: "gap" | "orphan_tokens", count: number): void;
}

interface Run {
	workflow_id: string;
	execution_id: string;
	owner_id: string;
}

interface Stream {
	run: Run | null;
	/** Engine sequence number of the last event released; 0 before the first. */
	released: number;
	/** Updates that arrived ahead of a missing one, by the sequence number of their first event. */
	held: Map<number, { update: EngineUpdateMessage; since: number }>;
	/** Tokens of a run whose first update has not arrived yet. */
	early: { token: TokenMessage; at: number }[];
	/** Tokens released since the last event (their place after it). */
	tokens: number;
	log: ExecutionMessage[];
	/** Sequence number of the last message let go of for the log's limit; 0 while none was. */
	trimmedTo: number;
	touched: number;
}

export class ExecutionStreams {
	private readonly streams = new Map<string, Stream>();

	constructor(private readonly opts: StreamOptions) {}

	get size(): number {
		return this.streams.size;
	}

	/** Owner and workflow of a run this node has seen. */
	run(executionId: string): Run | null {
		return this.streams.get(executionId)?.run ?? null;
	}

	acceptUpdate(update: EngineUpdateMessage): void {
		if (update.events.length === 0) return;
		const s = this.stream(update.execution.execution_id);
		s.run ??= { workflow_id: update.execution.workflow_id, execution_id: update.execution.execution_id, owner_id: update.execution.owner_id };
		const first = update.events[0].seq;
		const last = update.events.at(-1)!.seq;
		if (last <= s.released) return; // already released (a repeated broadcast)
		// The first update this node sees of a run that began before it: start there, unless it began here.
		if (s.released === 0 && first > 1 && s.held.size === 0) {
			s.held.set(first, { update, since: this.opts.now() });
			return;
		}
		if (first !== s.released + 1) {
			if (!s.held.has(first)) s.held.set(first, { update, since: this.opts.now() });
			return;
		}
		this.release(s, update);
		this.releaseHeld(s);
	}

	acceptToken(token: TokenMessage): void {
		if (!token.execution_id) return;
		const s = this.stream(token.execution_id);
		if (!s.run || s.released === 0) {
			s.early.push({ token, at: this.opts.now() });
			return;
		}
		this.releaseToken(s, token);
	}

	/** Messages of `executionId` after `since`, in order (what a resuming client missed). */
	replay(executionId: string, since: number): ExecutionMessage[] {
		const log = this.streams.get(executionId)?.log ?? [];
		let lo = 0;
		let hi = log.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (log[mid].envelope.seq <= since) lo = mid + 1;
			else hi = mid;
		}
		return log.slice(lo);
	}

	/**
	 * Whether the kept messages hold everything after `since`: false when older ones were
	 * let go (the log's limit) or the whole stream was (retention) and the client had seen part of it.
	 */
	covers(executionId: string, since: number): boolean {
		const s = this.streams.get(executionId);
		if (!s) return since === 0;
		return s.trimmedTo <= since;
	}

	/** Moves past gaps that waited longer than the reorder window; forgets streams idle past retention. */
	flushDue(): void {
		const now = this.opts.now();
		for (const [id, s] of this.streams) {
			if (s.held.size) {
				const oldest = Math.min(...[...s.held.values()].map(h => h.since));
				if (now - oldest >= this.opts.reorderWindowMs) {
					const next = Math.min(...s.held.keys());
					const gap = next - s.released - 1;
					if (s.released > 0 && gap > 0) this.opts.onLoss?.(id, "gap", gap);
					const { update } = s.held.get(next)!;
					s.held.delete(next);
					this.release(s, update);
					this.releaseHeld(s);
				}
			}
			if (s.early.length && s.early[0].at + this.opts.reorderWindowMs <= now) {
				this.opts.onLoss?.(id, "orphan_tokens", s.early.length);
				s.early = [];
			}
			if (!s.held.size && !s.early.length && now - s.touched >= this.opts.retentionMs) this.streams.delete(id);
		}
	}

	private stream(executionId: string): Stream {
		let s = this.streams.get(executionId);
		if (!s) {
			s = { run: null, released: 0, held: new Map(), early: [], tokens: 0, log: [], trimmedTo: 0, touched: this.opts.now() };
			this.streams.set(executionId, s);
		}
		return s;
	}

	private releaseHeld(s: Stream): void {
		for (let next = s.held.get(s.released + 1); next; next = s.held.get(s.released + 1)) {
			s.held.delete(s.released + 1);
			this.release(s, next.update);
		}
		// Repeats of updates already released can be left behind by the loop above.
		for (const first of s.held.keys()) if (first <= s.released) s.held.delete(first);
	}

	private release(s: Stream, update: EngineUpdateMessage): void {
		const now = this.opts.now();
		const messages = messagesOfUpdate(update, now);
		s.released = update.events.at(-1)!.seq;
		s.tokens = 0;
		this.keep(s, messages, now);
		this.opts.deliver(messages);
		if (s.early.length) {
			const early = s.early;
			s.early = [];
			for (const { token } of early) this.releaseToken(s, token);
		}
	}

	private releaseToken(s: Stream, token: TokenMessage): void {
		const now = this.opts.now();
		const message = tokenMessage(token, s.run!, s.released, s.tokens, now);
		if (!message) return;
		s.tokens++;
		this.keep(s, [message], now);
		this.opts.deliver([message]);
	}

	private keep(s: Stream, messages: ExecutionMessage[], now: number): void {
		s.log.push(...messages);
		if (s.log.length > this.opts.maxMessages) {
			const gone = s.log.splice(0, s.log.length - this.opts.maxMessages);
			s.trimmedTo = gone.at(-1)!.envelope.seq;
		}
		s.touched = now;
	}
}
