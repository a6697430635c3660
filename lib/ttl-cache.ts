/**
 * A small in-process cache whose entries expire at their own time, bounded in entries and
 * optionally in weight (bytes, say): the least recently used entries go first. For
 * hot-path lookups that must not cost a network round trip per request.
 */
export class TtlCache<V> {
	private readonly entries = new Map<string, { value: V; expiresAt: number; weight: number }>();
	private weight = 0;

	constructor(
		private readonly maxEntries: number,
		private readonly now: () => number = Date.now,
		/** Total weight the entries may add up to (each at most this much itself). */
		private readonly maxWeight = Infinity
	) {}

	get(key: string): V | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (entry.expiresAt <= this.now()) {
			this.delete(key);
			return undefined;
		}
		// Most recently used last: eviction takes from the front.
		this.entries.delete(key);
		this.entries.set(key, entry);
		return entry.value;
	}

	/** Keeps `value` until `expiresAt`; an entry heavier than the whole budget is not kept. */
	set(key: string, value: V, expiresAt: number, weight = 1): void {
		this.delete(key);
		if (weight > this.maxWeight) return;
		while (this.entries.size && (this.entries.size >= this.maxEntries || this.weight + weight > this.maxWeight)) this.delete(this.entries.keys().next().value as string);
		this.entries.set(key, { value, expiresAt, weight });
		this.weight += weight;
	}

	delete(key: string): void {
		const entry = this.entries.get(key);
		if (!entry) return;
		this.entries.delete(key);
		this.weight -= entry.weight;
	}

	clear(): void {
		this.entries.clear();
		this.weight = 0;
	}

	get size(): number {
		return this.entries.size;
	}

	/** What the entries weigh together. */
	get totalWeight(): number {
		return this.weight;
	}
}
