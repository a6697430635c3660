import type { AuthRequirement } from "../lib/auth/principal";
import type { ActionOpenApi } from "../lib/openapi/types";

declare module "moleculer" {
	interface ActionSchema {
		/** What the caller needs; the gateway enforces it (see lib/auth/principal.ts). */
		auth?: AuthRequirement;
		/**
		 * The action takes the request body as sent (`params.body`, JSON-parsed or text)
		 * with `ctx.meta.content_type`, instead of the body's fields merged into params.
		 */
		rawBody?: boolean;
		/** Summary and answers of a REST-exposed action for /openapi.json (see lib/openapi/types.ts). */
		openapi?: ActionOpenApi;
	}
}
