import { actionButton, async, errorBox, pager, type App } from "../app";
import { dateTime, field, h, json, replace, statusBadge } from "../dom";

const ROLES = ["admin", "user", "viewer"];
const SCOPES = ["read", "write", "admin"];

interface User {
	user_id: string;
	email: string;
	full_name: string | null;
	roles: string[];
	is_active: boolean;
	created_at: string;
}

function table(caption: string, headers: string[], rows: Node[]): HTMLElement {
	return h("table", {}, h("caption", { class: "sr-only" }, caption), h("thead", {}, h("tr", {}, headers.map(t => h("th", { scope: "col" }, t)))), h("tbody", {}, rows));
}

const pageOf = (query: URLSearchParams) => Number(query.get("page") ?? 1) || 1;

export function adminUsersPage(app: App, _params: string[], query: URLSearchParams): Node {
	const q = h("input", { type: "search", name: "q", value: query.get("q") ?? "" });
	const go = (p: number) => app.navigate(`#/admin/users?${new URLSearchParams({ q: q.value, page: String(p) })}`);
	const form = h("form", { class: "filters", role: "search", "aria-label": "Find users" }, field("Email or name", q), h("button", { type: "submit" }, "Find"));
	form.addEventListener("submit", e => (e.preventDefault(), go(1)));
	const list = async(async () => {
		const res = await app.api.get<{ users: User[]; total: number; page: number; page_size: number }>("/auth/users", { q: q.value, page: pageOf(query), page_size: 20 });
		const row = (u: User): HTMLElement => {
			const boxes = ROLES.map(r => {
				const box = h("input", { type: "checkbox", name: `role-${r}`, "aria-label": `${r} role of ${u.email}` });
				box.checked = u.roles.includes(r);
				return h("label", { class: "inline" }, box, ` ${r}`);
			});
			const active = h("input", { type: "checkbox", "aria-label": `${u.email} is active` });
			active.checked = u.is_active;
			const tr = h(
				"tr",
				{ "data-user": u.email },
				h("td", {}, u.email, u.full_name ? h("div", { class: "muted" }, u.full_name) : null),
				h("td", {}, h("fieldset", { class: "roles" }, h("legend", { class: "sr-only" }, `Roles of ${u.email}`), boxes)),
				h("td", {}, h("label", { class: "inline" }, active, " active")),
				h("td", {}, dateTime(u.created_at)),
				h(
					"td",
					{},
					actionButton(
						"Save",
						async () => {
							const roles = ROLES.filter((_, i) => (boxes[i].querySelector("input") as HTMLInputElement).checked);
							const saved = await app.api.patch<User>(`/auth/users/${u.user_id}`, { roles, is_active: active.checked });
							tr.replaceWith(row(saved));
						},
						{ app, done: `Saved ${u.email}`, ariaLabel: `Save ${u.email}` }
					)
				)
			);
			return tr;
		};
		return h("div", {}, table("Users", ["User", "Roles", "Active", "Registered", ""], res.users.map(row)), pager(res.total, res.page, res.page_size, go));
	});
	return h("section", {}, h("h1", {}, "Users and roles"), form, list);
}

interface ApiKey {
	id: string;
	name: string;
	prefix: string;
	scopes: string[] | null;
	created_at: string;
	last_used_at: string | null;
	expires_at: string | null;
	revoked_at: string | null;
}

export function adminApiKeysPage(app: App): Node {
	const name = h("input", { type: "text", name: "name", required: true, maxlength: 100 });
	const days = h("input", { type: "number", name: "expires_in_days", min: 1, max: 3650 });
	const scopes = SCOPES.map(s => h("input", { type: "checkbox", name: `scope-${s}`, value: s }));
	const created = h("div", { "aria-live": "polite" });
	const listRegion = h("div", {});
	const load = (): void =>
		replace(
			listRegion,
			async(async (): Promise<Node> => {
				const { api_keys } = await app.api.get<{ api_keys: ApiKey[] }>("/auth/api-keys");
				if (!api_keys.length) return h("p", { class: "empty" }, "You have no API keys.");
				return table(
					"Your API keys",
					["Name", "Prefix", "Scopes", "Created", "Last used", "Expires", ""],
					api_keys.map(k =>
						h(
							"tr",
							{},
							h("td", {}, k.name),
							h("td", { class: "mono" }, k.prefix),
							h("td", {}, k.scopes?.join(", ") ?? "all of yours"),
							h("td", {}, dateTime(k.created_at)),
							h("td", {}, dateTime(k.last_used_at)),
							h("td", {}, dateTime(k.expires_at)),
							h("td", {}, k.revoked_at ? statusBadge("revoked") : actionButton("Revoke", async () => { await app.api.delete(`/auth/api-keys/${k.id}`); load(); }, { app, kind: "danger", done: `Revoked ${k.name}`, ariaLabel: `Revoke ${k.name}` }))
						)
					)
				);
			})
		);
	const form = h(
		"form",
		{ class: "card", "aria-labelledby": "new-key-h" },
		h("h2", { id: "new-key-h" }, "New key"),
		field("Name", name),
		h("fieldset", {}, h("legend", {}, "Scopes (none checked: everything you may do)"), scopes.map((box, i) => h("label", { class: "inline" }, box, ` ${SCOPES[i]}`))),
		field("Expires in days", days, "Empty: never"),
		h("button", { type: "submit", class: "primary" }, "Create key"),
		created
	);
	form.addEventListener("submit", async e => {
		e.preventDefault();
		replace(created);
		try {
			const chosen = scopes.filter(b => b.checked).map(b => b.value);
			const key = await app.api.post<{ key: string; name: string }>("/auth/api-keys", { name: name.value, scopes: chosen.length ? chosen : null, expires_in_days: days.value ? Number(days.value) : null });
			replace(created, h("div", { class: "notice", role: "status" }, h("p", {}, `Key ${key.name} — copy it now, it is not shown again:`), h("code", { class: "secret" }, key.key)));
			form.reset();
			load();
		} catch (err) {
			replace(created, errorBox(err, "Could not create the key"));
		}
	});
	load();
	return h("section", {}, h("h1", {}, "API keys"), form, h("h2", {}, "Your keys"), listRegion);
}

interface DeadLetter {
	id: string;
	handler: string;
	event_id: string;
	event_type: string;
	status: string;
	error: { message: string | null; type: string | null };
	attempts: number;
	payload: unknown;
	failed_at: string | null;
}

export function adminDeadLettersPage(app: App, _params: string[], query: URLSearchParams): Node {
	const status = h("select", { name: "status" }, ["dead", "retrying", "replayed", "discarded"].map(s => h("option", { value: s }, s)));
	status.value = query.get("status") ?? "dead";
	const go = (p: number) => app.navigate(`#/admin/dead-letters?${new URLSearchParams({ status: status.value, page: String(p) })}`);
	const form = h("form", { class: "filters", "aria-label": "Filter dead letters" }, field("Status", status), h("button", { type: "submit" }, "Filter"));
	form.addEventListener("submit", e => (e.preventDefault(), go(1)));
	const list = async(async () => {
		const res = await app.api.get<{ dead_letters: DeadLetter[]; total: number; page: number; page_size: number }>("/events/dead-letters", { status: status.value, page: pageOf(query), page_size: 20 });
		if (!res.dead_letters.length) return h("p", { class: "empty" }, `No dead letters with status ${status.value}.`);
		return h(
			"div",
			{},
			table(
				"Dead letters",
				["Event", "Handler", "Error", "Attempts", "Failed", ""],
				res.dead_letters.map(d =>
					h(
						"tr",
						{},
						h("td", {}, d.event_type, h("details", {}, h("summary", {}, "Payload"), h("pre", { class: "code" }, json(d.payload)))),
						h("td", {}, d.handler),
						h("td", {}, `${d.error.type ?? ""} ${d.error.message ?? ""}`),
						h("td", {}, d.attempts),
						h("td", {}, dateTime(d.failed_at)),
						h(
							"td",
							{},
							d.status === "dead"
								? [
										actionButton("Replay", async () => (await app.api.post(`/events/dead-letters/${d.id}/replay`), go(res.page)), { app, done: "Replayed", ariaLabel: `Replay ${d.event_type} for ${d.handler}` }),
										" ",
										actionButton("Discard", async () => (await app.api.delete(`/events/dead-letters/${d.id}`), go(res.page)), { app, kind: "danger", done: "Discarded", ariaLabel: `Discard ${d.event_type} for ${d.handler}` })
									]
								: statusBadge(d.status)
						)
					)
				)
			),
			pager(res.total, res.page, res.page_size, go)
		);
	});
	const replayAll = actionButton("Replay all dead letters", async () => {
		const { replayed } = await app.api.post<{ replayed: number }>("/events/dead-letters/replay", {});
		app.announce(`Replayed ${replayed}`);
		go(1);
	}, { app });
	return h("section", {}, h("div", { class: "title-row" }, h("h1", {}, "Dead letters"), replayAll), form, list);
}

interface AuditView {
	id: number;
	occurred_at: string;
	actor: { id: string; email: string | null } | null;
	action: string;
	resource: { type: string; id: string | null };
	client_ip: string | null;
	details: Record<string, unknown>;
}

export function adminAuditPage(app: App, _params: string[], query: URLSearchParams): Node {
	const action = h("input", { type: "text", name: "action", value: query.get("action") ?? "" });
	const resource = h("input", { type: "text", name: "resource_type", value: query.get("resource_type") ?? "" });
	const go = (p: number) => app.navigate(`#/admin/audit?${new URLSearchParams({ action: action.value.trim(), resource_type: resource.value.trim(), page: String(p) })}`);
	const form = h("form", { class: "filters", role: "search", "aria-label": "Filter the audit log" }, field("Action", action), field("Resource type", resource), h("button", { type: "submit" }, "Filter"));
	form.addEventListener("submit", e => (e.preventDefault(), go(1)));
	const list = async(async () => {
		const res = await app.api.get<{ entries: AuditView[]; total: number; page: number; page_size: number }>("/audit", { action: action.value.trim(), resource_type: resource.value.trim(), page: pageOf(query), page_size: 50 });
		if (!res.entries.length) return h("p", { class: "empty" }, "No audit entries match.");
		return h(
			"div",
			{},
			table(
				"Audit log",
				["When", "Who", "Action", "Resource", "From", "Details"],
				res.entries.map(e =>
					h(
						"tr",
						{},
						h("td", {}, dateTime(e.occurred_at)),
						h("td", {}, e.actor?.email ?? e.actor?.id ?? "system"),
						h("td", {}, e.action),
						h("td", {}, `${e.resource.type}${e.resource.id ? ` ${e.resource.id}` : ""}`),
						h("td", {}, e.client_ip ?? "—"),
						h("td", {}, h("code", { class: "wrap" }, JSON.stringify(e.details)))
					)
				)
			),
			pager(res.total, res.page, res.page_size, go)
		);
	});
	return h("section", {}, h("h1", {}, "Audit log"), form, list);
}
