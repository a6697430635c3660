import { actionButton, async, type App } from "../app";
import { dateTime, h, replace } from "../dom";
import type { Execution, ExecutionSummary } from "../types";

// The API has no list of waiting approvals: the page reads the caller's running executions (this many at most) and their steps.
const RUNNING_SCAN = 50;

/** Steps of the caller's running executions that wait for an approval, each with approve and reject. */
export function approvalsPage(app: App): Node {
	const region = h("div", {});
	const load = () => replace(region, list());
	// A new approval (or a run that ended) arrives as a notification over the socket: read the list again.
	app.onLeave(app.live.onNotification(() => load()));
	const list = () => async(async () => {
		const running = await app.api.get<{ executions: ExecutionSummary[]; total: number }>("/workflows/executions", { status: "running", page_size: RUNNING_SCAN });
		const executions = await Promise.all(running.executions.map(e => app.api.get<Execution>(`/workflows/executions/${encodeURIComponent(e.execution_id)}`)));
		const waiting = executions.flatMap(e => e.steps.filter(s => s.waiting_for === "approval" && s.status === "running").map(s => ({ e, s })));
		const note = running.total > RUNNING_SCAN ? h("p", { class: "muted" }, `Showing approvals of the ${RUNNING_SCAN} most recent of ${running.total} running executions.`) : null;
		if (!waiting.length) return h("div", {}, h("p", { class: "empty" }, "Nothing waits for your approval."), note);
		return h(
			"div",
			{},
			note,
			h(
				"ul",
				{ class: "cards" },
				waiting.map(({ e, s }) => {
					const path = `/workflows/executions/${encodeURIComponent(e.execution_id)}/steps/${encodeURIComponent(s.step_id)}`;
					const item: HTMLElement = h(
						"li",
						{ class: "card", "data-step-id": s.step_id },
						h("h2", {}, s.name, " ", h("span", { class: "muted" }, `in ${e.workflow_id} ${e.workflow_version}`)),
						h("p", {}, "Waiting since ", dateTime(s.started_at), " · ", h("a", { href: `#/executions/${e.execution_id}` }, "open the run")),
						actionButton("Approve", async () => { await app.api.post(`${path}/approve`, {}); item.remove(); }, { app, kind: "primary", done: `Approved ${s.step_id}`, ariaLabel: `Approve ${s.step_id} of ${e.workflow_id}` }),
						" ",
						actionButton("Reject", async () => { await app.api.post(`${path}/reject`, {}); item.remove(); }, { app, kind: "danger", done: `Rejected ${s.step_id}`, ariaLabel: `Reject ${s.step_id} of ${e.workflow_id}` })
					);
					return item;
				})
			)
		);
	});
	load();
	return h("section", {}, h("div", { class: "title-row" }, h("h1", {}, "Approvals"), h("button", { type: "button", on: { click: load } }, "Refresh")), region);
}
