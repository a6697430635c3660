/**
 * Where each step of a DAG goes on the page: layers by longest path from the roots
 * (a step sits one layer right of its deepest dependency), waypoints for edges that skip
 * layers, then a few barycenter sweeps to order each layer so that edges cross less.
 * Pure: no DOM, tested in test/unit.
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
	/** From the source's right side to the target's left side; pairs of points between cross a layer straight. */
	points: { x: number; y: number }[];
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

// Four lines per box (name, type, condition, status); wide enough for a short condition ("if ${{ inputs.weeks }} > 0").
export const DEFAULT_SIZE: LayoutSize = { nodeWidth: 200, nodeHeight: 80, gapX: 56, gapY: 20, margin: 12 };

// Height of the lane an edge takes through a layer it passes.
const WAYPOINT_HEIGHT = 12;

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
	const dependencies = steps.flatMap(s => s.depends_on.filter(d => ids.has(d)).map(d => ({ from: d, to: s.id })));
	const columns: string[][] = [];
	for (const s of steps) (columns[layer.get(s.id)!] ??= []).push(s.id);
	for (let i = 0; i < columns.length; i++) columns[i] ??= [];

	// An edge that spans several layers passes through a waypoint in each layer between, so
	// that it is ordered with the nodes there and never runs under one of them.
	const waypoints = new Map<string, string[]>();
	const segments: PlacedEdge[] = [];
	let seq = 0;
	for (const e of dependencies) {
		const via: string[] = [];
		for (let l = layer.get(e.from)! + 1; l < layer.get(e.to)!; l++) {
			const id = `\u0000${seq++}`;
			via.push(id);
			columns[l].push(id);
		}
		waypoints.set(`${e.from}\u0000${e.to}`, via);
		const chain = [e.from, ...via, e.to];
		for (let i = 1; i < chain.length; i++) segments.push({ from: chain[i - 1], to: chain[i], points: [] });
	}
	const isWaypoint = (id: string) => id.startsWith("\u0000");

	const parents = new Map<string, string[]>();
	const children = new Map<string, string[]>();
	for (const e of segments) {
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

	// Waypoints take a thin slot; steps a full one.
	const slot = (id: string) => (isWaypoint(id) ? WAYPOINT_HEIGHT : size.nodeHeight);
	const colHeight = (col: string[]) => col.reduce((sum, id) => sum + slot(id), 0) + Math.max(0, col.length - 1) * size.gapY;
	const innerHeight = Math.max(size.nodeHeight, ...columns.map(colHeight));
	const nodes: PlacedNode[] = [];
	const centre = new Map<string, { x: number; y: number }>();
	columns.forEach((col, l) => {
		let y = size.margin + (innerHeight - colHeight(col)) / 2;
		const x = size.margin + l * (size.nodeWidth + size.gapX);
		col.forEach((id, row) => {
			centre.set(id, { x, y: y + slot(id) / 2 });
			if (!isWaypoint(id)) nodes.push({ id, layer: l, row: col.slice(0, row).filter(c => !isWaypoint(c)).length, x, y });
			y += slot(id) + size.gapY;
		});
	});
	const order = new Map(steps.map((s, i) => [s.id, i]));
	nodes.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
	const edges: PlacedEdge[] = dependencies.map(e => {
		const a = centre.get(e.from)!;
		const b = centre.get(e.to)!;
		const points = [{ x: a.x + size.nodeWidth, y: a.y }];
		for (const w of waypoints.get(`${e.from}\u0000${e.to}`)!) {
			const p = centre.get(w)!;
			points.push({ x: p.x, y: p.y }, { x: p.x + size.nodeWidth, y: p.y });
		}
		points.push({ x: b.x, y: b.y });
		return { from: e.from, to: e.to, points };
	});
	return {
		nodes,
		edges,
		width: size.margin * 2 + columns.length * size.nodeWidth + Math.max(0, columns.length - 1) * size.gapX,
		height: size.margin * 2 + innerHeight
	};
}
