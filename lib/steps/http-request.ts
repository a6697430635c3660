import { duration, templated, wordOrTemplate } from "./schema";
import type { StepTypeDefinition } from "./types";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

const status = { type: "integer", minimum: 100, maximum: 599 };

/**
 * `{method = GET, url, headers?, body?, expected_status?, timeout?}`. Without
 * `expected_status` any 2xx succeeds. The attempt's idempotency key travels as the
 * `Idempotency-Key` header.
 */
export const httpRequest: StepTypeDefinition = {
	type: "http_request",
	description: "Calls an HTTP endpoint and checks the response status.",
	paramsSchema: {
		type: "object",
		required: ["url"],
		additionalProperties: false,
		properties: {
			method: wordOrTemplate(HTTP_METHODS),
			url: { type: "string", pattern: "^(https?://\\S|\\s*\\$\\{\\{)", description: "an http:// or https:// URL (templates allowed)" },
			headers: templated(
				{ type: "object", additionalProperties: { type: ["string", "number", "boolean"], description: "a header value (text, a number or a boolean)" } },
				"an object of header names to values"
			),
			body: {},
			expected_status: templated(
				{ type: ["integer", "array"], minimum: 100, maximum: 599, minItems: 1, items: templated(status, "an HTTP status from 100 to 599") },
				"an HTTP status from 100 to 599 or a list of them"
			),
			timeout: duration
		}
	}
};
