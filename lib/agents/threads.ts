/**
 * Conversation threads: an agent step with `thread` continues the messages (tool calls and
 * results included) its thread holds, and saves them back when it completes. A thread is
 * capped: past THREAD_MAX_MESSAGES messages or THREAD_MAX_BYTES of JSON, its oldest turns
 * are dropped (whole turns: a thread never starts with a tool result), and the count of
 * dropped messages is kept.
 */
import type { Database } from "../db/database";
import type { ChatMessage } from "../llm/types";

/** Messages a thread keeps; older ones are dropped. */
export const THREAD_MAX_MESSAGES = 200;
/** Bytes of JSON a thread keeps (256 KiB): every turn sends the whole thread to the model. */
export const THREAD_MAX_BYTES = 256 * 1024;

export interface ThreadView {
	thread_id: string;
	messages: ChatMessage[];
	message_count: number;
	dropped: number;
	last_execution_id: string | null;
	created_at: number;
	updated_at: number;
}

/** The messages a thread keeps: the newest ones within both caps, starting at a user message. */
export function capThread(messages: readonly ChatMessage[]): { kept: ChatMessage[]; dropped: number } {
	let start = Math.max(0, messages.length - THREAD_MAX_MESSAGES);
	let bytes = messages.slice(start).reduce((n, m) => n + Buffer.byteLength(JSON.stringify(m)), 0);
	while (start < messages.length && bytes > THREAD_MAX_BYTES) bytes -= Buffer.byteLength(JSON.stringify(messages[start++]));
	while (start < messages.length && messages[start].role !== "user") start++;
	return { kept: messages.slice(start), dropped: start };
}

export class ThreadStore {
	constructor(
		private readonly db: Database,
		private readonly now: () => number = Date.now
	) {}

	async get(ownerId: string, threadId: string): Promise<ThreadView | null> {
		const [row] = await this.db.sql.all<Record<string, unknown>>("SELECT * FROM agent_threads WHERE owner_id = $1 AND thread_id = $2", [ownerId, threadId]);
		if (!row) return null;
		return {
			thread_id: String(row.thread_id),
			messages: JSON.parse(String(row.messages)) as ChatMessage[],
			message_count: Number(row.message_count),
			dropped: Number(row.dropped),
			last_execution_id: (row.last_execution_id as string | null) ?? null,
			created_at: Number(row.created_at),
			updated_at: Number(row.updated_at)
		};
	}

	async messages(ownerId: string, threadId: string): Promise<ChatMessage[]> {
		return (await this.get(ownerId, threadId))?.messages ?? [];
	}

	/** Saves the whole conversation of a run as the thread (it began from the thread's messages). */
	async save(ownerId: string, threadId: string, messages: readonly ChatMessage[], executionId: string): Promise<void> {
		const { kept, dropped } = capThread(messages.filter(m => m.role !== "system"));
		const now = this.now();
		await this.db.sqlTransaction(async sql => {
			const [old] = await sql.all<{ dropped: number }>("SELECT dropped FROM agent_threads WHERE owner_id = $1 AND thread_id = $2", [ownerId, threadId]);
			if (old) {
				await sql.run("UPDATE agent_threads SET messages = $3, message_count = $4, dropped = $5, last_execution_id = $6, updated_at = $7 WHERE owner_id = $1 AND thread_id = $2", [
					ownerId,
					threadId,
					JSON.stringify(kept),
					kept.length,
					Number(old.dropped) + dropped,
					executionId,
					now
				]);
			} else {
				await sql.run(
					"INSERT INTO agent_threads (owner_id, thread_id, messages, message_count, dropped, last_execution_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
					[ownerId, threadId, JSON.stringify(kept), kept.length, dropped, executionId, now]
				);
			}
		});
	}

	async delete(ownerId: string, threadId: string): Promise<boolean> {
		return (await this.db.sqlTransaction(sql => sql.run("DELETE FROM agent_threads WHERE owner_id = $1 AND thread_id = $2", [ownerId, threadId]))) > 0;
	}
}
