/** A few DOM helpers: elements from tags and props, and the formats the pages share. */

type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown> & { on?: Record<string, (event: Event) => void> };

/** `h("button", {type: "button", on: {click}}, "Run")`; attributes as given, `class`, `for` included. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
	const el = document.createElement(tag);
	for (const [name, value] of Object.entries(props ?? {})) {
		if (name === "on") {
			for (const [type, listener] of Object.entries(value as Record<string, EventListener>)) el.addEventListener(type, listener);
		} else if (value === true) el.setAttribute(name, "");
		else if (value !== false && value !== null && value !== undefined) {
			if (name === "value" && "value" in el) (el as HTMLInputElement).value = String(value);
			else el.setAttribute(name, String(value));
		}
	}
	append(el, children);
	return el;
}

export function append(el: Element, children: (Child | Child[])[]): void {
	for (const child of children.flat()) {
		if (child === null || child === undefined || child === false) continue;
		el.append(typeof child === "number" ? String(child) : child);
	}
}

const SVG = "http://www.w3.org/2000/svg";

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
	const el = document.createElementNS(SVG, tag);
	for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
	el.append(...children);
	return el;
}

export function replace(el: Element, ...children: (Child | Child[])[]): void {
	el.replaceChildren();
	append(el, children);
}

export function dateTime(value: string | null | undefined): string {
	if (!value) return "—";
	const d = new Date(value);
	return Number.isNaN(d.getTime()) ? value : d.toLocaleString();
}

export function usd(value: number | null | undefined): string {
	return value == null ? "—" : `$${value.toFixed(value < 0.01 && value > 0 ? 6 : 4)}`;
}

export function json(value: unknown): string {
	return value === undefined ? "" : JSON.stringify(value, null, 2);
}

let idSeq = 0;
export function uid(prefix: string): string {
	return `${prefix}-${++idSeq}`;
}

/** A labelled form control: the label names the control for assistive technology. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
	control.id ||= uid("f");
	const hintEl = hint ? h("small", { id: `${control.id}-hint`, class: "hint" }, hint) : null;
	if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
	return h("div", { class: "field" }, h("label", { for: control.id }, label), control, hintEl);
}

export function statusBadge(status: string): HTMLElement {
	return h("span", { class: `badge status-${status}` }, status);
}

/** A horizontal bar for a share in [0, 1], its width set through the CSSOM (the page's CSP allows no style attributes). */
export function bar(fraction: number, label: string, kind = ""): HTMLElement {
	const fill = h("span", { class: "bar-fill" });
	fill.style.width = `${Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0)) * 100}%`;
	return h("span", { class: `bar ${kind}`.trim(), role: "img", "aria-label": label, title: label }, fill);
}
