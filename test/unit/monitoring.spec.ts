import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { PRODUCT_METRICS } from "../../mixins/metrics";
import { promtool, promtoolAvailable } from "../support/promtool";

const ROOT = path.resolve(__dirname, "../..");
const ALERTS = path.join(ROOT, "monitoring/prometheus/alerts.yml");
const SCRAPE = path.join(ROOT, "monitoring/prometheus/prometheus.yml");
const DASHBOARD = path.join(ROOT, "monitoring/grafana/dashboards/cognitionos-dashboard.json");

/** Moleculer's own families the assets may use (present on every node). */
const MOLECULER_FAMILIES = ["up", "moleculer_request_total", "moleculer_request_active", "moleculer_registry_nodes_online", "process_memory_rss"];

/** Metric names in a PromQL expression: identifiers followed by `{` or `[`, or standing alone. */
function metricNames(expr: string): string[] {
	const withoutStrings = expr.replace(/"[^"]*"/g, '""').replace(/\{[^}]*\}/g, "{}");
	const names = new Set<string>();
	for (const m of withoutStrings.matchAll(/\b([a-z_][a-z0-9_]*)\s*(?=\{|\[)/g)) names.add(m[1]);
	return [...names];
}

/** A family's name, or the family a `_bucket`/`_sum`/`_count` series belongs to. */
function family(name: string): string {
	return name.replace(/_(bucket|sum|count)$/, "");
}

const KNOWN = new Set([...PRODUCT_METRICS.map(m => m.name), ...MOLECULER_FAMILIES]);
const LABELS = new Map<string, string[]>(PRODUCT_METRICS.map(m => [m.name, m.labelNames ?? []]));
/** Labels Prometheus adds (job, instance, the scrape config's role) or a histogram has (le). */
const TARGET_LABELS = ["job", "instance", "role", "le"];

/** `name{label="…", …}` selectors in an expression, with the label names they match on. */
function selectors(expr: string): { name: string; labels: string[] }[] {
	return [...expr.matchAll(/\b([a-z_][a-z0-9_]*)\{([^}]*)\}/g)].map(m => ({
		name: family(m[1]),
		labels: [...m[2].matchAll(/([a-z_][a-z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map(l => l[1])
	}));
}

describe("monitoring assets", () => {
	const alerts = parse(readFileSync(ALERTS, "utf8")) as { groups: { rules: { alert: string; expr: string }[] }[] };
	const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as { panels: { title: string; targets?: { expr: string }[] }[] };

	it("alert on the issue's conditions: error rate, p99 latency, outbox lag, stuck runs, LLM budget burn", () => {
		const names = alerts.groups.flatMap(g => g.rules.map(r => r.alert));
		expect(names).toEqual(
			expect.arrayContaining(["CognitionOSHighErrorRate", "CognitionOSHighLatencyP99", "CognitionOSOutboxLag", "CognitionOSStuckRuns", "CognitionOSLLMBudgetBurn"])
		);
	});

	it("use only metric families the code registers or has planned, with their labels", () => {
		const exprs = [...alerts.groups.flatMap(g => g.rules.map(r => r.expr)), ...dashboard.panels.flatMap(p => (p.targets ?? []).map(t => t.expr))];
		const unknown = exprs.flatMap(e => metricNames(e).map(family)).filter(n => !KNOWN.has(n));
		expect([...new Set(unknown)]).toEqual([]);
		const wrongLabels = exprs
			.flatMap(selectors)
			.flatMap(s => s.labels.filter(l => !TARGET_LABELS.includes(l) && LABELS.has(s.name) && !LABELS.get(s.name)!.includes(l)).map(l => `${s.name}{${l}}`));
		expect([...new Set(wrongLabels)]).toEqual([]);
	});

	it("show API, runs, steps, LLM tokens and cost, event bus and nodes on the dashboard", () => {
		const rows = dashboard.panels.filter(p => (p as { type?: string }).type === "row").map(p => p.title);
		expect(rows).toEqual(expect.arrayContaining(["API", "Runs", "Steps", "LLM", "Event bus", "Nodes"]));
		const exprs = dashboard.panels.flatMap(p => (p.targets ?? []).map(t => t.expr)).join("\n");
		for (const name of ["http_requests_total", "workflow_executions_total", "workflow_steps_executed_total", "llm_tokens_used_total", "llm_cost_usd_total", "events_published_total", "cognitionos_service_info"])
			expect(exprs).toContain(name);
	});

	const withPromtool = promtoolAvailable() ? it : it.skip;

	withPromtool("pass promtool check rules and check config", () => {
		const rules = promtool(["check", "rules", ALERTS]);
		expect(rules.output).toContain("SUCCESS");
		expect(rules.code).toBe(0);
		const config = promtool(["check", "config", SCRAPE]);
		expect(config.code).toBe(0);
	});
});
