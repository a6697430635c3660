/**
 * The dashboard: hash routes (`#/workflows/ID/1.0.0`), so the gateway serves one page at
 * `/` and no path of the API is ever shadowed. Signed-out visitors see the sign-in form.
 */
import { Api, type Me } from "./api";
import { errorBox, type App, type Page } from "./app";
import { h, replace } from "./dom";
import { Live } from "./live";
import { adminApiKeysPage, adminAuditPage, adminDeadLettersPage, adminUsersPage } from "./pages/admin";
import { approvalsPage } from "./pages/approvals";
import { costsPage } from "./pages/costs";
import { evalComparePage, evalPage, evalsPage } from "./pages/evals";
import { executionPage, executionsPage } from "./pages/executions";
import { notificationsPage } from "./pages/notifications";
import { signInPage } from "./pages/sign-in";
import { signUpPage } from "./pages/sign-up";
import { uploadPage } from "./pages/upload";
import { usagePage } from "./pages/usage";
import { webhooksPage } from "./pages/webhooks";
import { workflowPage, workflowsPage } from "./pages/workflows";

interface Route {
	pattern: RegExp;
	page: Page;
	title: string;
	admin?: boolean;
}

const ROUTES: Route[] = [
	{ pattern: /^\/workflows$/, page: workflowsPage, title: "Workflows" },
	{ pattern: /^\/workflows\/new$/, page: uploadPage, title: "Upload a workflow" },
	{ pattern: /^\/workflows\/([^/]+)(?:\/([^/]+))?$/, page: workflowPage, title: "Workflow" },
	{ pattern: /^\/executions$/, page: executionsPage, title: "Executions" },
	{ pattern: /^\/executions\/([^/]+)$/, page: executionPage, title: "Execution" },
	{ pattern: /^\/evals$/, page: evalsPage, title: "Evals" },
	{ pattern: /^\/evals\/compare$/, page: evalComparePage, title: "Compare evals" },
	{ pattern: /^\/evals\/([^/]+)$/, page: evalPage, title: "Eval" },
	{ pattern: /^\/approvals$/, page: approvalsPage, title: "Approvals" },
	{ pattern: /^\/notifications$/, page: notificationsPage, title: "Notifications" },
	{ pattern: /^\/usage$/, page: usagePage, title: "Usage and cost" },
	{ pattern: /^\/costs$/, page: costsPage, title: "Model costs" },
	{ pattern: /^\/webhooks$/, page: webhooksPage, title: "Webhooks" },
	{ pattern: /^\/admin\/users$/, page: adminUsersPage, title: "Users and roles", admin: true },
	{ pattern: /^\/admin\/api-keys$/, page: adminApiKeysPage, title: "API keys" },
	{ pattern: /^\/admin\/dead-letters$/, page: adminDeadLettersPage, title: "Dead letters", admin: true },
	{ pattern: /^\/admin\/audit$/, page: adminAuditPage, title: "Audit log", admin: true }
];

const NAV: { href: string; label: string; admin?: boolean }[] = [
	{ href: "#/workflows", label: "Workflows" },
	{ href: "#/workflows/new", label: "Upload" },
	{ href: "#/executions", label: "Executions" },
	{ href: "#/evals", label: "Evals" },
	{ href: "#/approvals", label: "Approvals" },
	{ href: "#/notifications", label: "Notifications" },
	{ href: "#/usage", label: "Usage" },
	{ href: "#/costs", label: "Costs" },
	{ href: "#/webhooks", label: "Webhooks" },
	{ href: "#/admin/api-keys", label: "API keys" },
	{ href: "#/admin/users", label: "Users", admin: true },
	{ href: "#/admin/dead-letters", label: "Dead letters", admin: true },
	{ href: "#/admin/audit", label: "Audit log", admin: true }
];

function boot(): void {
	const api = new Api();
	const live = new Live(api);
	const main = document.getElementById("main")!;
	const nav = document.getElementById("nav")!;
	const user = document.getElementById("user")!;
	const status = document.getElementById("status")!;
	const transport = document.getElementById("transport")!;
	let cleanups: (() => void)[] = [];
	let statusTimer: ReturnType<typeof setTimeout> | null = null;

	const app: App = {
		api,
		live,
		me: null,
		isAdmin: false,
		announce(message, kind = "info") {
			status.textContent = message;
			status.className = `status ${kind}`;
			if (statusTimer) clearTimeout(statusTimer);
			statusTimer = setTimeout(() => (status.textContent = ""), 8000);
		},
		navigate(hash) {
			if (location.hash === hash) void render();
			else location.hash = hash;
		},
		onLeave(cleanup) {
			cleanups.push(cleanup);
		}
	};

	live.onTransport(t => {
		transport.textContent = t === "socket" ? "Live" : "Polling";
		transport.title = t === "socket" ? "Updates arrive over socket.io" : "socket.io is not connected: pages poll the API every second";
	});
	live.onNotification(message => app.announce(String(message.data.title ?? message.data.message ?? "Notification")));
	api.onSignedOut(() => {
		app.me = null;
		live.stop();
		app.navigate("#/sign-in");
	});

	const drawChrome = () => {
		replace(
			nav,
			app.me
				? h(
						"ul",
						{},
						NAV.filter(n => !n.admin || app.isAdmin).map(n => h("li", {}, h("a", { href: n.href, "data-nav": n.href }, n.label)))
					)
				: null
		);
		replace(
			user,
			app.me
				? [
						h("span", { class: "muted" }, app.me.email, app.isAdmin ? " (admin)" : ""),
						h("button", { type: "button", on: { click: () => void api.signOut() } }, "Sign out")
					]
				: null
		);
	};

	const signedIn = async () => {
		app.me = await api.get<Me>("/auth/me");
		app.isAdmin = app.me.roles.includes("admin");
		live.start();
		drawChrome();
	};

	const render = async () => {
		for (const cleanup of cleanups) cleanup();
		cleanups = [];
		const path = location.hash.replace(/^#/, "").split("?")[0] || "/";
		const query = new URLSearchParams(location.hash.split("?")[1] ?? "");
		if (!api.signedIn) {
			drawChrome();
			const signingUp = path === "/sign-up";
			document.title = `${signingUp ? "Create an account" : "Sign in"} — CognitionOS`;
			const done = async () => {
				await signedIn();
				app.navigate(path === "/sign-in" || path === "/sign-up" || path === "/" ? "#/workflows" : `#${path}`);
			};
			replace(main, signingUp ? signUpPage(app, done) : signInPage(app, done));
			return;
		}
		if (!app.me) {
			try {
				await signedIn();
			} catch (err) {
				replace(main, errorBox(err, "Could not load your profile"));
				return;
			}
		}
		if (path === "/" || path === "/sign-in" || path === "/sign-up") return app.navigate("#/workflows");
		const route = ROUTES.find(r => r.pattern.test(path));
		for (const link of nav.querySelectorAll("a")) link.toggleAttribute("aria-current", `#${path}` === link.getAttribute("href"));
		if (!route) {
			replace(main, h("h1", {}, "Not found"), h("p", {}, "No page here. ", h("a", { href: "#/workflows" }, "Go to the workflows")));
			return;
		}
		document.title = `${route.title} — CognitionOS`;
		if (route.admin && !app.isAdmin) {
			replace(main, h("h1", {}, route.title), errorBox(new Error("This page needs the admin role"), "Not allowed"));
			return;
		}
		const params = route.pattern.exec(path)!.slice(1).map(p => (p === undefined ? "" : decodeURIComponent(p)));
		replace(main, h("p", { class: "loading" }, "Loading…"));
		try {
			replace(main, await route.page(app, params, query));
		} catch (err) {
			replace(main, h("h1", {}, route.title), errorBox(err, "Could not load this page"));
		}
		// Focus the page's heading so keyboard and screen reader users start at the new content.
		const heading = main.querySelector("h1");
		if (heading) {
			heading.setAttribute("tabindex", "-1");
			heading.focus({ preventScroll: true });
		}
	};

	window.addEventListener("hashchange", () => void render());
	void render().then(() => document.body.setAttribute("data-ready", "true"));
}

boot();
