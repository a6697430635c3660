import type { IncomingMessage, ServerResponse } from "node:http";
import type { Service, ServiceSchema } from "moleculer";
import { DASHBOARD_CSP, loadDashboard, type DashboardFile } from "../lib/dashboard/assets";
import { AppError, notFound } from "../lib/errors";

interface DashboardVars {
	dashboard: Map<string, DashboardFile> | null;
}

type DashboardThis = Service & DashboardVars;
type DashboardRequest = IncomingMessage & { $params?: Record<string, string> };

function send(req: IncomingMessage, res: ServerResponse, file: DashboardFile, headers: Record<string, string> = {}): void {
	const gzip = file.gzipped && String(req.headers["accept-encoding"] ?? "").includes("gzip");
	res.writeHead(200, {
		"Content-Type": file.contentType,
		"Cache-Control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
		"X-Content-Type-Options": "nosniff",
		...(gzip ? { "Content-Encoding": "gzip", Vary: "Accept-Encoding" } : {}),
		...headers
	});
	res.end(gzip ? file.gzipped : file.body);
}

/** Aliases for the gateway's "/" route: the page at `/` (hash routes below it) and its files under `/dashboard/`. */
export const DASHBOARD_ALIASES = {
	"GET /"(this: DashboardThis, req: IncomingMessage, res: ServerResponse) {
		const page = this.dashboard?.get("index.html");
		if (!page) throw new AppError("The dashboard is not built: run npm run build", 404, "not_found");
		send(req, res, page, { "Content-Security-Policy": DASHBOARD_CSP, "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY" });
	},
	/** Browsers ask for /favicon.ico on pages that name no icon (/metrics, /health, …): the dashboard's, not a 404. */
	"GET /favicon.ico"(this: DashboardThis, req: IncomingMessage, res: ServerResponse) {
		const icon = this.dashboard?.get("favicon.svg");
		if (!icon) throw notFound("Icon");
		send(req, res, icon);
	},
	"GET /dashboard/:asset"(this: DashboardThis, req: DashboardRequest, res: ServerResponse) {
		const name = req.$params?.asset ?? "";
		const file = name !== "index.html" ? this.dashboard?.get(name) : undefined;
		if (!file) throw notFound("Dashboard file");
		send(req, res, file);
	}
};

/** Gateway mixin: the web dashboard, read from dist/public/dashboard when the gateway is created. */
export const DashboardMixin: Partial<ServiceSchema> = {
	created(this: Service) {
		(this as DashboardThis).dashboard = loadDashboard();
	}
};
