import type { AuthRequirement } from "../lib/auth/principal";

declare module "moleculer" {
	interface ActionSchema {
		/** What the caller needs; the gateway enforces it (see lib/auth/principal.ts). */
		auth?: AuthRequirement;
		/**
		 * The action takes the request body as sent (`params.body`, JSON-parsed or text)
		 * with `ctx.meta.content_type`, instead of the body's fields merged into params.
		 */
		rawBody?: boolean;
	}
}
