import { actionButton, async, errorBox, type App } from "../app";
import { dateTime, field, h, replace } from "../dom";

const EVENTS = ["WorkflowExecutionStarted", "WorkflowExecutionCompleted", "WorkflowExecutionFailed"] as const;

interface Webhook {
	id: string;
	workflow_id: string;
	url: string;
	events: string[];
	description: string | null;
	status: "active" | "disabled";
	created_at: string;
}

interface Delivery {
	id: string;
	event_type: string;
	execution_id: string | null;
	status: string;
	attempts: number;
	last_status_code: number | null;
	last_error: string | null;
	created_at: string;
}

/** The signing secret, shown once: the API never shows it again. */
function secretNotice(secret: string): HTMLElement {
	return h(
		"div",
		{ class: "card notice", role: "status" },
		h("strong", {}, "The signing secret, shown this once: "),
		h("code", { class: "secret" }, secret),
		h("p", { class: "muted" }, "Receivers check X-CognitionOS-Signature (HMAC-SHA256 of \"<timestamp>.<body>\") with it.")
	);
}

/** Webhooks of the caller's workflows: create (secret shown once), enable or disable, rotate the secret, delete, and each one's deliveries. */
export function webhooksPage(app: App): Node {
	const notice = h("div", { "aria-live": "polite" });
	const list = h("div", {});
	const load = () =>
		replace(
			list,
			async(async () => {
				const res = await app.api.get<{ webhooks: Webhook[] }>("/webhooks", { page_size: 100 });
				if (!res.webhooks.length) return h("p", { class: "empty" }, "No webhooks yet.");
				return h(
					"ul",
					{ class: "cards" },
					res.webhooks.map(w => {
						const deliveries = h("div", {});
						const path = `/webhooks/${encodeURIComponent(w.id)}`;
						return h(
							"li",
							{ class: "card", "data-webhook-id": w.id },
							h("h2", {}, w.workflow_id, " → ", h("span", { class: "url" }, w.url)),
							h("p", {}, h("span", { class: `badge status-${w.status === "active" ? "completed" : "cancelled"}` }, w.status), " ", w.events.join(", "), w.description ? ` · ${w.description}` : ""),
							h("div", { class: "actions" },
								actionButton(w.status === "active" ? "Disable" : "Enable", async () => {
									await app.api.patch(path, { status: w.status === "active" ? "disabled" : "active" });
									load();
								}, { app, ariaLabel: `${w.status === "active" ? "Disable" : "Enable"} the webhook to ${w.url}` }),
								actionButton("Rotate secret", async () => {
									const rotated = await app.api.post<{ secret: string }>(`${path}/rotate-secret`);
									replace(notice, secretNotice(rotated.secret));
								}, { app, ariaLabel: `Rotate the secret of the webhook to ${w.url}` }),
								actionButton("Deliveries", async () => {
									const page = await app.api.get<{ deliveries: Delivery[] }>(`${path}/deliveries`);
									replace(
										deliveries,
										page.deliveries.length
											? h("div", { class: "table-scroll" }, h("table", { class: "data" },
													h("thead", {}, h("tr", {}, ["Event", "Run", "Status", "Tries", "Last answer", "Created"].map(c => h("th", { scope: "col" }, c)))),
													h("tbody", {}, page.deliveries.map(d => h("tr", {},
														h("td", {}, d.event_type),
														h("td", {}, d.execution_id ? h("a", { href: `#/executions/${d.execution_id}` }, d.execution_id.slice(0, 8)) : "—"),
														h("td", {}, d.status),
														h("td", { class: "num" }, String(d.attempts)),
														h("td", {}, d.last_status_code ? String(d.last_status_code) : (d.last_error ?? "—")),
														h("td", {}, dateTime(d.created_at))
													)))
												))
											: h("p", { class: "empty" }, "No deliveries yet.")
									);
								}, { app, ariaLabel: `Deliveries of the webhook to ${w.url}` }),
								actionButton("Delete", async () => {
									if (!confirm(`Delete the webhook to ${w.url}?`)) return;
									await app.api.delete(path);
									load();
								}, { app, kind: "danger", ariaLabel: `Delete the webhook to ${w.url}` })
							),
							deliveries
						);
					})
				);
			})
		);

	const workflow = h("input", { type: "text", name: "workflow_id", required: true });
	const url = h("input", { type: "url", name: "url", required: true, placeholder: "https://hooks.example.com/cognitionos" });
	const description = h("input", { type: "text", name: "description" });
	const boxes = EVENTS.map(e => h("input", { type: "checkbox", name: "events", value: e, checked: e !== "WorkflowExecutionStarted" }));
	const errors = h("div", { "aria-live": "polite" });
	const form = h(
		"form",
		{ class: "card", "aria-labelledby": "new-webhook" },
		h("h2", { id: "new-webhook" }, "New webhook"),
		field("Workflow id", workflow),
		field("URL", url),
		h("fieldset", {}, h("legend", {}, "Events"), EVENTS.map((e, i) => h("label", { class: "check" }, boxes[i], ` ${e}`))),
		field("Description (optional)", description),
		errors,
		h("button", { type: "submit", class: "primary" }, "Create")
	);
	form.addEventListener("submit", async event => {
		event.preventDefault();
		replace(errors);
		try {
			const events = boxes.filter(b => b.checked).map(b => b.value);
			const created = await app.api.post<{ secret: string }>("/webhooks", { workflow_id: workflow.value.trim(), url: url.value.trim(), events, ...(description.value.trim() ? { description: description.value.trim() } : {}) });
			replace(notice, secretNotice(created.secret));
			form.reset();
			load();
		} catch (err) {
			replace(errors, errorBox(err, "Could not create the webhook"));
		}
	});
	load();
	return h("section", {}, h("h1", {}, "Webhooks"), notice, list, form);
}
