import { randomBytes } from "node:crypto";
import { hmacSha256, safeEqual } from "../../webhooks/signature";
import { lengthProblem, type HookScheme } from "../scheme";

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`; the delivery id is `X-GitHub-Delivery`. GitHub signs no timestamp: a redelivery is caught by its id. */
export const github: HookScheme = {
	name: "github",
	verify(secret, req) {
		const given = req.headers["x-hub-signature-256"];
		if (!given) return false;
		return safeEqual(`sha256=${hmacSha256(secret, req.body).toString("hex")}`, given.trim());
	},
	deliveryId: req => req.headers["x-github-delivery"] ?? null,
	newSecret: () => randomBytes(32).toString("hex"),
	secretProblem: lengthProblem
};
