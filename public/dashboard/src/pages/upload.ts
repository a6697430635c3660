import { ApiError } from "../api";
import { errorBox, type App } from "../app";
import { field, h, replace } from "../dom";
import type { SourceProblem } from "../source-lines";
import type { Workflow } from "../types";

const EXAMPLE = `workflow:
  id: hello
  version: "1.0.0"
  inputs:
    - name: who
      type: string
      default: world
  steps:
    - id: greet
      type: transform
      params:
        expression: "'Hello, ' & inputs.who"
`;

/** The offset of the first character of a 1-based line. */
function lineStart(text: string, line: number): number {
	let offset = 0;
	for (let l = 1; l < line; l++) {
		const next = text.indexOf("\n", offset);
		if (next < 0) return text.length;
		offset = next + 1;
	}
	return offset;
}

export function uploadPage(app: App): Node {
	const format = h("select", { name: "format" }, h("option", { value: "auto" }, "by its first character ({ is JSON)"), h("option", { value: "yaml" }, "YAML"), h("option", { value: "json" }, "JSON"));
	const file = h("input", { type: "file", name: "file", accept: ".yaml,.yml,.json,application/json,application/yaml,text/yaml" });
	const source = h("textarea", { name: "definition", rows: 22, spellcheck: "false", class: "mono source", wrap: "off" }, EXAMPLE);
	const gutter = h("pre", { class: "gutter", "aria-hidden": "true" });
	const problemsRegion = h("div", { id: "upload-problems", "aria-live": "polite" });
	const submit = h("button", { type: "submit", class: "primary" }, "Upload");
	let marked = new Set<number>();

	const drawGutter = () => {
		const lines = source.value.split("\n").length;
		gutter.textContent = Array.from({ length: lines }, (_, i) => `${marked.has(i + 1) ? "✖" : " "}${String(i + 1).padStart(4)}`).join("\n");
		gutter.scrollTop = source.scrollTop;
	};
	source.addEventListener("input", () => {
		marked = new Set();
		drawGutter();
	});
	source.addEventListener("scroll", () => (gutter.scrollTop = source.scrollTop));
	file.addEventListener("change", async () => {
		const chosen = file.files?.[0];
		if (!chosen) return;
		source.value = await chosen.text();
		if (/\.json$/i.test(chosen.name)) format.value = "json";
		else if (/\.ya?ml$/i.test(chosen.name)) format.value = "yaml";
		marked = new Set();
		drawGutter();
	});

	const goToLine = (line: number) => {
		const start = lineStart(source.value, line);
		const end = source.value.indexOf("\n", start);
		source.focus();
		source.setSelectionRange(start, end < 0 ? source.value.length : end);
		// Scroll the line into view: textareas have no API for it, so estimate from the line height.
		const lineHeight = parseFloat(getComputedStyle(source).lineHeight) || 18;
		source.scrollTop = Math.max(0, (line - 3) * lineHeight);
	};

	const showProblems = async (err: ApiError) => {
		// The YAML parser is loaded only here: the other pages do without its weight.
		const { placeProblems } = await import("../source-lines");
		const placed: SourceProblem[] = placeProblems(source.value, err.problems).sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
		marked = new Set(placed.map(p => p.line).filter((l): l is number => l != null));
		drawGutter();
		replace(
			problemsRegion,
			h(
				"div",
				{ class: "error-box", role: "alert" },
				h("strong", {}, `${err.status === 422 ? "The definition is not valid" : "The definition could not be read"}: `),
				err.message,
				h(
					"ol",
					{ class: "problems", "aria-label": "Problems by line" },
					placed.map(p =>
						h(
							"li",
							{ "data-line": p.line ?? "" },
							p.line != null
								? h("button", { type: "button", class: "link", on: { click: () => goToLine(p.line!) } }, `Line ${p.line}${p.column ? `, column ${p.column}` : ""}`)
								: h("span", {}, "Whole document"),
							": ",
							h("code", {}, p.path),
							` ${p.message}`
						)
					)
				),
				err.traceId ? h("div", { class: "muted" }, `trace id ${err.traceId}`) : null
			)
		);
	};

	const form = h(
		"form",
		{ class: "upload" },
		h("h1", {}, "Upload a workflow"),
		h("p", {}, "Paste or choose a definition in the YAML DSL or JSON. Problems are listed with the line they name; choose one to go there."),
		h("div", { class: "columns" }, field("File", file), field("Format", format)),
		h("div", { class: "editor" }, gutter, field("Definition", source, "Problems are marked ✖ in the line numbers")),
		problemsRegion,
		submit
	);
	form.addEventListener("submit", async event => {
		event.preventDefault();
		replace(problemsRegion);
		submit.disabled = true;
		const text = source.value;
		const kind = format.value === "auto" ? (/^\s*[[{]/.test(text) ? "json" : "yaml") : format.value;
		try {
			const workflow = await app.api.post<Workflow>("/workflows", text, { contentType: kind === "json" ? "application/json" : "application/yaml" });
			app.announce(`Uploaded ${workflow.workflow_id} ${workflow.version}`);
			app.navigate(`#/workflows/${encodeURIComponent(workflow.workflow_id)}/${encodeURIComponent(workflow.version)}`);
		} catch (err) {
			if (err instanceof ApiError && err.problems.length) await showProblems(err);
			else replace(problemsRegion, errorBox(err, "Could not upload"));
		} finally {
			submit.disabled = false;
		}
	});
	drawGutter();
	return form;
}
