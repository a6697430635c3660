/**
 * Metric label values a user chooses (workflow ids, model names) kept bounded: a label
 * value is a time series in every Prometheus that scrapes us, so a user who mints ids
 * must not be able to mint series. Values in `known` pass; of the rest, the first
 * `keepFirst` seen pass and later ones read `other`. With `keepFirst` 0 and nothing
 * known, every value reads `all`: the label is kept (dashboards group by it) but says
 * nothing about anyone.
 */
export class LabelValues {
	private readonly seen = new Set<string>();

	constructor(
		private readonly keepFirst: number,
		private readonly known: ReadonlySet<string> = new Set()
	) {}

	of(value: string): string {
		if (this.known.has(value) || this.seen.has(value)) return value;
		if (this.seen.size < this.keepFirst) {
			this.seen.add(value);
			return value;
		}
		return this.keepFirst === 0 && this.known.size === 0 ? "all" : "other";
	}
}
