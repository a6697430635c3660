/**
 * Prometheus text exposition (version 0.0.4) of metric families held in the shape of
 * Moleculer's registry, written so that `promtool check metrics` finds nothing to say:
 * counters end in `_total` and nothing else does, histograms carry only buckets, sum and
 * count, summaries only quantiles, sum and count, label names are snake_case.
 */
export interface MetricSample {
	labels?: Record<string, unknown>;
	value?: unknown;
	buckets?: Record<string, number>;
	quantiles?: Record<string, number>;
	count?: number;
	sum?: number;
}

export interface MetricFamilySource {
	name: string;
	type: string;
	description?: string;
	unit?: string;
	/** A histogram's bucket bounds, when it has them. */
	buckets?: unknown;
	snapshot(): MetricSample[];
}

export function metricName(raw: string, type: string): string {
	let name = raw.replace(/[^a-zA-Z0-9_:]/g, "_");
	if (/^\d/.test(name)) name = `_${name}`;
	if (type === "counter") return name.endsWith("_total") ? name : `${name}_total`;
	// Only counters may end in _total; Moleculer names some gauges `…_total` (a size, not a count of events).
	return name.endsWith("_total") ? name.slice(0, -"_total".length) : name;
}

export function labelName(raw: string): string {
	return raw
		.replace(/([a-z0-9])([A-Z])/g, "$1_$2")
		.replace(/[^a-zA-Z0-9_]/g, "_")
		.toLowerCase();
}

function labelValue(v: unknown): string {
	const s = v === null || v === undefined ? "" : String(v);
	return s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function helpText(s: string): string {
	return s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function num(v: unknown): string {
	if (typeof v !== "number") return "NaN";
	if (v === Infinity) return "+Inf";
	if (v === -Infinity) return "-Inf";
	return String(v);
}

function labels(base: Record<string, unknown> | undefined, extra?: Record<string, string>): string {
	const parts: string[] = [];
	for (const [k, v] of Object.entries(base ?? {})) parts.push(`${labelName(k)}="${labelValue(v)}"`);
	for (const [k, v] of Object.entries(extra ?? {})) parts.push(`${k}="${labelValue(v)}"`);
	return parts.length ? `{${parts.join(",")}}` : "";
}

function bucketBound(le: string): string {
	const n = Number(le);
	return Number.isFinite(n) ? String(n) : le;
}

/**
 * Renders every family, with HELP and TYPE also before its first sample (a family is
 * declared from start-up); families whose names collide after cleaning keep the first.
 */
export function renderExposition(families: Iterable<MetricFamilySource>, skip: (name: string) => boolean = () => false): string {
	const out: string[] = [];
	const seen = new Set<string>();
	for (const family of families) {
		if (skip(family.name)) continue;
		const samples = family.snapshot();
		const isHistogram = family.type === "histogram";
		// A histogram with buckets (declared, or seen in its samples) is one; Moleculer's quantile-only ones are summaries.
		const hasBuckets = isHistogram && ((Array.isArray(family.buckets) && family.buckets.length > 0) || samples.some(s => s.buckets && Object.keys(s.buckets).length > 0));
		const type = isHistogram ? (hasBuckets ? "histogram" : "summary") : family.type === "counter" ? "counter" : "gauge";
		const name = metricName(family.name, type);
		if (seen.has(name)) continue;
		seen.add(name);
		out.push(`# HELP ${name} ${helpText(family.description || family.name + (family.unit ? ` (${family.unit})` : ""))}`);
		out.push(`# TYPE ${name} ${type}`);
		for (const s of samples) {
			if (type === "histogram") {
				const buckets = Object.entries(s.buckets ?? {}).sort(([a], [b]) => Number(a) - Number(b));
				for (const [le, count] of buckets) out.push(`${name}_bucket${labels(s.labels, { le: bucketBound(le) })} ${num(count)}`);
				out.push(`${name}_bucket${labels(s.labels, { le: "+Inf" })} ${num(s.count ?? 0)}`);
				out.push(`${name}_sum${labels(s.labels)} ${num(s.sum ?? 0)}`);
				out.push(`${name}_count${labels(s.labels)} ${num(s.count ?? 0)}`);
			} else if (type === "summary") {
				for (const [q, v] of Object.entries(s.quantiles ?? {})) out.push(`${name}${labels(s.labels, { quantile: q })} ${num(v)}`);
				out.push(`${name}_sum${labels(s.labels)} ${num(s.sum ?? 0)}`);
				out.push(`${name}_count${labels(s.labels)} ${num(s.count ?? 0)}`);
			} else if (family.type === "info") {
				out.push(`${name}${labels(s.labels, { value: String(s.value ?? "") })} 1`);
			} else {
				out.push(`${name}${labels(s.labels)} ${num(s.value)}`);
			}
		}
	}
	out.push("");
	return out.join("\n");
}
