import { actionButton, async, errorBox, pager, type App } from "../app";
import { dateTime, field, h, replace, statusBadge } from "../dom";
import { drawGraph } from "../graph";
import type { ExecutionSummary, InputDeclaration, Workflow, WorkflowSummary } from "../types";

const STATUSES = ["draft", "active", "deprecated", "archived"];
/** Where a version may go next (the API checks; this only offers the moves it allows). */
const NEXT: Record<string, string[]> = { draft: ["active"], active: ["deprecated"], deprecated: ["active", "archived"], archived: [] };

const wfHref = (w: { workflow_id: string; version?: string }) => `#/workflows/${encodeURIComponent(w.workflow_id)}${w.version ? `/${encodeURIComponent(w.version)}` : ""}`;

export function workflowsPage(app: App, _params: string[], query: URLSearchParams): Node {
	const q = h("input", { type: "search", name: "q", value: query.get("q") ?? "" });
	const status = h("select", { name: "status" }, h("option", { value: "" }, "any"), STATUSES.map(s => h("option", { value: s }, s)));
	status.value = query.get("status") ?? "";
	const page = Number(query.get("page") ?? 1) || 1;
	const go = (p: number) => app.navigate(`#/workflows?${new URLSearchParams({ q: q.value, status: status.value, page: String(p) })}`);
	const form = h("form", { class: "filters", role: "search", "aria-label": "Filter workflows" }, field("Search", q), field("Status", status), h("button", { type: "submit" }, "Filter"));
	form.addEventListener("submit", e => {
		e.preventDefault();
		go(1);
	});
	const list = async(async () => {
		const res = await app.api.get<{ workflows: WorkflowSummary[]; total: number; page: number; page_size: number }>("/workflows", { q: q.value, status: status.value, page, page_size: 20 });
		if (!res.workflows.length) return h("p", { class: "empty" }, "No workflows yet. ", h("a", { href: "#/workflows/new" }, "Upload one"), ".");
		return h(
			"div",
			{},
			h(
				"table",
				{},
				h("caption", { class: "sr-only" }, "Workflows"),
				h("thead", {}, h("tr", {}, ["Workflow", "Version", "Status", "Steps", "Tags", "Updated"].map(t => h("th", { scope: "col" }, t)))),
				h(
					"tbody",
					{},
					res.workflows.map(w =>
						h(
							"tr",
							{},
							h("td", {}, h("a", { href: wfHref(w) }, w.name), w.name !== w.workflow_id ? h("div", { class: "muted" }, w.workflow_id) : null),
							h("td", {}, w.version),
							h("td", {}, statusBadge(w.status)),
							h("td", {}, w.step_count),
							h("td", {}, w.tags.join(", ")),
							h("td", {}, dateTime(w.updated_at))
						)
					)
				)
			),
			pager(res.total, res.page, res.page_size, go)
		);
	});
	return h("section", {}, h("div", { class: "title-row" }, h("h1", {}, "Workflows"), h("a", { class: "button primary", href: "#/workflows/new" }, "Upload a workflow")), form, list);
}

export async function workflowPage(app: App, [workflowId, versionParam]: string[]): Promise<Node> {
	const id = encodeURIComponent(workflowId);
	const { versions } = await app.api.get<{ versions: WorkflowSummary[] }>(`/workflows/${id}`);
	const version = versionParam || versions[0].version;
	const workflow = await app.api.get<Workflow>(`/workflows/${id}/${encodeURIComponent(version)}`);
	const graph = drawGraph(
		workflow.steps.map(s => ({ id: s.id, name: s.name, type: s.type, depends_on: s.depends_on, condition: s.condition, approval_required: s.approval_required })),
		`Steps of ${workflow.workflow_id} ${workflow.version}`
	);
	const versionList = h(
		"ul",
		{ class: "versions" },
		versions.map(v =>
			h("li", {}, v.version === version ? h("strong", { "aria-current": "page" }, v.version) : h("a", { href: wfHref(v) }, v.version), " ", statusBadge(v.status), h("span", { class: "muted" }, ` ${dateTime(v.updated_at)}`))
		)
	);
	const lifecycle = h(
		"div",
		{ class: "actions" },
		NEXT[workflow.status].map(to =>
			actionButton(
				to === "active" ? "Activate" : to === "deprecated" ? "Deprecate" : "Archive",
				async () => {
					await app.api.post(`/workflows/${id}/${encodeURIComponent(version)}/status`, { status: to });
					app.navigate(location.hash);
				},
				{ app, done: `Workflow is now ${to}` }
			)
		)
	);
	const yaml = async(async () => h("pre", { class: "code", tabindex: 0, "aria-label": "Definition as YAML" }, await app.api.request<string>("GET", `/workflows/${id}/${encodeURIComponent(version)}`, { query: { format: "yaml" }, text: true })));
	return h(
		"section",
		{},
		h("h1", {}, workflow.name, " ", h("span", { class: "muted" }, workflow.version), " ", statusBadge(workflow.status)),
		workflow.description ? h("p", {}, workflow.description) : null,
		h("div", { class: "actions" }, lifecycle, h("a", { class: "button", href: `#/executions?${new URLSearchParams({ workflow_id: workflow.workflow_id })}` }, "Runs of this workflow")),
		h("div", { class: "columns" }, h("section", { "aria-labelledby": "versions-h" }, h("h2", { id: "versions-h" }, "Versions"), versionList), h("section", { class: "grow", "aria-labelledby": "run-h" }, h("h2", { id: "run-h" }, "Run"), runForm(app, workflow))),
		h("h2", {}, "Graph"),
		graph.element,
		h("details", {}, h("summary", {}, "Definition (YAML)"), yaml)
	);
}

function inputControl(decl: InputDeclaration): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
	const name = decl.name;
	const required = decl.required && decl.default === null;
	switch (decl.type) {
		case "boolean": {
			const box = h("input", { type: "checkbox", name });
			box.checked = decl.default === true;
			return box;
		}
		case "enum":
			return h("select", { name, required }, required ? h("option", { value: "" }, "choose…") : null, (decl.values ?? []).map(v => h("option", { value: v, selected: decl.default === v }, v)));
		case "integer":
		case "float":
			return h("input", { type: "number", name, step: decl.type === "integer" ? "1" : "any", required, value: decl.default ?? "" });
		case "json":
			return h("textarea", { name, rows: 3, required, class: "mono" }, decl.default === null ? "" : JSON.stringify(decl.default, null, 2));
		default:
			return h("input", { type: "text", name, required, value: decl.default ?? "" });
	}
}

/** A form generated from the workflow's input declarations; running it opens the execution. */
export function runForm(app: App, workflow: Workflow): HTMLElement {
	const controls = workflow.inputs.map(decl => ({ decl, control: inputControl(decl) }));
	const errors = h("div", { "aria-live": "polite" });
	const submit = h("button", { type: "submit", class: "primary" }, "Start run");
	const form = h(
		"form",
		{ class: "run-form", "aria-label": `Inputs of ${workflow.workflow_id}` },
		controls.length ? controls.map(({ decl, control }) => field(`${decl.name}${decl.required && decl.default === null ? " (required)" : ""}`, control, [decl.type, decl.description].filter(Boolean).join(" — "))) : h("p", { class: "muted" }, "This workflow declares no inputs."),
		errors,
		workflow.status === "active" ? submit : h("p", { class: "muted" }, `Only active versions run; this one is ${workflow.status}.`)
	);
	form.addEventListener("submit", async event => {
		event.preventDefault();
		replace(errors);
		const inputs: Record<string, unknown> = {};
		try {
			for (const { decl, control } of controls) {
				if (decl.type === "boolean") inputs[decl.name] = (control as HTMLInputElement).checked;
				else if (control.value === "") continue;
				else if (decl.type === "json") {
					try {
						inputs[decl.name] = JSON.parse(control.value);
					} catch {
						control.focus();
						throw new Error(`${decl.name} is not valid JSON`);
					}
				} else inputs[decl.name] = control.value;
			}
			submit.disabled = true;
			const execution = await app.api.post<ExecutionSummary>("/workflows/execute", { workflow_id: workflow.workflow_id, workflow_version: workflow.version, inputs });
			app.navigate(`#/executions/${execution.execution_id}`);
		} catch (err) {
			replace(errors, errorBox(err, "Could not start the run"));
		} finally {
			submit.disabled = false;
		}
	});
	return form;
}
