/**
 * Model spend (`GET /costs`): calls, tokens and cost grouped by workflow, model, user or
 * day over a range of UTC days, as a table with a bar per row; admins may name one user.
 */
import { async, type App } from "../app";
import { bar, field, h, usd } from "../dom";

export const COST_GROUPS = ["workflow", "model", "user", "day"] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

interface Figures {
	calls: number;
	input_tokens: number;
	output_tokens: number;
	cost_usd: number;
}

interface CostReport {
	group_by: CostGroup;
	from: string;
	to: string;
	rows: (Figures & { key: string })[];
	total: Figures;
}

const DAY_MS = 86_400_000;
// The range the page opens with: the last 30 days, today included.
const DEFAULT_DAYS = 30;
const GROUP_LABELS: Record<CostGroup, string> = { workflow: "Workflow", model: "Model", user: "User", day: "Day" };

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isDay = (value: string | null): value is string => value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
const figures = (f: Figures) => [f.calls.toLocaleString(), f.input_tokens.toLocaleString(), f.output_tokens.toLocaleString(), usd(f.cost_usd)].map(v => h("td", { class: "num" }, v));

export function costsPage(app: App, _params: string[], query: URLSearchParams): Node {
	const groupParam = query.get("group_by") as CostGroup | null;
	const groupBy: CostGroup = groupParam && COST_GROUPS.includes(groupParam) ? groupParam : "workflow";
	const to = isDay(query.get("to")) ? query.get("to")! : isoDay(Date.now());
	const from = isDay(query.get("from")) ? query.get("from")! : isoDay(Date.parse(to) - (DEFAULT_DAYS - 1) * DAY_MS);
	const userId = app.isAdmin ? (query.get("user_id") ?? "").trim() : "";

	const group = h("select", { name: "group_by" }, COST_GROUPS.map(g => h("option", { value: g }, GROUP_LABELS[g])));
	group.value = groupBy;
	const fromInput = h("input", { type: "date", name: "from", value: from });
	const toInput = h("input", { type: "date", name: "to", value: to });
	const userInput = app.isAdmin ? h("input", { type: "text", name: "user_id", value: userId, placeholder: "everyone" }) : null;
	const form = h(
		"form",
		{ class: "filters", role: "search", "aria-label": "Cost report" },
		field("Group by", group),
		field("From (UTC day)", fromInput),
		field("To (UTC day)", toInput),
		userInput ? field("User id", userInput) : null,
		h("button", { type: "submit" }, "Show")
	);
	form.addEventListener("submit", event => {
		event.preventDefault();
		const next = new URLSearchParams({ group_by: group.value, from: fromInput.value, to: toInput.value });
		if (userInput?.value.trim()) next.set("user_id", userInput.value.trim());
		app.navigate(`#/costs?${next}`);
	});

	const report = async(async () => {
		const r = await app.api.get<CostReport>("/costs", { group_by: groupBy, from, to, user_id: userId || undefined });
		const most = Math.max(0, ...r.rows.map(row => row.cost_usd));
		const scope = userId ? `user ${userId}` : app.isAdmin ? "everyone" : "you";
		return h(
			"div",
			{ class: "table-scroll" },
			h(
				"table",
				{ class: "data costs", "data-group-by": r.group_by },
				h("caption", {}, `Model spend of ${scope} by ${GROUP_LABELS[r.group_by].toLowerCase()}, ${r.from} to ${r.to} (UTC)`),
				h(
					"thead",
					{},
					h(
						"tr",
						{},
						h("th", { scope: "col" }, GROUP_LABELS[r.group_by]),
						["Calls", "Input tokens", "Output tokens", "Cost"].map(c => h("th", { scope: "col", class: "num" }, c)),
						h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Share of the biggest cost"))
					)
				),
				h(
					"tbody",
					{},
					r.rows.length
						? r.rows.map(row =>
								h(
									"tr",
									{ "data-key": row.key },
									h("th", { scope: "row", class: r.group_by === "user" ? "mono" : "" }, row.key),
									figures(row),
									h("td", { class: "bar-cell" }, bar(most > 0 ? row.cost_usd / most : 0, `${row.key}: ${usd(row.cost_usd)}`))
								)
							)
						: h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No model calls in this period."))
				),
				h("tfoot", {}, h("tr", { "data-key": "total" }, h("th", { scope: "row" }, "Total"), figures(r.total), h("td", {})))
			)
		);
	});
	return h("section", {}, h("h1", {}, "Model costs"), form, report, h("p", {}, h("a", { href: "#/usage" }, "Runs and cost per day")));
}
