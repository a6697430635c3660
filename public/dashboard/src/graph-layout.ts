/**
 * Where each step of a DAG goes on the page: layers by longest path from the roots
 * (a step sits one layer right of its deepest dependency), then a few barycenter sweeps
 * to order each layer so that edges cross less. Pure: no DOM, tested in test/unit.
 */

export interface LayoutStep {
	id: string;
	depends_on: readonly string[];
}

export interface PlacedNode {
	id: string;
	layer: number;
	/** Position within its layer, from the top. */
	row: number;
	x: number;
	y: number;
}

export interface PlacedEdge {
	from: string;
	to: string;
}

export interface Layout {
	nodes: PlacedNode[];
	edges: PlacedEdge[];
	width: number;
	height: number;
}

export interface LayoutSize {
	nodeWidth: number;
	nodeHeight: number;
	/** Space between layers (horizontal) and between rows (vertical). */
	gapX: number;
	gapY: number;
	margin: number;
}

export const DEFAULT_SIZE: LayoutSize = { nodeWidth: 176, nodeHeight: 64, gapX: 56, gapY: 20, margin: 12 };

// Sweeps of the barycenter heuristic: a few settle small DAGs; more rarely help.
const ORDER_SWEEPS = 4;

/** Layer of each step: 0 for steps without dependencies, else one more than the deepest dependency. Unknown ids are ignored; a cycle does not hang. */
export function layersOf(steps: readonly LayoutStep[]): Map<string, number> {
	const byId = new Map(steps.map(s => [s.id, s]));
	const layer = new Map<string, number>();
	const visiting = new Set<string>();
	const visit = (id: string): number => {
		const known = layer.get(id);
		if (known !== undefined) return known;
		if (visiting.has(id)) return 0;
		visiting.add(id);
		const deps = (byId.get(id)?.depends_on ?? []).filter(d => byId.has(d));
		const value = deps.length ? Math.max(...deps.map(visit)) + 1 : 0;
		visiting.delete(id);
		layer.set(id, value);
		return value;
	};
	for (const s of steps) visit(s.id);
	return layer;
}

export function layoutDag(steps: readonly LayoutStep[], size: LayoutSize = DEFAULT_SIZE): Layout {
	const ids = new Set(steps.map(s => s.id));
	const layer = layersOf(steps);
	const edges: PlacedEdge[] = steps.flatMap(s => s.depends_on.filter(d => ids.has(d)).map(d => ({ from: d, to: s.id })));
	const columns: string[][] = [];
	for (const s of steps) (columns[layer.get(s.id)!] ??= []).push(s.id);
	for (let i = 0; i < columns.length; i++) columns[i] ??= [];

	const parents = new Map<string, string[]>();
	const children = new Map<string, string[]>();
	for (const e of edges) {
		(parents.get(e.to) ?? parents.set(e.to, []).get(e.to)!).push(e.from);
		(children.get(e.from) ?? children.set(e.from, []).get(e.from)!).push(e.to);
	}
	const rowOf = new Map<string, number>();
	const index = () => columns.forEach(col => col.forEach((id, row) => rowOf.set(id, row)));
	index();
	const reorder = (col: string[], neighbours: Map<string, string[]>) => {
		const weight = new Map(
			col.map((id, row) => {
				const near = neighbours.get(id) ?? [];
				return [id, near.length ? near.reduce((sum, n) => sum + rowOf.get(n)!, 0) / near.length : row] as const;
			})
		);
		// A stable sort keeps the definition's order among equals.
		col.sort((a, b) => weight.get(a)! - weight.get(b)!);
	};
	for (let sweep = 0; sweep < ORDER_SWEEPS; sweep++) {
		if (sweep % 2 === 0) for (let i = 1; i < columns.length; i++) reorder(columns[i], parents);
		else for (let i = columns.length - 2; i >= 0; i--) reorder(columns[i], children);
		index();
	}

	const tallest = Math.max(1, ...columns.map(c => c.length));
	const innerHeight = tallest * size.nodeHeight + (tallest - 1) * size.gapY;
	const nodes: PlacedNode[] = [];
	columns.forEach((col, l) => {
		const colHeight = col.length * size.nodeHeight + (col.length - 1) * size.gapY;
		const top = size.margin + (innerHeight - colHeight) / 2;
		col.forEach((id, row) => {
			nodes.push({ id, layer: l, row, x: size.margin + l * (size.nodeWidth + size.gapX), y: top + row * (size.nodeHeight + size.gapY) });
		});
	});
	const order = new Map(steps.map((s, i) => [s.id, i]));
	nodes.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
	return {
		nodes,
		edges,
		width: size.margin * 2 + columns.length * size.nodeWidth + Math.max(0, columns.length - 1) * size.gapX,
		height: size.margin * 2 + innerHeight
	};
}
