import type { HookScheme, HookSchemeName } from "../scheme";
import { github } from "./github";
import { hmacSha256Scheme } from "./hmac-sha256";
import { none } from "./none";
import { standardWebhooks } from "./standard-webhooks";
import { stripe } from "./stripe";

/** The verification schemes by name (chosen per hook, once). */
export const SCHEMES: Readonly<Record<HookSchemeName, HookScheme>> = {
	github,
	stripe,
	"standard-webhooks": standardWebhooks,
	"hmac-sha256": hmacSha256Scheme,
	none
};
