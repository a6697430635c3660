import { actionButton, async, errorBox, pager, type App } from "../app";
import { dateTime, field, h, json, replace, statusBadge, usd } from "../dom";
import { drawGraph } from "../graph";
import { watchExecution } from "../live";
import { fetchTranscript, llmCallsPanel, transcriptView, type TranscriptEntry } from "../transcript";
import { TERMINAL, type Execution, type ExecutionStep, type ExecutionSummary, type Workflow } from "../types";

const EXECUTION_STATUSES = ["pending", "queued", "running", "completed", "failed", "cancelled"];
const execPath = (id: string) => `/workflows/executions/${encodeURIComponent(id)}`;

// How often a waiting step's countdown is redrawn (ms).
const COUNTDOWN_TICK = 1000;

/** "Resumes in 1 min 05 s" for a delay, "Decide within …" for an approval with a deadline; what happens once it is due. */
export function countdownText(kind: string, dueAt: string, now: number): string {
	const left = Math.ceil((Date.parse(dueAt) - now) / 1000);
	if (!(left > 0)) return kind === "timer" ? "Due now: resuming…" : "The deadline has passed";
	const hours = Math.floor(left / 3600);
	const minutes = Math.floor((left % 3600) / 60);
	const seconds = left % 60;
	const span = hours ? `${hours} h ${String(minutes).padStart(2, "0")} min` : minutes ? `${minutes} min ${String(seconds).padStart(2, "0")} s` : `${seconds} s`;
	return kind === "timer" ? `Resumes in ${span}` : kind === "approval" ? `Decide within ${span}` : `Due in ${span}`;
}

export function executionsPage(app: App, _params: string[], query: URLSearchParams): Node {
	const workflow = h("input", { type: "text", name: "workflow_id", value: query.get("workflow_id") ?? "" });
	const status = h("select", { name: "status" }, h("option", { value: "" }, "any"), EXECUTION_STATUSES.map(s => h("option", { value: s }, s)));
	status.value = query.get("status") ?? "";
	const page = Number(query.get("page") ?? 1) || 1;
	const go = (p: number) => app.navigate(`#/executions?${new URLSearchParams({ workflow_id: workflow.value.trim(), status: status.value, page: String(p) })}`);
	const form = h("form", { class: "filters", role: "search", "aria-label": "Filter executions" }, field("Workflow id", workflow), field("Status", status), h("button", { type: "submit" }, "Filter"));
	form.addEventListener("submit", e => {
		e.preventDefault();
		go(1);
	});
	const list = async(async () => {
		const res = await app.api.get<{ executions: ExecutionSummary[]; total: number; page: number; page_size: number }>("/workflows/executions", {
			workflow_id: workflow.value.trim(),
			status: status.value,
			page,
			page_size: 20
		});
		if (!res.executions.length) return h("p", { class: "empty" }, "No executions match.");
		return h(
			"div",
			{},
			h(
				"table",
				{},
				h("caption", { class: "sr-only" }, "Executions"),
				h("thead", {}, h("tr", {}, ["Execution", "Workflow", "Status", "Progress", "Started", "Cost", "Actions"].map(t => h("th", { scope: "col" }, t)))),
				h(
					"tbody",
					{},
					res.executions.map(e =>
						h(
							"tr",
							{},
							h("td", {}, h("a", { href: `#/executions/${e.execution_id}`, class: "mono" }, e.execution_id.slice(0, 8))),
							h("td", {}, `${e.workflow_id} ${e.workflow_version}`),
							h("td", {}, statusBadge(e.status)),
							h("td", {}, `${e.progress} %`),
							h("td", {}, dateTime(e.started_at ?? e.created_at)),
							h("td", {}, usd(e.usage?.cost_usd)),
							h("td", {}, runActions(app, e, () => go(page)))
						)
					)
				)
			),
			pager(res.total, res.page, res.page_size, go)
		);
	});
	return h("section", {}, h("h1", {}, "Executions"), form, list);
}

function runActions(app: App, e: ExecutionSummary, after: () => void): HTMLElement {
	const label = `${e.workflow_id} ${e.execution_id.slice(0, 8)}`;
	return h(
		"div",
		{ class: "actions" },
		!TERMINAL.has(e.status)
			? actionButton("Cancel", async () => (await app.api.post(`${execPath(e.execution_id)}/cancel`), after()), { app, done: "Cancelled", ariaLabel: `Cancel ${label}` })
			: null,
		e.status === "failed" || e.status === "cancelled"
			? actionButton("Retry", async () => (await app.api.post(`${execPath(e.execution_id)}/retry`), after()), { app, done: "Retrying", ariaLabel: `Retry ${label}` })
			: null
	);
}

export async function executionPage(app: App, [executionId]: string[]): Promise<Node> {
	const first = await app.api.get<Execution>(execPath(executionId));
	// The definition gives the graph its conditions; the execution alone has ids, types and edges.
	const definition = await app.api.get<Workflow>(`/workflows/${encodeURIComponent(first.workflow_id)}/${encodeURIComponent(first.workflow_version)}`).catch(() => null);
	const conditions = new Map(definition?.steps.map(s => [s.id, s]) ?? []);
	const graph = drawGraph(
		first.steps.map(s => ({ id: s.step_id, name: s.name, type: s.type, depends_on: s.depends_on, condition: conditions.get(s.step_id)?.condition, approval_required: conditions.get(s.step_id)?.approval_required })),
		`Run of ${first.workflow_id} ${first.workflow_version}`
	);
	const heading = h("h1", {}, `Run of ${first.workflow_id} `, h("span", { class: "muted" }, first.workflow_version));
	const statusEl = h("span", { id: "run-status" });
	const progress = h("progress", { id: "run-progress", max: 100, value: 0 });
	const progressText = h("span", { id: "run-progress-text" });
	const summary = h("dl", { class: "summary" });
	const actions = h("div", { class: "actions" });
	const runError = h("div", { id: "run-error" });
	const steps = h("div", { class: "steps" });
	const streams = new Map<string, string>();
	const streamEls = new Map<string, HTMLElement>();
	// Agent steps' transcripts, read again on each of their events.
	const transcripts = new Map<string, TranscriptEntry[]>();
	const transcriptEls = new Map<string, HTMLElement>();
	const refreshTranscript = async (stepId: string) => {
		const entries = await fetchTranscript(app.api, executionId, stepId).catch(() => null);
		if (!entries) return;
		transcripts.set(stepId, entries);
		const el = transcriptEls.get(stepId);
		if (el) replace(el, transcriptView(entries, stepId));
	};
	let last: Execution = first;
	// The captured model calls, read again whenever a step or the run changes status.
	const llmCalls = llmCallsPanel(app.api, executionId);
	let llmKey = "";

	// Outputs the user opened or closed stay so when the cards are drawn again.
	const outputOpen = new Map<string, boolean>();
	const outputDetails = (s: ExecutionStep): HTMLElement => {
		const details = h("details", { open: outputOpen.get(s.step_id) ?? (s.status === "completed" && last.steps.length <= 6) }, h("summary", {}, "Output"), h("pre", { class: "code" }, json(s.output)));
		details.addEventListener("toggle", () => outputOpen.set(s.step_id, details.open));
		return details;
	};

	const agentTranscript = (stepId: string): HTMLElement => {
		const el = h("div", {}, transcriptView(transcripts.get(stepId) ?? [], stepId));
		transcriptEls.set(stepId, el);
		if (!transcripts.has(stepId)) void refreshTranscript(stepId);
		return el;
	};

	const stepRow = (s: ExecutionStep): HTMLElement => {
		const stream = h("pre", { class: "stream", "aria-live": "off", "data-stream": s.step_id }, streams.get(s.step_id) ?? "");
		streamEls.set(s.step_id, stream);
		const waitingApproval = s.waiting_for === "approval" && s.status === "running";
		return h(
			"article",
			{ class: `step status-${s.status}`, "data-step-id": s.step_id, "aria-labelledby": `step-${s.step_id}` },
			h("h3", { id: `step-${s.step_id}` }, s.name, " ", h("span", { class: "muted" }, `${s.step_id} · ${s.type}`), " ", statusBadge(s.waiting_for && s.status === "running" ? `waiting for ${s.waiting_for}` : s.status)),
			h(
				"dl",
				{ class: "summary" },
				h("dt", {}, "Attempts"),
				h("dd", {}, s.attempts),
				h("dt", {}, "Tokens"),
				h("dd", {}, s.usage ? `${s.usage.total_tokens} (${s.usage.prompt_tokens} in, ${s.usage.completion_tokens} out)` : "—"),
				h("dt", {}, "Cost"),
				h("dd", {}, usd(s.usage?.cost_usd)),
				h("dt", {}, "Started"),
				h("dd", {}, dateTime(s.started_at)),
				h("dt", {}, "Finished"),
				h("dd", {}, dateTime(s.completed_at))
			),
			s.status === "running" && s.waiting_for && s.due_at ? h("p", { class: "countdown", "data-due": s.due_at, "data-kind": s.waiting_for }, countdownText(s.waiting_for, s.due_at, Date.now())) : null,
			waitingApproval
				? h(
						"div",
						{ class: "approval", role: "group", "aria-label": `Approval of ${s.step_id}` },
						h("p", {}, "This step waits for your approval."),
						actionButton("Approve", () => app.api.post(`${execPath(executionId)}/steps/${encodeURIComponent(s.step_id)}/approve`, {}), { app, kind: "primary", done: `Approved ${s.step_id}`, ariaLabel: `Approve ${s.step_id}` }),
						" ",
						actionButton("Reject", () => app.api.post(`${execPath(executionId)}/steps/${encodeURIComponent(s.step_id)}/reject`, {}), { app, kind: "danger", done: `Rejected ${s.step_id}`, ariaLabel: `Reject ${s.step_id}` })
					)
				: null,
			s.error ? h("div", { class: "error-box step-error", role: "note" }, h("strong", {}, `${s.error.type}: `), s.error.message) : null,
			s.type === "agent" ? agentTranscript(s.step_id) : null,
			// Tokens arrive over the socket while the step streams; the finished text is in its output.
			streams.has(s.step_id) || ((s.type === "ai_generate" || s.type === "agent") && s.status === "running") ? h("div", {}, h("h4", {}, "Generated text"), stream) : null,
			s.output !== null && s.output !== undefined ? outputDetails(s) : null
		);
	};

	const render = (e: Execution) => {
		last = e;
		replace(statusEl, statusBadge(e.status));
		progress.value = e.progress;
		progressText.textContent = `${e.progress} %`;
		for (const s of e.steps) graph.setStatus(s.step_id, s.status, s.waiting_for && s.status === "running" ? s.waiting_for : undefined);
		replace(
			summary,
			h("dt", {}, "Execution"),
			h("dd", { class: "mono" }, e.execution_id),
			h("dt", {}, "Started"),
			h("dd", {}, dateTime(e.started_at)),
			h("dt", {}, "Finished"),
			h("dd", {}, dateTime(e.completed_at)),
			h("dt", {}, "Tokens"),
			h("dd", {}, e.usage ? String(e.usage.total_tokens) : "—"),
			h("dt", {}, "Cost"),
			h("dd", {}, usd(e.usage?.cost_usd)),
			h("dt", {}, "Inputs"),
			h("dd", {}, h("code", {}, JSON.stringify(e.inputs))),
			e.outputs ? [h("dt", {}, "Outputs"), h("dd", {}, h("code", {}, JSON.stringify(e.outputs)))] : null
		);
		replace(actions, runActions(app, e, () => void watchOnce()));
		replace(runError, e.error ? h("div", { class: "error-box", role: "alert" }, h("strong", {}, `Failed${e.error.step_id ? ` at step ${e.error.step_id}` : ""}: `), `${e.error.type}: ${e.error.message}`) : null);
		// Keep focus where it was: rebuild the step cards only when something in them changed.
		const focused = document.activeElement?.closest("[data-step-id]")?.getAttribute("data-step-id");
		replace(steps, e.steps.map(stepRow));
		const key = `${e.status} ${e.steps.map(s => `${s.status}:${s.attempts}`).join(",")}`;
		if (key !== llmKey) {
			llmKey = key;
			void llmCalls.refresh();
		}
		if (focused) (steps.querySelector(`[data-step-id="${CSS.escape(focused)}"] button`) as HTMLElement | null)?.focus();
		document.title = `${e.status} ${e.progress} % · ${e.workflow_id} — CognitionOS`;
	};

	// Waits with an end (a delay, an approval's deadline) count down every second.
	const ticker = setInterval(() => {
		for (const el of steps.querySelectorAll<HTMLElement>(".countdown")) el.textContent = countdownText(el.dataset.kind ?? "", el.dataset.due ?? "", Date.now());
	}, COUNTDOWN_TICK);
	app.onLeave(() => clearInterval(ticker));

	const watchOnce = async () => render(await app.api.get<Execution>(execPath(executionId)));
	render(first);
	let lastKey = "";
	const stop = watchExecution(app.api, app.live, executionId, {
		update(e) {
			const key = JSON.stringify(e);
			if (key === lastKey) return;
			lastKey = key;
			render(e);
		},
		agent(stepId) {
			// A new turn starts a new answer: its tokens stream from empty.
			streams.delete(stepId);
			void refreshTranscript(stepId);
			void llmCalls.refresh();
		},
		token(stepId, delta) {
			streams.set(stepId, (streams.get(stepId) ?? "") + delta);
			const el = streamEls.get(stepId);
			if (el) el.textContent = streams.get(stepId)!;
		},
		failed(err) {
			replace(runError, errorBox(err, "Could not refresh this run"));
		}
	});
	app.onLeave(stop);

	return h(
		"section",
		{ "data-execution-id": executionId },
		heading,
		h("div", { class: "run-head" }, h("span", {}, "Status: ", statusEl), h("label", { for: "run-progress" }, "Progress"), progress, progressText, actions),
		runError,
		graph.element,
		h("div", { class: "columns" }, h("section", { class: "grow", "aria-labelledby": "steps-h" }, h("h2", { id: "steps-h" }, "Steps"), steps), h("section", { "aria-labelledby": "run-h2" }, h("h2", { id: "run-h2" }, "Run"), summary)),
		llmCalls.element,
		h("p", {}, h("a", { href: `#/workflows/${encodeURIComponent(first.workflow_id)}/${encodeURIComponent(first.workflow_version)}` }, "Open the workflow"))
	);
}
