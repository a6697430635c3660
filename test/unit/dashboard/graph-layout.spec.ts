import { DEFAULT_SIZE, layersOf, layoutDag } from "../../../public/dashboard/src/graph-layout";

const step = (id: string, ...depends_on: string[]) => ({ id, depends_on });

describe("dashboard graph layout", () => {
	it("puts each step one layer right of its deepest dependency", () => {
		const layers = layersOf([step("a"), step("b", "a"), step("c", "a"), step("d", "b", "c"), step("e", "a", "d")]);
		expect(Object.fromEntries(layers)).toEqual({ a: 0, b: 1, c: 1, d: 2, e: 3 });
	});

	it("ignores unknown dependencies and does not hang on a cycle", () => {
		expect(Object.fromEntries(layersOf([step("a", "ghost"), step("b", "c"), step("c", "b")]))).toEqual({ a: 0, b: 2, c: 1 });
	});

	it("places nodes without overlap, edges for every known dependency, and a size that holds them", () => {
		const steps = [step("a"), step("b", "a"), step("c", "a"), step("d", "a"), step("e", "b", "c", "d", "ghost")];
		const layout = layoutDag(steps);
		expect(layout.nodes.map(n => n.id)).toEqual(["a", "b", "c", "d", "e"]);
		expect(layout.edges).toHaveLength(6);
		const { nodeWidth, nodeHeight } = DEFAULT_SIZE;
		for (const n of layout.nodes) {
			expect(n.x + nodeWidth).toBeLessThanOrEqual(layout.width);
			expect(n.y + nodeHeight).toBeLessThanOrEqual(layout.height);
		}
		for (const a of layout.nodes)
			for (const b of layout.nodes) {
				if (a === b) continue;
				const apart = a.x + nodeWidth <= b.x || b.x + nodeWidth <= a.x || a.y + nodeHeight <= b.y || b.y + nodeHeight <= a.y;
				expect({ a: a.id, b: b.id, apart }).toEqual({ a: a.id, b: b.id, apart: true });
			}
		// Every edge runs left to right.
		const x = new Map(layout.nodes.map(n => [n.id, n.x]));
		for (const e of layout.edges) expect(x.get(e.from)!).toBeLessThan(x.get(e.to)!);
	});

	it("orders a layer by its parents so that two chains do not cross", () => {
		// Without ordering, b2 (child of a1) would sit above b1 (child of a2)... given in crossing order.
		const layout = layoutDag([step("a1"), step("a2"), step("b2", "a2"), step("b1", "a1")]);
		const row = new Map(layout.nodes.map(n => [n.id, n.row]));
		expect(row.get("b1")).toBe(row.get("a1"));
		expect(row.get("b2")).toBe(row.get("a2"));
	});

	it("routes an edge that skips layers beside the steps of those layers, never under them", () => {
		// summary is in layer 1 and publish in layer 3: their edge passes layer 2, where totals is.
		const layout = layoutDag([step("gather"), step("pause", "gather"), step("summary", "gather"), step("totals", "pause"), step("publish", "totals", "summary")]);
		const { nodeWidth, nodeHeight } = DEFAULT_SIZE;
		const long = layout.edges.find(e => e.from === "summary" && e.to === "publish")!;
		expect(long.points).toHaveLength(4);
		for (const p of long.points)
			for (const n of layout.nodes) {
				const inside = p.x > n.x && p.x < n.x + nodeWidth && p.y > n.y && p.y < n.y + nodeHeight;
				expect({ node: n.id, inside }).toEqual({ node: n.id, inside: false });
			}
		// The straight part crosses the skipped layer at one height, clear of its step.
		const [, enter, leave] = long.points;
		expect(enter.y).toBe(leave.y);
		const totals = layout.nodes.find(n => n.id === "totals")!;
		expect(enter.y < totals.y || enter.y > totals.y + nodeHeight).toBe(true);
	});
});
