/** At most `size` tasks at once; the rest wait their turn, first come first served. */
export class Slots {
	private active = 0;
	private readonly waiting: (() => void)[] = [];

	constructor(private readonly size: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active >= this.size) await new Promise<void>(resolve => this.waiting.push(resolve));
		else this.active++;
		try {
			return await task();
		} finally {
			// The slot passes straight to the next in line, or is given back.
			const next = this.waiting.shift();
			if (next) next();
			else this.active--;
		}
	}
}
