"use strict";
/**
 * Compares two V8 heap snapshots (the soak's start and end, BENCH_SOAK_HEAPSNAPSHOTS):
 * objects and bytes by constructor that grew most, and where the largest collections
 * of the end snapshot hang (their retainers, a few steps up). Shallow (self) sizes, no
 * dominator tree: enough to tell a growing map from the steady state.
 *   node bench/soak/heap-diff.js start.heapsnapshot end.heapsnapshot [top]
 */
const { readFileSync } = require("node:fs");

function load(file) {
	const snap = JSON.parse(readFileSync(file, "utf8"));
	const meta = snap.snapshot.meta;
	const nf = meta.node_fields.length;
	const ef = meta.edge_fields.length;
	const nodeTypes = meta.node_types[0];
	const edgeTypes = meta.edge_types[0];
	const at = name => meta.node_fields.indexOf(name);
	const [T, N, ID, SIZE, EDGES] = [at("type"), at("name"), at("id"), at("self_size"), at("edge_count")];
	const [ET, EN, ETO] = ["type", "name_or_index", "to_node"].map(n => meta.edge_fields.indexOf(n));
	const { nodes, edges, strings } = snap;
	const count = nodes.length / nf;
	const firstEdge = new Uint32Array(count + 1);
	for (let i = 0, e = 0; i < count; i++) {
		firstEdge[i] = e;
		e += nodes[i * nf + EDGES] * ef;
		firstEdge[i + 1] = e;
	}
	const label = i => {
		const type = nodeTypes[nodes[i * nf + T]];
		const name = strings[nodes[i * nf + N]];
		if (type === "object" || type === "closure" || type === "native") return `${type === "closure" ? "closure " : ""}${name}`;
		if (type === "string" || type === "concatenated string" || type === "sliced string") return "(string)";
		return `(${type}) ${name.slice(0, 60)}`;
	};
	return { nodes, edges, strings, nf, ef, count, firstEdge, T, N, ID, SIZE, ET, EN, ETO, nodeTypes, edgeTypes, label };
}

function byLabel(h) {
	const out = new Map();
	for (let i = 0; i < h.count; i++) {
		const key = h.label(i);
		const row = out.get(key) ?? { count: 0, bytes: 0 };
		row.count++;
		row.bytes += h.nodes[i * h.nf + h.SIZE];
		out.set(key, row);
	}
	return out;
}

/** Retainer chains of node `i`, `depth` steps up, one line per step (the first retainer only). */
function retainers(h, i, depth) {
	if (!h.retainedBy) {
		h.retainedBy = new Map();
		for (let from = 0; from < h.count; from++)
			for (let e = h.firstEdge[from]; e < h.firstEdge[from + 1]; e += h.ef) {
				const type = h.edgeTypes[h.edges[e + h.ET]];
				if (type === "weak") continue;
				const to = h.edges[e + h.ETO] / h.nf;
				const name = type === "element" || type === "hidden" ? `[${h.edges[e + h.EN]}]` : h.strings[h.edges[e + h.EN]];
				if (!h.retainedBy.has(to)) h.retainedBy.set(to, []);
				h.retainedBy.get(to).push({ from, name });
			}
	}
	const chain = [];
	const seen = new Set([i]);
	for (let d = 0, cur = i; d < depth; d++) {
		const next = (h.retainedBy.get(cur) ?? []).find(r => !seen.has(r.from));
		if (!next) break;
		chain.push(`${next.name} ← ${h.label(next.from)}`);
		seen.add(next.from);
		cur = next.from;
	}
	return chain;
}

function main() {
	const [startFile, endFile, topArg] = process.argv.slice(2);
	if (!startFile || !endFile) throw new Error("usage: node bench/soak/heap-diff.js start.heapsnapshot end.heapsnapshot [top]");
	const top = Number(topArg ?? 25);
	const start = load(startFile);
	const startRows = byLabel(start);
	const total = rows => [...rows.values()].reduce((s, r) => s + r.bytes, 0);
	const startTotal = total(startRows);
	start.nodes = start.edges = null;
	const end = load(endFile);
	const endRows = byLabel(end);
	const mb = b => (b / 2 ** 20).toFixed(2);
	console.log(`heap (self sizes): start ${mb(startTotal)} MB, end ${mb(total(endRows))} MB`);
	const diff = [...endRows].map(([key, r]) => {
		const s = startRows.get(key) ?? { count: 0, bytes: 0 };
		return { what: key.slice(0, 70), count: r.count - s.count, end_count: r.count, kb: Math.round((r.bytes - s.bytes) / 1024), end_kb: Math.round(r.bytes / 1024) };
	});
	console.log("\ngrew most (bytes):");
	console.table(diff.sort((a, b) => b.kb - a.kb).slice(0, top));
	console.log("\ngrew most (objects):");
	console.table(diff.sort((a, b) => b.count - a.count).slice(0, top));
	// The largest single objects at the end (backing stores of maps and arrays), and what holds them.
	const largest = [];
	for (let i = 0; i < end.count; i++) largest.push([end.nodes[i * end.nf + end.SIZE], i]);
	largest.sort((a, b) => b[0] - a[0]);
	console.log("\nlargest objects at the end, and their retainers:");
	for (const [size, i] of largest.slice(0, Math.min(top, 15))) {
		console.log(`${Math.round(size / 1024)} kB ${end.label(i)}`);
		for (const line of retainers(end, i, 6)) console.log(`    ${line}`);
	}
}

main();
