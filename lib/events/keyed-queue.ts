/**
 * Runs tasks one after another per key and side by side across keys: events of one
 * aggregate are handled in the order they arrived, other aggregates do not wait.
 */
export class KeyedQueue {
	private readonly tails = new Map<string, Promise<unknown>>();

	run<T>(key: string, task: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		const result = previous.then(task, task);
		const tail = result.catch(() => undefined);
		this.tails.set(key, tail);
		void tail.then(() => {
			if (this.tails.get(key) === tail) this.tails.delete(key);
		});
		return result;
	}

	get size(): number {
		return this.tails.size;
	}
}
