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

// A box's inner width: nodeWidth less 10 px on each side (px).
const INNER_WIDTH = DEFAULT_SIZE.nodeWidth - 20;
// Each line's font, as app.css sets it for .node-name, the other lines and .node-status.
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const NAME_FONT = `700 13px ${FONT_FAMILY}`;
const LINE_FONT = `12px ${FONT_FAMILY}`;
const STATUS_FONT = `600 11px ${FONT_FAMILY}`;

let measure: CanvasRenderingContext2D | null | undefined;
/** `text` as it fits a box in `font`, measured as the browser draws it: cut with an ellipsis when wider (the box's title has it whole). */
function fit(text: string, font: string): string {
	measure ??= document.createElement("canvas").getContext("2d");
	if (!measure) return text.length > 20 ? `${text.slice(0, 19)}…` : text;
	measure.font = font;
	if (measure.measureText(text).width <= INNER_WIDTH) return text;
	let lo = 0;
	let hi = text.length;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (measure.measureText(`${text.slice(0, mid)}…`).width <= INNER_WIDTH) lo = mid;
		else hi = mid - 1;
	}
	return `${text.slice(0, lo)}…`;
}

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
			svg("text", { x: p.x + 10, y: p.y + 19, class: "node-name" }, fit(step.name || step.id, NAME_FONT)),
			svg("text", { x: p.x + 10, y: p.y + 36, class: "node-type" }, fit(step.type, LINE_FONT)),
			svg("text", { x: p.x + 10, y: p.y + 52, class: "node-condition" }, fit(extra, LINE_FONT)),
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
			node.status.textContent = fit(note ? `${value} · ${note}` : value, STATUS_FONT);
		}
	};
}
