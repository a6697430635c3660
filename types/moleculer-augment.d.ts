import type { AuthRequirement } from "../lib/auth/principal";

declare module "moleculer" {
	interface ActionSchema {
		/** What the caller needs; the gateway enforces it (see lib/auth/principal.ts). */
		auth?: AuthRequirement;
	}
}
