/**
 * Evals (README "Evals"): the caller's evals, one eval's per-item scores and each scorer's
 * aggregate, and two evals side by side (`GET /evals/compare`). Outputs, inputs and the
 * judge's reasons are shown as text only.
 */
import { async, pager, type App } from "../app";
import { bar, dateTime, field, h, replace, statusBadge } from "../dom";

interface Score {
	score: number;
	error?: string;
	reason?: string;
}

interface EvalSummary {
	id: string;
	workflow_id: string;
	workflow_version: string;
	dataset_id: string;
	scorers: { type: string; name: string }[];
	status: "running" | "completed" | "failed";
	error: string | null;
	aggregates: Record<string, number> | null;
	progress: { items: number; scored: number };
	owner_id: string;
	created_at: string;
	completed_at: string | null;
}

interface EvalItem {
	position: number;
	inputs: Record<string, unknown>;
	expected: unknown;
	execution_id: string | null;
	run_status: string | null;
	outputs: unknown;
	scores: Record<string, Score> | null;
	error: string | null;
}

interface Eval extends EvalSummary {
	aggregates: Record<string, number>;
	items: EvalItem[];
}

interface Side {
	execution_id: string | null;
	run_status: string | null;
	outputs: unknown;
	scores: Record<string, Score> | null;
	error: string | null;
}

interface Comparison {
	a: EvalSummary;
	b: EvalSummary;
	scorers: { name: string; a: number | null; b: number | null; delta: number | null }[];
	items: { position: number; inputs: unknown; expected: unknown; a: Side | null; b: Side | null }[];
}

const STATUSES = ["running", "completed", "failed"];
// How often a running eval's page reads it again (ms).
const POLL_MS = 1000;

const evalHref = (id: string) => `#/evals/${encodeURIComponent(id)}`;
const text = (value: unknown): string => (value === undefined || value === null ? "—" : typeof value === "string" ? value : JSON.stringify(value));
/** A score in [0, 1] with two decimals. */
export const score = (value: number | null | undefined): string => (value === null || value === undefined ? "—" : value.toFixed(2));
/** A difference of scores with its sign: "+0.33", "−0.33", "0.00". */
export const delta = (value: number | null): string => (value === null ? "—" : Math.abs(value) < 0.005 ? "0.00" : `${value > 0 ? "+" : "−"}${Math.abs(value).toFixed(2)}`);
const label = (e: Pick<EvalSummary, "workflow_id" | "workflow_version" | "id">) => `${e.workflow_id} ${e.workflow_version} (${e.id.slice(0, 8)})`;

function scoreCell(name: string, s: Score | undefined): HTMLElement {
	if (!s) return h("td", { class: "num", "data-scorer": name }, "—");
	return h(
		"td",
		{ class: `num score${s.score >= 1 ? " full" : s.score <= 0 ? " zero" : ""}`, "data-scorer": name },
		score(s.score),
		s.reason ? h("div", { class: "muted reason" }, s.reason) : null,
		s.error ? h("div", { class: "muted reason" }, s.error) : null
	);
}

function aggregateTable(e: Pick<EvalSummary, "scorers">, aggregates: Record<string, number> | null, caption: string): HTMLElement {
	return h(
		"table",
		{ class: "aggregates" },
		h("caption", {}, caption),
		h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Scorer"), h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "Mean score"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Bar")))),
		h(
			"tbody",
			{},
			e.scorers.map(s => {
				const value = aggregates?.[s.name];
				return h(
					"tr",
					{ "data-scorer": s.name },
					h("th", { scope: "row" }, s.name),
					h("td", {}, s.type),
					h("td", { class: "num" }, score(value)),
					h("td", { class: "bar-cell" }, value === undefined ? null : bar(value, `${s.name}: ${score(value)}`))
				);
			})
		)
	);
}

export function evalsPage(app: App, _params: string[], query: URLSearchParams): Node {
	const workflow = h("input", { type: "text", name: "workflow_id", value: query.get("workflow_id") ?? "" });
	const status = h("select", { name: "status" }, h("option", { value: "" }, "any"), STATUSES.map(s => h("option", { value: s }, s)));
	status.value = query.get("status") ?? "";
	const page = Number(query.get("page") ?? 1) || 1;
	const go = (p: number) => app.navigate(`#/evals?${new URLSearchParams({ workflow_id: workflow.value.trim(), status: status.value, page: String(p) })}`);
	const form = h("form", { class: "filters", role: "search", "aria-label": "Filter evals" }, field("Workflow id", workflow), field("Status", status), h("button", { type: "submit" }, "Filter"));
	form.addEventListener("submit", e => {
		e.preventDefault();
		go(1);
	});
	// Two evals picked for the comparison, in the order they were picked.
	const picked: EvalSummary[] = [];
	const compare = h("button", { type: "button", class: "primary" }, "Compare the two picked");
	const hint = h("span", { class: "muted", id: "compare-hint" }, "Pick two evals to compare them side by side.");
	compare.setAttribute("aria-describedby", hint.id);
	const sync = () => {
		compare.disabled = picked.length !== 2;
		hint.textContent = picked.length === 2 ? `${label(picked[0])} (a) against ${label(picked[1])} (b)` : `Pick two evals to compare them side by side (${picked.length} picked).`;
	};
	compare.addEventListener("click", () => {
		if (picked.length === 2) app.navigate(`#/evals/compare?${new URLSearchParams({ a: picked[0].id, b: picked[1].id })}`);
	});
	sync();
	const list = async(async () => {
		const res = await app.api.get<{ evals: EvalSummary[]; total: number; page: number; page_size: number }>("/evals", { workflow_id: workflow.value.trim(), status: status.value, page, page_size: 20 });
		if (!res.evals.length) return h("p", { class: "empty" }, "No evals match. Start one with POST /api/v3/evals over a dataset (see the README, Evals).");
		return h(
			"div",
			{},
			h(
				"table",
				{},
				h("caption", { class: "sr-only" }, "Evals"),
				h("thead", {}, h("tr", {}, ["Pick", "Eval", "Workflow", "Status", "Scored", "Mean scores", "Started"].map(t => h("th", { scope: "col" }, t)))),
				h(
					"tbody",
					{},
					res.evals.map(e => {
						const pick = h("input", { type: "checkbox", "aria-label": `Pick ${label(e)}` });
						pick.addEventListener("change", () => {
							const at = picked.findIndex(p => p.id === e.id);
							if (pick.checked && at < 0) picked.push(e);
							if (!pick.checked && at >= 0) picked.splice(at, 1);
							// A third pick replaces the first.
							if (picked.length > 2) {
								const dropped = picked.shift()!;
								const box = document.querySelector<HTMLInputElement>(`tr[data-eval="${CSS.escape(dropped.id)}"] input[type=checkbox]`);
								if (box) box.checked = false;
							}
							sync();
						});
						return h(
							"tr",
							{ "data-eval": e.id },
							h("td", {}, pick),
							h("td", {}, h("a", { href: evalHref(e.id), class: "mono", "aria-label": `Eval ${label(e)}` }, e.id.slice(0, 8))),
							h("td", {}, `${e.workflow_id} ${e.workflow_version}`),
							h("td", {}, statusBadge(e.status)),
							h("td", { class: "num" }, `${e.progress.scored} / ${e.progress.items}`),
							h("td", { class: "aggregates-inline" }, e.aggregates ? e.scorers.map(s => h("span", { class: "chip" }, `${s.name} ${score(e.aggregates?.[s.name])}`)) : "—"),
							h("td", {}, dateTime(e.created_at))
						);
					})
				)
			),
			pager(res.total, res.page, res.page_size, go)
		);
	});
	return h("section", {}, h("h1", {}, "Evals"), form, h("div", { class: "actions compare-bar" }, compare, hint), list);
}

export async function evalPage(app: App, [evalId]: string[]): Promise<Node> {
	const read = () => app.api.get<Eval>(`/evals/${encodeURIComponent(evalId)}`);
	const first = await read();
	const head = h("div", { class: "run-head" });
	const aggregates = h("div", {});
	const items = h("div", { class: "table-scroll" });
	const render = (e: Eval) => {
		replace(
			head,
			h("span", {}, "Status: ", h("span", { id: "eval-status" }, statusBadge(e.status))),
			h("span", { id: "eval-progress" }, `${e.progress.scored} of ${e.progress.items} items scored`),
			h("span", { class: "muted" }, `dataset ${e.dataset_id.slice(0, 8)} · started ${dateTime(e.created_at)}${e.completed_at ? ` · ended ${dateTime(e.completed_at)}` : ""}`),
			e.error ? h("div", { class: "error-box", role: "alert" }, h("strong", {}, "Failed: "), e.error) : null
		);
		replace(aggregates, aggregateTable(e, e.aggregates, e.status === "running" ? "Mean score per scorer of the items scored so far" : "Mean score per scorer"));
		replace(
			items,
			h(
				"table",
				{ class: "eval-items" },
				h("caption", {}, "Items"),
				h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "#"), h("th", { scope: "col" }, "Inputs"), h("th", { scope: "col" }, "Expected"), h("th", { scope: "col" }, "Outputs"), e.scorers.map(s => h("th", { scope: "col", class: "num" }, s.name)), h("th", { scope: "col" }, "Run"))),
				h(
					"tbody",
					{},
					e.items.map(i =>
						h(
							"tr",
							{ "data-position": String(i.position) },
							h("th", { scope: "row" }, String(i.position + 1)),
							h("td", {}, h("code", {}, text(i.inputs))),
							h("td", {}, h("code", {}, text(i.expected))),
							h("td", { class: "outputs" }, h("code", {}, i.scores ? text(i.outputs) : "…"), i.error ? h("div", { class: "error-box" }, i.error) : null),
							e.scorers.map(s => scoreCell(s.name, i.scores?.[s.name])),
							h("td", {}, i.execution_id ? h("a", { href: `#/executions/${i.execution_id}`, "aria-label": `Run of item ${i.position + 1}` }, i.run_status ?? "running") : "—")
						)
					)
				)
			)
		);
	};
	render(first);
	if (first.status === "running") {
		let timer: ReturnType<typeof setTimeout> | null = null;
		const poll = async () => {
			const e = await read().catch(() => null);
			if (e) render(e);
			if (timer !== null && (!e || e.status === "running")) timer = setTimeout(() => void poll(), POLL_MS);
		};
		timer = setTimeout(() => void poll(), POLL_MS);
		app.onLeave(() => {
			if (timer) clearTimeout(timer);
			timer = null;
		});
	}
	return h(
		"section",
		{ "data-eval-id": evalId },
		h("h1", {}, `Eval of ${first.workflow_id} `, h("span", { class: "muted" }, first.workflow_version)),
		head,
		h("h2", {}, "Scores"),
		aggregates,
		items,
		h("p", {}, h("a", { href: `#/evals?workflow_id=${encodeURIComponent(first.workflow_id)}` }, "Evals of this workflow"), " · ", h("a", { href: `#/workflows/${encodeURIComponent(first.workflow_id)}/${encodeURIComponent(first.workflow_version)}` }, "Open the workflow"))
	);
}

function sideCells(s: Side | null, scorers: string[], other: Side | null): HTMLElement[] {
	const differs = s && other && JSON.stringify(s.outputs) !== JSON.stringify(other.outputs);
	return [
		h("td", { class: `outputs${differs ? " differs" : ""}` }, s ? h("code", {}, text(s.outputs)) : "—", s?.error ? h("div", { class: "error-box" }, s.error) : null),
		...scorers.map(name => scoreCell(name, s?.scores?.[name]))
	];
}

export async function evalComparePage(app: App, _params: string[], query: URLSearchParams): Promise<Node> {
	const a = query.get("a") ?? "";
	const b = query.get("b") ?? "";
	const c = await app.api.get<Comparison>("/evals/compare", { a, b });
	const names = c.scorers.map(s => s.name);
	const scorers = h(
		"table",
		{ class: "comparison" },
		h("caption", {}, "Mean score per scorer, a against b"),
		h(
			"thead",
			{},
			h("tr", {}, h("th", { scope: "col" }, "Scorer"), h("th", { scope: "col", class: "num" }, `a: ${c.a.workflow_version}`), h("th", { scope: "col", class: "num" }, `b: ${c.b.workflow_version}`), h("th", { scope: "col", class: "num" }, "b − a"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Bars")))
		),
		h(
			"tbody",
			{},
			c.scorers.map(s =>
				h(
					"tr",
					{ "data-scorer": s.name },
					h("th", { scope: "row" }, s.name),
					h("td", { class: "num", "data-side": "a" }, score(s.a)),
					h("td", { class: "num", "data-side": "b" }, score(s.b)),
					h("td", { class: `num delta${s.delta === null || Math.abs(s.delta) < 0.005 ? "" : s.delta > 0 ? " better" : " worse"}`, "data-side": "delta" }, delta(s.delta)),
					h("td", { class: "bar-cell" }, s.a === null ? null : bar(s.a, `a ${s.name}: ${score(s.a)}`, "side-a"), s.b === null ? null : bar(s.b, `b ${s.name}: ${score(s.b)}`, "side-b"))
				)
			)
		)
	);
	const items = h(
		"table",
		{ class: "comparison-items" },
		h("caption", {}, "Items side by side"),
		h(
			"thead",
			{},
			h("tr", {}, h("th", { scope: "col", rowspan: 2 }, "#"), h("th", { scope: "col", rowspan: 2 }, "Inputs"), h("th", { scope: "col", rowspan: 2 }, "Expected"), h("th", { scope: "colgroup", colspan: names.length + 1 }, `a: ${c.a.workflow_version}`), h("th", { scope: "colgroup", colspan: names.length + 1 }, `b: ${c.b.workflow_version}`)),
			h("tr", {}, [0, 1].flatMap(() => [h("th", { scope: "col" }, "Outputs"), ...names.map(n => h("th", { scope: "col", class: "num" }, n))]))
		),
		h(
			"tbody",
			{},
			c.items.map(i =>
				h(
					"tr",
					{ "data-position": String(i.position) },
					h("th", { scope: "row" }, String(i.position + 1)),
					h("td", {}, h("code", {}, text(i.inputs))),
					h("td", {}, h("code", {}, text(i.expected))),
					sideCells(i.a, names, i.b).map(cell => (cell.setAttribute("data-side", "a"), cell)),
					sideCells(i.b, names, i.a).map(cell => (cell.setAttribute("data-side", "b"), cell))
				)
			)
		)
	);
	const who = (e: EvalSummary, side: string) =>
		h("li", {}, h("strong", {}, `${side}: `), h("a", { href: evalHref(e.id) }, `${e.workflow_id} ${e.workflow_version}`), " ", statusBadge(e.status), h("span", { class: "muted" }, ` ${e.progress.scored} of ${e.progress.items} scored · dataset ${e.dataset_id.slice(0, 8)}`));
	return h(
		"section",
		{},
		h("h1", {}, "Compare evals"),
		h("ul", { class: "compare-who" }, who(c.a, "a"), who(c.b, "b")),
		c.a.dataset_id !== c.b.dataset_id ? h("p", { class: "error-box", role: "note" }, "These evals ran over different datasets: items are matched by position only.") : null,
		scorers,
		h("div", { class: "table-scroll" }, items),
		h("p", {}, h("a", { href: `#/evals/compare?${new URLSearchParams({ a: b, b: a })}` }, "Swap a and b"), " · ", h("a", { href: "#/evals" }, "All evals"))
	);
}
