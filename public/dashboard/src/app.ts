/**
 * The shell every page shares: who is signed in, the live connection, a status line
 * that screen readers announce, and the loading / error states of a page's content.
 */
import { ApiError, type Api, type Me } from "./api";
import { h, replace } from "./dom";
import type { Live } from "./live";

export interface App {
	api: Api;
	live: Live;
	me: Me | null;
	isAdmin: boolean;
	/** Announces a short message (aria-live) and shows it in the status bar. */
	announce(message: string, kind?: "info" | "error"): void;
	navigate(hash: string): void;
	/** Runs when the page is left (live subscriptions, timers). */
	onLeave(cleanup: () => void): void;
}

export type Page = (app: App, params: string[], query: URLSearchParams) => Promise<Node> | Node;

/** What a failed request says to people: the message, each field problem, and the trace id to quote. */
export function errorBox(err: unknown, what = "This did not work"): HTMLElement {
	const box = h("div", { class: "error-box", role: "alert" }, h("strong", {}, `${what}: `));
	if (err instanceof ApiError) {
		box.append(err.message);
		if (err.problems.length) box.append(h("ul", {}, err.problems.map(p => h("li", {}, h("code", {}, p.path), ` ${p.message}`))));
		if (err.traceId) box.append(h("div", { class: "muted" }, `trace id ${err.traceId}`));
	} else box.append(err instanceof Error ? err.message : String(err));
	return box;
}

/** A region that shows "Loading…" until `load` settles, then its content or the error. */
export function async(load: () => Promise<Node>, label = "Loading…"): HTMLElement {
	const region = h("div", { class: "async", "aria-busy": "true" }, h("p", { class: "loading" }, label));
	load().then(
		node => replace(region, node),
		err => replace(region, errorBox(err, "Could not load"))
	).finally(() => region.setAttribute("aria-busy", "false"));
	return region;
}

/** A button that disables itself while its action runs and reports a failure next to it. */
export function actionButton(label: string, action: () => Promise<unknown>, opts: { kind?: string; app?: App; done?: string; ariaLabel?: string } = {}): HTMLButtonElement {
	const button = h("button", { type: "button", class: opts.kind ?? "", "aria-label": opts.ariaLabel }, label);
	button.addEventListener("click", async () => {
		button.disabled = true;
		try {
			await action();
			if (opts.done) opts.app?.announce(opts.done);
		} catch (err) {
			const message = err instanceof Error ? err.message : String(err);
			opts.app?.announce(`${label} failed: ${message}`, "error");
		} finally {
			button.disabled = false;
		}
	});
	return button;
}

export function pager(total: number, page: number, pageSize: number, go: (page: number) => void): HTMLElement {
	const pages = Math.max(1, Math.ceil(total / pageSize));
	const prev = h("button", { type: "button", on: { click: () => go(page - 1) } }, "Previous");
	const next = h("button", { type: "button", on: { click: () => go(page + 1) } }, "Next");
	prev.disabled = page <= 1;
	next.disabled = page >= pages;
	return h("nav", { class: "pager", "aria-label": "Pages" }, prev, h("span", {}, `Page ${page} of ${pages} (${total})`), next);
}
