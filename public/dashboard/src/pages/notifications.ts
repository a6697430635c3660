import { actionButton, async, pager, type App } from "../app";
import { dateTime, h, replace } from "../dom";

interface Notification {
	id: string;
	kind: "info" | "alert";
	title: string;
	message: string;
	workflow_id: string | null;
	execution_id: string | null;
	created_at: string;
	read_at: string | null;
}

interface NotificationPage {
	notifications: Notification[];
	total: number;
	page: number;
	page_size: number;
	unread: number;
}

const PAGE_SIZE = 20;

/** The caller's notifications (runs completed, runs failed), newest first; mark one or all read. */
export function notificationsPage(app: App, _params: string[], query: URLSearchParams): Node {
	const unreadOnly = query.get("unread") === "true";
	const page = Math.max(1, Number(query.get("page")) || 1);
	const region = h("div", {});
	const heading = h("h1", {}, "Notifications");
	const load = () =>
		replace(
			region,
			async(async () => {
				const res = await app.api.get<NotificationPage>("/notifications", { unread: unreadOnly || undefined, page, page_size: PAGE_SIZE });
				replace(heading, "Notifications ", h("span", { class: "badge", "aria-label": `${res.unread} unread` }, `${res.unread} unread`));
				if (!res.notifications.length) return h("p", { class: "empty" }, unreadOnly ? "Nothing unread." : "No notifications yet: they come when your runs complete or fail.");
				return h(
					"div",
					{},
					h(
						"ul",
						{ class: "cards" },
						res.notifications.map(n => {
							const item: HTMLElement = h(
								"li",
								{ class: `card notification ${n.kind}${n.read_at ? " read" : ""}`, "data-notification-id": n.id },
								h("h2", {}, n.kind === "alert" ? "⚠ " : "", n.title),
								h("p", {}, n.message),
								h("p", { class: "muted" }, dateTime(n.created_at), n.execution_id ? [" · ", h("a", { href: `#/executions/${n.execution_id}` }, "open the run")] : null),
								n.read_at
									? null
									: actionButton(
											"Mark read",
											async () => {
												await app.api.post(`/notifications/${encodeURIComponent(n.id)}/read`);
												load();
											},
											{ app, ariaLabel: `Mark "${n.title}" read` }
										)
							);
							return item;
						})
					),
					pager(res.total, res.page, res.page_size, p => app.navigate(`#/notifications?page=${p}${unreadOnly ? "&unread=true" : ""}`))
				);
			})
		);
	app.onLeave(app.live.onNotification(() => load()));
	load();
	return h(
		"section",
		{},
		h(
			"div",
			{ class: "title-row" },
			heading,
			h("a", { href: unreadOnly ? "#/notifications" : "#/notifications?unread=true" }, unreadOnly ? "Show all" : "Show unread only"),
			actionButton(
				"Mark all read",
				async () => {
					await app.api.post("/notifications/read-all");
					load();
				},
				{ app, done: "All notifications marked read" }
			)
		),
		region
	);
}
