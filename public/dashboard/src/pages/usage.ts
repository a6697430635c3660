import { async, type App } from "../app";
import { h, usd } from "../dom";

interface Counts {
	executions: { started: number; completed: number; failed: number };
	tokens: { prompt: number; completion: number; total: number };
	cost_usd: number;
}

interface Usage {
	user_id: string;
	from: string;
	to: string;
	days: (Counts & { day: string })[];
	totals: Counts;
}

interface UsageByUser {
	users: (Counts & { user_id: string; email: string | null })[];
	total: number;
}

const DAY_MS = 86_400_000;
// The period the page opens with: the last 30 days, today included.
const DEFAULT_DAYS = 30;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const cells = (c: Counts) => [c.executions.started, c.executions.completed, c.executions.failed, c.tokens.total.toLocaleString(), usd(c.cost_usd)].map(v => h("td", { class: "num" }, String(v)));
const HEAD = ["Runs started", "Completed", "Failed", "Tokens", "Cost"];

/** Usage and cost per day and in total for a period; admins also see every user's totals. */
export function usagePage(app: App, _params: string[], query: URLSearchParams): Node {
	const to = query.get("to") ?? isoDay(Date.now());
	const from = query.get("from") ?? isoDay(Date.parse(to) - (DEFAULT_DAYS - 1) * DAY_MS);
	const fromInput = h("input", { type: "date", name: "from", value: from, "aria-label": "From (UTC day)" });
	const toInput = h("input", { type: "date", name: "to", value: to, "aria-label": "To (UTC day)" });
	const form = h("form", { class: "filters" }, fromInput, " – ", toInput, h("button", { type: "submit" }, "Show"));
	form.addEventListener("submit", event => {
		event.preventDefault();
		app.navigate(`#/usage?from=${fromInput.value}&to=${toInput.value}`);
	});
	const mine = async(async () => {
		const u = await app.api.get<Usage>("/usage", { from, to });
		return h(
			"div",
			{ class: "table-scroll" },
			h(
				"table",
				{ class: "data" },
				h("caption", {}, `Your usage, ${u.from} to ${u.to} (UTC)`),
				h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Day"), HEAD.map(c => h("th", { scope: "col" }, c)))),
				h(
					"tbody",
					{},
					u.days.length ? u.days.map(d => h("tr", {}, h("th", { scope: "row" }, d.day), cells(d))) : h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No runs in this period."))
				),
				h("tfoot", {}, h("tr", {}, h("th", { scope: "row" }, "Total"), cells(u.totals)))
			)
		);
	});
	const everyone = app.isAdmin
		? async(async () => {
				const res = await app.api.get<UsageByUser>("/usage/users", { from, to });
				return h(
					"div",
					{ class: "table-scroll" },
					h(
						"table",
						{ class: "data" },
						h("caption", {}, "Every user, biggest spenders first"),
						h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "User"), HEAD.map(c => h("th", { scope: "col" }, c)))),
						h("tbody", {}, res.users.map(u => h("tr", {}, h("th", { scope: "row" }, u.email ?? u.user_id), cells(u))))
					)
				);
			})
		: null;
	return h("section", {}, h("h1", {}, "Usage and cost"), form, mine, everyone, h("p", {}, h("a", { href: `#/costs?from=${from}&to=${to}` }, "Model spend by workflow, model, user or day")));
}
