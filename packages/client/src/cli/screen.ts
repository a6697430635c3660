/**
 * The TTY view of a run: the DAG's steps in dependency order with live status, a
 * progress bar and the elapsed time, redrawn in place. `renderRun` is pure (state and
 * clock in, lines out); `LiveScreen` writes its frames over the previous one.
 */
import type { RunView, StepState } from "./run-state";

const ESC = "\u001b[";
const paint = (code: string, text: string, color: boolean) => (color ? `${ESC}${code}m${text}${ESC}0m` : text);

const STATE_LOOK: Record<StepState, { glyph: string; color: string }> = {
	pending: { glyph: "·", color: "2" },
	running: { glyph: "▶", color: "36" },
	waiting: { glyph: "⏸", color: "33" },
	retrying: { glyph: "↻", color: "33" },
	completed: { glyph: "✔", color: "32" },
	failed: { glyph: "✖", color: "31" },
	skipped: { glyph: "↷", color: "2" },
	cancelled: { glyph: "⊘", color: "35" }
};

const RUN_COLOR: Record<string, string> = { completed: "32", failed: "31", cancelled: "35", running: "36", pending: "2" };

// Width of the progress bar in cells.
const BAR_WIDTH = 24;

export function formatElapsed(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const sec = s % 60;
	return h ? `${h}h${String(m).padStart(2, "0")}m${String(sec).padStart(2, "0")}s` : m ? `${m}m${String(sec).padStart(2, "0")}s` : `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

export function progressBar(percent: number, width = BAR_WIDTH): string {
	const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * width);
	return `[${"█".repeat(filled)}${"░".repeat(width - filled)}]`;
}

/** The frame for `run` at `now`: a header, one line per step, the progress line. */
export function renderRun(run: RunView, now: number, opts: { color: boolean; columns: number }): string[] {
	const { color } = opts;
	const end = run.finished_at ?? now;
	const elapsed = run.started_at === null ? "" : formatElapsed(end - run.started_at);
	const idWidth = Math.min(32, Math.max(4, ...run.steps.map(s => s.id.length)));
	const lines = [`${paint("1", run.workflow, color)}  ${paint("2", run.execution_id, color)}`];
	for (const step of run.steps) {
		const look = STATE_LOOK[step.state] ?? STATE_LOOK.pending;
		const depends = step.depends_on.length ? paint("2", ` ← ${step.depends_on.join(", ")}`, color) : "";
		let note = "";
		if (step.state === "running" && step.attempt > 1) note = ` attempt ${step.attempt}`;
		if (step.state === "running" && step.tokens) note += ` ${step.tokens} tokens`;
		if (step.state === "waiting") note = step.waiting_for === "timer" && step.due_at ? ` until ${formatElapsed(step.due_at - now)} from now` : ` for ${step.waiting_for}`;
		if ((step.state === "failed" || step.state === "retrying") && step.error) note = ` ${step.error}`;
		const id = step.id.length > idWidth ? `${step.id.slice(0, idWidth - 1)}…` : step.id.padEnd(idWidth);
		const line = `  ${paint(look.color, look.glyph, color)} ${id}  ${paint(look.color, step.state.padEnd(9), color)} ${paint("2", step.type, color)}${note}${depends}`;
		lines.push(line);
	}
	const status = paint(RUN_COLOR[run.status] ?? "0", run.status, color);
	lines.push(`${progressBar(run.progress)} ${String(run.progress).padStart(3)}%  ${status}  ${elapsed}`);
	// Lines longer than the terminal would wrap and break the redraw: cut them (by characters, ANSI included conservatively).
	return lines.map(l => truncateVisible(l, opts.columns));
}

// eslint-disable-next-line no-control-regex -- ANSI sequences begin with the ESC control character
const ANSI = /\u001b\[[0-9;]*m/g;

function truncateVisible(line: string, columns: number): string {
	if (line.replace(ANSI, "").length <= columns) return line;
	let visible = 0;
	let out = "";
	for (let i = 0; i < line.length; ) {
		ANSI.lastIndex = i;
		const m = ANSI.exec(line);
		if (m && m.index === i) {
			out += m[0];
			i += m[0].length;
			continue;
		}
		if (visible >= columns - 1) break;
		out += line[i++];
		visible++;
	}
	return `${out}…${line.includes(ESC) ? `${ESC}0m` : ""}`;
}

/** Draws frames over each other on a terminal stream. */
export class LiveScreen {
	private drawn = 0;

	constructor(private readonly out: NodeJS.WriteStream) {}

	draw(lines: string[]): void {
		let text = this.drawn ? `${ESC}${this.drawn}F` : `${ESC}?25l`;
		for (const line of lines) text += `${ESC}2K${line}\n`;
		// A shorter frame clears what the longer one left below it.
		for (let i = lines.length; i < this.drawn; i++) text += `${ESC}2K\n`;
		if (this.drawn > lines.length) text += `${ESC}${this.drawn - lines.length}F`;
		this.drawn = lines.length;
		this.out.write(text);
	}

	/** Shows the cursor again; the last frame stays on screen. */
	end(): void {
		this.out.write(`${ESC}?25h`);
	}
}
