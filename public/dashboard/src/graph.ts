/**
 * A workflow's DAG as SVG: steps as boxes (name, type, condition), dependencies as
 * arrows; a run's view colours each box by its step's status, written out as text too
 * so that colour is never the only sign.
 */
import { h, svg } from "./dom";
import { DEFAULT_SIZE, layoutDag } from "./graph-layout";

export interface GraphStep {
	id: string;
	name: string;
	type: string;
	depends_on: readonly string[];
	condition?: string | null;
	approval_required?: boolean | string;
}

export interface GraphView {
	element: HTMLElement;
	setStatus(stepId: string, status: string, note?: string): void;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

// Characters that fit a box's inner width (nodeWidth less 10 px each side) at each line's font size (app.css), counted
// with wide glyphs so that a label never runs past its box; the full text is in the box's title.
const NAME_CHARS = 18; // 13px bold
const LINE_CHARS = 24; // 12px and 11px

export function drawGraph(steps: readonly GraphStep[], caption: string): GraphView {
	const layout = layoutDag(steps);
	const { nodeWidth: w, nodeHeight: hgt } = DEFAULT_SIZE;
	const pos = new Map(layout.nodes.map(n => [n.id, n]));
	const markerId = `arrow-${Math.random().toString(36).slice(2, 8)}`;
	const root = svg("svg", {
		viewBox: `0 0 ${layout.width} ${layout.height}`,
		width: layout.width,
		height: layout.height,
		class: "dag",
		role: "img",
		"aria-label": `${caption}: ${steps.length} steps. ${steps.map(s => `${s.id} (${s.type})${s.depends_on.length ? ` after ${s.depends_on.join(", ")}` : ""}`).join("; ")}`
	});
	root.append(
		svg("defs", {}, svg("marker", { id: markerId, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: "auto-start-reverse" }, svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrow" })))
	);
	for (const edge of layout.edges) {
		// Curves across the gaps between layers, straight through the layers an edge passes.
		const [first, ...rest] = edge.points;
		let d = `M ${first.x} ${first.y}`;
		let prev = first;
		rest.forEach((p, i) => {
			if (i % 2 === 0) {
				const mid = (prev.x + p.x) / 2;
				d += ` C ${mid} ${prev.y}, ${mid} ${p.y}, ${p.x} ${p.y}`;
			} else d += ` L ${p.x} ${p.y}`;
			prev = p;
		});
		root.append(svg("path", { d, class: "edge", "marker-end": `url(#${markerId})`, "data-from": edge.from, "data-to": edge.to }));
	}
	const nodes = new Map<string, { group: SVGGElement; status: SVGTextElement; title: SVGTitleElement }>();
	for (const step of steps) {
		const p = pos.get(step.id)!;
		const extra = step.condition ? `if ${step.condition}` : step.approval_required ? "needs approval" : "";
		const title = svg("title", {}, `${step.name} (${step.id}), ${step.type}${extra ? `, ${extra}` : ""}`);
		// Its own line, so a long status never runs over the name.
		const status = svg("text", { x: p.x + 10, y: p.y + 70, class: "node-status" }, "");
		const group = svg(
			"g",
			{ class: "node", "data-step-id": step.id, "data-status": "none" },
			title,
			svg("rect", { x: p.x, y: p.y, width: w, height: hgt, rx: 8 }),
			svg("text", { x: p.x + 10, y: p.y + 19, class: "node-name" }, clip(step.name || step.id, NAME_CHARS)),
			svg("text", { x: p.x + 10, y: p.y + 36, class: "node-type" }, clip(step.type, LINE_CHARS)),
			svg("text", { x: p.x + 10, y: p.y + 52, class: "node-condition" }, clip(extra, LINE_CHARS)),
			status
		);
		nodes.set(step.id, { group, status, title });
		root.append(group);
	}
	const element = h("figure", { class: "graph" }, h("div", { class: "graph-scroll", tabindex: 0, "aria-label": `${caption} (scrolls)` }, root as unknown as Node), h("figcaption", {}, caption));
	return {
		element,
		setStatus(stepId, value, note) {
			const node = nodes.get(stepId);
			if (!node) return;
			node.group.setAttribute("data-status", value);
			node.group.setAttribute("class", `node status-${value}`);
			node.status.textContent = clip(note ? `${value} · ${note}` : value, LINE_CHARS);
		}
	};
}
