/**
 * Every REST route the product's services declare, known to a gateway whether or not a
 * node offering the service is connected right now. The gateway keeps a route for each,
 * so a request for a service no node offers is answered 503 naming the service, never 404,
 * and never captured by another service's pattern (`/workflows/:id/:version` matching
 * `/workflows/executions/:id`).
 */

/** What a service schema declares about its routes (the shape of a Moleculer service schema). */
export interface RestDeclaration {
	name: string;
	settings?: { rest?: unknown };
	actions?: Record<string, unknown>;
}

export interface KnownRoute {
	/** HTTP method, `*` for any. */
	method: string;
	/** Under the gateway route, as moleculer-web writes it: no leading or trailing slash. */
	path: string;
	/** `<service>.<action>`. */
	action: string;
	service: string;
}

// The path handling of moleculer-web's auto-aliases (src/utils.js), so a known route and the alias it stands for are equal.
const addSlashes = (s: string) => (s.startsWith("/") ? "" : "/") + s + (s.endsWith("/") ? "" : "/");
const normalizePath = (s: string) => s.replace(/\/{2,}/g, "/");
const removeTrailingSlashes = (s: string) => {
	let out = s.startsWith("/") ? s.slice(1) : s;
	if (out.endsWith("/")) out = out.slice(0, -1);
	return out;
};

function routeOf(rest: unknown, basePath: string): { method: string; path: string } | null {
	if (typeof rest === "string") {
		const [method, path] = rest.includes(" ") ? rest.split(/\s+/) : ["*", rest];
		return { method, path: basePath + path };
	}
	if (rest && typeof rest === "object" && typeof (rest as { path?: unknown }).path === "string") {
		const r = rest as { method?: string; path: string; basePath?: string };
		return { method: r.method ?? "*", path: (r.basePath !== undefined ? addSlashes(r.basePath) : basePath) + r.path };
	}
	return null;
}

/** The routes moleculer-web's auto-aliases build from these schemas (published actions with `rest`). */
export function restRoutes(schemas: readonly RestDeclaration[]): KnownRoute[] {
	const routes: KnownRoute[] = [];
	for (const schema of schemas) {
		const rest = schema.settings?.rest;
		const bases = typeof rest === "string" ? [rest] : Array.isArray(rest) ? rest.map(String) : [schema.name.replace(/\./g, "/")];
		for (const base of bases.map(addSlashes)) {
			for (const [key, def] of Object.entries(schema.actions ?? {})) {
				if (!def || typeof def !== "object") continue;
				const action = def as { rest?: unknown; visibility?: string; name?: string };
				if (action.rest == null || (action.visibility != null && action.visibility !== "published")) continue;
				for (const r of Array.isArray(action.rest) ? action.rest : [action.rest]) {
					const route = routeOf(r, base);
					if (route) routes.push({ method: route.method, path: removeTrailingSlashes(normalizePath(route.path)), action: `${schema.name}.${action.name ?? key}`, service: schema.name });
				}
			}
		}
	}
	return routes;
}
