import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { ActionSchema, Service, ServiceSchema } from "moleculer";
import type { AuthRequirement } from "../lib/auth/principal";
import { pageSecurityHeaders } from "../lib/page-security";
import { notFound } from "../lib/errors";
import { buildOpenApiDocument, type RouteOperation } from "../lib/openapi/document";
import { docsAssets, redocPage, swaggerPage, type DocsAsset } from "../lib/openapi/pages";
import { runtimeOf } from "../lib/runtime";

interface GatewayAlias {
	action?: string | null;
	method: string;
	fullPath: string;
	route: { opts: { authorization?: boolean } };
	/** Stands for a service no node offers right now (the gateway's regenerateAutoAliases). */
	unavailable?: boolean;
}

interface DocsVars {
	/** The document, built on first request and dropped whenever the route table changes. */
	openApiCache?: string;
	assets: Record<string, DocsAsset & { body?: Buffer; gzipped?: Buffer }>;
	aliases: GatewayAlias[];
}

interface DocsMethods {
	routeOperations(): RouteOperation[];
	openApiDocument(): Record<string, unknown>;
}

type DocsThis = Service & DocsVars & DocsMethods;
type DocsRequest = IncomingMessage & { $params?: Record<string, string> };

const TITLE = "CognitionOS API";
const SPEC_URL = "/openapi.json";

function send(
	req: IncomingMessage,
	res: ServerResponse,
	status: number,
	contentType: string,
	body: Buffer | string,
	opts: { gzipped?: Buffer; cache?: boolean; headers?: Record<string, string> } = {}
): void {
	const gzip = opts.gzipped && String(req.headers["accept-encoding"] ?? "").includes("gzip");
	res.writeHead(status, {
		"Content-Type": contentType,
		"Cache-Control": opts.cache ? "public, max-age=86400" : "no-cache",
		...(gzip ? { "Content-Encoding": "gzip" } : {}),
		...opts.headers
	});
	res.end(gzip ? opts.gzipped : body);
}

/** Aliases for the gateway's "/" route: the document and the two pages that read it. */
export const DOCS_ALIASES = {
	"GET /openapi.json"(this: DocsThis, req: IncomingMessage, res: ServerResponse) {
		this.openApiCache ??= JSON.stringify(this.openApiDocument());
		send(req, res, 200, "application/json; charset=utf-8", this.openApiCache);
	},
	"GET /docs"(this: DocsThis, req: IncomingMessage, res: ServerResponse) {
		const html = swaggerPage(SPEC_URL, TITLE);
		send(req, res, 200, "text/html; charset=utf-8", html, { headers: pageSecurityHeaders(html) });
	},
	"GET /redoc"(this: DocsThis, req: IncomingMessage, res: ServerResponse) {
		const html = redocPage(SPEC_URL, TITLE);
		send(req, res, 200, "text/html; charset=utf-8", html, { headers: pageSecurityHeaders(html) });
	},
	"GET /docs/assets/:asset"(this: DocsThis, req: DocsRequest, res: ServerResponse) {
		const name = req.$params?.asset ?? "";
		// Only the files listed: the name never reaches the file system.
		const asset = Object.hasOwn(this.assets, name) ? this.assets[name] : undefined;
		if (!asset) throw notFound("Documentation file");
		asset.body ??= readFileSync(asset.file);
		asset.gzipped ??= asset.contentType.startsWith("image/") ? undefined : gzipSync(asset.body);
		send(req, res, 200, asset.contentType, asset.body, { gzipped: asset.gzipped, cache: true });
	}
};

/**
 * Gateway mixin: `/openapi.json` built from the route table (local and remote actions
 * alike, with the validator rules, `auth` and `openapi` annotations they were registered
 * with), and the Swagger UI and ReDoc pages served from their npm packages.
 */
export const ApiDocsMixin: Partial<ServiceSchema> = {
	events: {
		"$api.aliases.regenerated"(this: DocsThis) {
			this.openApiCache = undefined;
		}
	},
	methods: {
		routeOperations(this: DocsThis): RouteOperation[] {
			const definitions = new Map(
				this.broker.registry.getActionList({ skipInternal: true }).map(item => [item.name, (item as { action?: ActionSchema }).action ?? {}])
			);
			const operations: RouteOperation[] = [];
			for (const alias of this.aliases ?? []) {
				// A route whose service no node offers right now is described when the service is back.
				if (!alias.action || alias.method === "*" || alias.unavailable) continue;
				const def = definitions.get(alias.action) ?? {};
				// Routes without authorization (health probes) are open to anyone; otherwise the action's declaration, admin when it has none.
				const auth: AuthRequirement = alias.route.opts.authorization === false ? "public" : (def.auth ?? "admin");
				operations.push({
					method: alias.method,
					path: alias.fullPath,
					action: alias.action,
					auth,
					params: def.params as Record<string, unknown> | undefined,
					openapi: def.openapi,
					rawBody: def.rawBody === true
				});
			}
			return operations;
		},
		openApiDocument(this: DocsThis) {
			const { config } = runtimeOf(this.broker);
			return buildOpenApiDocument(
				{
					title: TITLE,
					version: config.version,
					description:
						"Durable runtime for AI workflows. Every error answer is `{error, message, detail?, trace_id}`; `trace_id` finds the request in the logs and traces. Authenticate with `Authorization: Bearer <access token or API key>` or `X-API-Key`."
				},
				this.routeOperations()
			);
		}
	},
	created(this: Service) {
		(this as DocsThis).assets = docsAssets();
	}
};
